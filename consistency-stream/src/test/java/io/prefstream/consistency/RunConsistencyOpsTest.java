package io.prefstream.consistency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import io.prefstream.inference.reference.ReferenceInferenceServer;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.ops.OpsServerConfig;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.schemas.registry.InMemorySchemaRegistryClient;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.schemas.topic.TopicsConfig;

/**
 * {@code run consistency} as deployed: the real command against the shared broker and the reference
 * inference server, its ops server scraped over HTTP on a free port ({@code metrics.port=0}).
 */
@ExtendWith(SharedKafkaBroker.class)
class RunConsistencyOpsTest {
    private static final Pattern OPS_URL = Pattern.compile("/readyz on (http://127\\.0\\.0\\.1:\\d+)");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesStageMetricsAndTurnsReadyOnceRunning(EmbeddedKafkaBroker broker, @TempDir Path stateDir)
        throws Exception {
        String prefix = SharedKafkaBroker.uniqueName("ops") + ".";
        Map<String, String> settings = Map.of(
            PrefStreamConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers(),
            PrefStreamConfig.SCHEMA_REGISTRY_URL, InMemorySchemaRegistryClient.SCHEME + prefix,
            PrefStreamConfig.TOPIC_PREFIX, prefix,
            TopicsConfig.PARTITIONS, "2",
            TopicsConfig.REPLICATION_FACTOR, "1",
            StreamsConfig.APPLICATION_ID_CONFIG, SharedKafkaBroker.uniqueName("consistency-ops"),
            StreamsConfig.STATE_DIR_CONFIG, stateDir.toString(),
            StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100",
            OpsServerConfig.PORT, "0",
            OpsServerConfig.HOST, "127.0.0.1");
        StringWriter err = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        try (ReferenceInferenceServer inference = ReferenceInferenceServer.start(ReferenceServerSettings.defaults())) {
            List<String> args = new ArrayList<>();
            settings.forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
            args.addAll(List.of("--set", PrefStreamConfig.INFERENCE_ENDPOINTS + "=" + inference.address()));
            Thread stage = new Thread(() -> exit.set(new CommandLine(new RunConsistencyCommand())
                .setErr(new PrintWriter(err, true)).execute(args.toArray(String[]::new))), "consistency-command");
            stage.start();
            try {
                String url = Await.until(Duration.ofSeconds(60), "the ops server URL on stderr", () -> {
                    Matcher matcher = OPS_URL.matcher(err.toString());
                    return matcher.find() ? matcher.group(1) : null;
                }, found -> found != null);

                HttpResponse<String> ready = Await.until(Duration.ofSeconds(60), "/readyz 200",
                    () -> get(url + "/readyz"), response -> response.statusCode() == 200);
                assertThat(ready.body()).contains("ok kafka-streams: kafka streams RUNNING", "ok inference:");
                assertThat(get(url + "/healthz").statusCode()).isEqualTo(200);

                Topics topics = Topics.from(new ConsistencyConfig(settings));
                TopicIO.send(broker.bootstrapServers(), topics.pairsRaw(), SharedPairs.hhRlhf().subList(0, 20));

                // every pair is decided: the decision counters reach 20 (each pair lands on exactly one route)
                String scrape = Await.until(Duration.ofSeconds(90), "20 decisions on /metrics",
                    () -> get(url + "/metrics").body(), body -> sum(body, "prefstream_consistency_decisions_total") >= 20);
                assertThat(sum(scrape, "prefstream_consistency_decisions_total")).isEqualTo(20);
                assertThat(scrape).contains(
                    "kafka_stream_thread_process_rate{", "kafka_stream_alive_stream_threads{",
                    "prefstream_inference_latency_seconds_bucket{", "prefstream_inference_circuit_state{",
                    "prefstream_async_calls_total{", "prefstream_async_pending_records{", "jvm_memory_used_bytes{",
                    "stage=\"consistency\"");
                assertThat(sum(scrape, "prefstream_inference_requests_total")).isPositive();
                assertThat(scrape.lines().filter(l -> l.startsWith("prefstream_") || l.startsWith("kafka_stream_"))
                    .toList()).allSatisfy(line -> assertThat(line).contains("stage=\"consistency\""));

                stage.interrupt();
                stage.join(Duration.ofSeconds(90).toMillis());
                assertThat(stage.isAlive()).as("stopped after interrupt").isFalse();
                assertThat(exit.get()).as(err.toString()).isZero();
                assertThatThrownBy(() -> get(url + "/healthz")).as("ops server closed with the stage")
                    .hasCauseInstanceOf(ConnectException.class);
            } finally {
                stage.interrupt();
                stage.join(Duration.ofSeconds(90).toMillis());
            }
        }
    }

    private HttpResponse<String> get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sum of every sample of {@code metric} (all tag sets) in a Prometheus text exposition. */
    private static double sum(String exposition, String metric) {
        return exposition.lines().filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
