package io.prefstream.registry;

import static io.prefstream.registry.TestSchemas.v1;
import static io.prefstream.registry.TestSchemas.v2;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.registry.RegistryHttp.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's state lives in Kafka only: stop the registry and the broker, start both again on
 * the same data directory, and every id, version, deletion and config is back. With the broker
 * gone, a write fails with 50001 instead of hanging or pretending.
 *
 * <p>This test needs a broker it can stop, so it starts its own (the only one besides the shared broker).
 */
class DurabilityTest {
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(3);

    @Test
    @SuppressWarnings("try") // the broker is closed inside its try block on purpose: the registry must outlive it
    void stateSurvivesRegistryAndBrokerRestart(@TempDir Path dataDir) {
        RegistryOptions options = RegistryOptions.defaults().withStoreTimeout(STORE_TIMEOUT);
        int idA1;
        int idA2;
        int idShared;
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, 0).start();
             SchemaRegistryServer registry = SchemaRegistryServer.start(broker.bootstrapServers(), 0, options)) {
            RegistryHttp http = new RegistryHttp(registry.url());
            idA1 = http.register("a-value", v1("A"));
            idA2 = http.register("a-value", v2("A"));
            idShared = http.register("b-value", v1("A"));
            http.register("gone-value", v1("Gone"));
            http.register("c-value", v1("C"));
            assertThat(http.delete("/subjects/gone-value").status()).isEqualTo(200);
            assertThat(http.delete("/subjects/gone-value?permanent=true").status()).isEqualTo(200);
            assertThat(http.delete("/subjects/c-value").status()).isEqualTo(200);
            http.put("/config", "{\"compatibility\": \"FULL\"}");
            http.put("/config/a-value", "{\"compatibility\": \"NONE\"}");
        }
        assertThat(idShared).isEqualTo(idA1);

        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, 0).start();
             SchemaRegistryServer registry = SchemaRegistryServer.start(broker.bootstrapServers(), 0, options)) {
            RegistryHttp http = new RegistryHttp(registry.url());
            assertThat(http.get("/subjects").body()).isEqualTo("[\"a-value\",\"b-value\"]");
            assertThat(http.get("/subjects?deleted=true").body()).isEqualTo("[\"a-value\",\"b-value\",\"c-value\"]");
            assertThat(http.get("/subjects/a-value/versions").body()).isEqualTo("[1,2]");
            assertThat(http.get("/subjects/a-value/versions/2").json().get("id").asInt()).isEqualTo(idA2);
            assertThat(http.get("/schemas/ids/" + idA1).json().get("schema").asText())
                .isEqualTo(new org.apache.avro.Schema.Parser().parse(v1("A")).toString());
            assertThat(http.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("FULL");
            assertThat(http.get("/config/a-value").json().get("compatibilityLevel").asText()).isEqualTo("NONE");
            // Registering again is still idempotent, and a new schema takes the next id, not a used one.
            assertThat(http.register("a-value", v2("A"))).isEqualTo(idA2);
            int next = http.register("d-value", v1("D"));
            assertThat(next).isGreaterThan(Math.max(idA2, idShared));
            assertThat(http.get("/subjects/c-value/versions?deleted=true").body()).isEqualTo("[1]");

            broker.close();
            long started = System.nanoTime();
            Reply failed = http.post("/subjects/e-value/versions", RegistryHttp.schemaBody(v1("E")));
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.errorCode()).isEqualTo(Errors.STORE_ERROR);
            assertThat(failed.json().get("message").asText()).contains("writing to _schemas");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(STORE_TIMEOUT.multipliedBy(3));
            // Reads are served from memory while the broker is away.
            assertThat(http.get("/subjects/a-value/versions").body()).isEqualTo("[1,2]");
        }
    }
}
