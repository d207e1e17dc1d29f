package io.prefstream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.RegistryHttp.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With basic auth on, nothing is served without the right credentials. */
@ExtendWith(SharedKafkaBroker.class)
class BasicAuthTest {

    @Test
    void requestsNeedTheConfiguredCredentials(EmbeddedKafkaBroker broker) {
        RegistryOptions options = RegistryOptions.defaults().withTopic(SharedKafkaBroker.uniqueName("_schemas"))
            .withBasicAuth("trainer:s3cret:with-colon");
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(broker.bootstrapServers(), 0, options)) {
            Reply anonymous = new RegistryHttp(registry.url()).get("/subjects");
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.errorCode()).isEqualTo(401);
            assertThat(new RegistryHttp(registry.url(), "trainer:wrong").get("/subjects").status()).isEqualTo(401);
            assertThat(new RegistryHttp(registry.url(), "trainer:wrong")
                .post("/subjects/s/versions", RegistryHttp.schemaBody("\"string\"")).status()).isEqualTo(401);

            RegistryHttp authorized = new RegistryHttp(registry.url(), "trainer:s3cret:with-colon");
            assertThat(authorized.register("s-value", "\"string\"")).isPositive();
            assertThat(authorized.get("/subjects").body()).isEqualTo("[\"s-value\"]");
        }
    }
}
