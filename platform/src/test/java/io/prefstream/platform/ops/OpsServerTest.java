package io.prefstream.platform.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedKafkaBroker.class)
class OpsServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void probesFollowTheStreamsStateAndMetricsCarryStreamsAndJvmMeters(EmbeddedKafkaBroker broker) throws Exception {
        String input = SharedKafkaBroker.uniqueName("ops-in");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(java.util.List.of(new NewTopic(input, 1, (short) 1))).all().get();
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input).foreach((k, v) -> { });
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, SharedKafkaBroker.uniqueName("ops-app"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.STATE_DIR_CONFIG, java.nio.file.Files.createTempDirectory("ops-state").toString());
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        AtomicBoolean closing = new AtomicBoolean();

        PrometheusMeterRegistry registry = StageMetrics.registry("test-stage");
        try (var streamsMetrics = StageMetrics.bind(streams, registry);
             OpsServer ops = OpsServer.builder(registry)
                 .readiness("kafka-streams", KafkaStreamsChecks.running(streams))
                 .liveness("kafka-streams", KafkaStreamsChecks.notFailed(streams, closing::get))
                 .start(new OpsServerConfig(Map.of(OpsServerConfig.PORT, "0", OpsServerConfig.HOST, "127.0.0.1")))) {
            // CREATED: alive (nothing failed) but not ready
            assertThat(get(ops, "/readyz").statusCode()).isEqualTo(503);
            assertThat(get(ops, "/readyz").body()).contains("FAIL kafka-streams: kafka streams CREATED");
            assertThat(get(ops, "/healthz").statusCode()).isEqualTo(200);

            streams.start();
            Await.until(Duration.ofSeconds(30), "/readyz 200", () -> get(ops, "/readyz").statusCode() == 200);
            assertThat(get(ops, "/readyz").body()).isEqualTo("ok kafka-streams: kafka streams RUNNING\n");

            HttpResponse<String> metrics = get(ops, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
            // names the dashboard and alerts use (docs/METRICS.md), all tagged with the stage
            assertThat(metrics.body())
                .contains("kafka_stream_thread_process_rate{")
                .contains("kafka_stream_thread_commit_latency_avg{")
                .contains("kafka_consumer_fetch_manager_records_lag_max{")
                .contains("jvm_memory_used_bytes{")
                .contains("process_uptime_seconds{")
                .contains("stage=\"test-stage\"");

            // Streams closed by someone other than the process's own shutdown: liveness fails
            streams.close(Duration.ofSeconds(10));
            HttpResponse<String> health = get(ops, "/healthz");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("FAIL kafka-streams: kafka streams NOT_RUNNING");
            closing.set(true);
            assertThat(get(ops, "/healthz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutChecksTheProcessIsAliveAndReadyAndOtherPathsAre404() throws Exception {
        try (OpsServer ops = OpsServer.builder(StageMetrics.registry("bare"))
                 .start(new OpsServerConfig(Map.of(OpsServerConfig.PORT, "0", OpsServerConfig.HOST, "127.0.0.1")))) {
            assertThat(get(ops, "/healthz").body()).isEqualTo("ok process: alive\n");
            assertThat(get(ops, "/readyz").statusCode()).isEqualTo(200);
            assertThat(get(ops, "/metricsx").statusCode()).isEqualTo(404);
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(ops.url() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void aThrowingCheckReportsDownWithTheReason() throws Exception {
        try (OpsServer ops = OpsServer.builder(StageMetrics.registry("throwing"))
                 .readiness("inference-circuit", () -> { throw new IllegalStateException("boom"); })
                 .start(new OpsServerConfig(Map.of(OpsServerConfig.PORT, "0", OpsServerConfig.HOST, "127.0.0.1")))) {
            HttpResponse<String> ready = get(ops, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("FAIL inference-circuit: check threw java.lang.IllegalStateException: boom");
        }
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> new OpsServerConfig(Map.of(OpsServerConfig.PORT, "70000")))
            .hasMessageContaining("metrics.port");
        assertThatThrownBy(() -> OpsServer.builder(StageMetrics.registry("off"))
            .start(new OpsServerConfig(Map.of(OpsServerConfig.PORT, "-1"))))
            .hasMessageContaining("metrics.port=-1 disables");
        assertThatThrownBy(() -> OpsServer.builder(StageMetrics.registry("dup"))
            .readiness("a", () -> HealthCheck.Result.up("x")).readiness("a", () -> HealthCheck.Result.up("y")))
            .hasMessageContaining("'a' is already registered");
        assertThatThrownBy(() -> StageMetrics.registry(" ")).hasMessageContaining("stage name must not be blank");
    }

    @Test
    void aTakenPortIsReportedWithTheAddress() throws Exception {
        try (OpsServer first = OpsServer.builder(StageMetrics.registry("one"))
                 .start(new OpsServerConfig(Map.of(OpsServerConfig.PORT, "0", OpsServerConfig.HOST, "127.0.0.1")))) {
            assertThatThrownBy(() -> OpsServer.builder(StageMetrics.registry("two"))
                .start(new OpsServerConfig(Map.of(OpsServerConfig.PORT, String.valueOf(first.port()),
                    OpsServerConfig.HOST, "127.0.0.1"))))
                .hasMessageContaining("cannot bind the ops server to /127.0.0.1:" + first.port());
        }
    }

    private HttpResponse<String> get(OpsServer ops, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(ops.url() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
