package io.prefstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

@ExtendWith(SharedKafkaBroker.class)
class LagCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new LagCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void jsonShowsAStalledStageWithItsLagAndStatus(EmbeddedKafkaBroker broker) throws Exception {
        try (LaggingPipeline pipeline = new LaggingPipeline(broker, "labeler", 1)) {
            pipeline.produce(0, 50);
            pipeline.consumeAndCommit(0, 20);

            int exit = run("--bootstrap", broker.bootstrapServers(), "--group-prefix", pipeline.prefix, "--json",
                "--window", "2", "--interval", "100ms");

            assertThat(exit).as(err.toString()).isZero();
            JsonNode report = new ObjectMapper().readTree(out.toString());
            assertThat(fieldNames(report)).containsExactly("at", "samples", "window_size", "span_millis", "status",
                "stages");
            assertThat(report.get("samples").asInt()).isEqualTo(2);
            assertThat(report.get("window_size").asInt()).isEqualTo(2);
            assertThat(report.get("span_millis").asLong()).isGreaterThanOrEqualTo(100);
            assertThat(report.get("status").asText()).isEqualTo("ERR");

            JsonNode stage = report.get("stages").get(0);
            assertThat(fieldNames(stage)).containsExactly("stage", "group", "kind", "state", "members", "lag",
                "consume_rate", "produce_rate", "drain_seconds", "status", "condition", "detail", "partitions");
            assertThat(stage.get("stage").asText()).isEqualTo("labeler");
            assertThat(stage.get("group").asText()).isEqualTo(pipeline.group);
            assertThat(stage.get("kind").asText()).isEqualTo("consumer-group");
            assertThat(stage.get("state").asText()).isEqualTo("EMPTY");
            assertThat(stage.get("lag").asLong()).isEqualTo(30);
            assertThat(stage.get("status").asText()).isEqualTo("ERR");
            assertThat(stage.get("condition").asText()).isEqualTo("STALLED");
            assertThat(stage.get("drain_seconds").isNull()).isTrue();

            JsonNode partition = stage.get("partitions").get(0);
            assertThat(fieldNames(partition)).containsExactly("topic", "partition", "position", "log_start", "end",
                "lag", "consume_rate", "produce_rate", "drain_seconds", "status", "condition", "detail");
            assertThat(partition.get("topic").asText()).isEqualTo(pipeline.topic);
            assertThat(partition.get("position").asLong()).isEqualTo(20);
            assertThat(partition.get("log_start").asLong()).isZero();
            assertThat(partition.get("end").asLong()).isEqualTo(50);
            assertThat(partition.get("lag").asLong()).isEqualTo(30);
            assertThat(partition.get("consume_rate").asDouble()).isZero();
            assertThat(partition.get("produce_rate").asDouble()).isZero();
            assertThat(partition.get("detail").asText()).startsWith("position stuck at 20 for ");
        }
    }

    @Test
    void watchPrintsOneTableFramePerSampleWithoutAnsiWhenNotATerminal(EmbeddedKafkaBroker broker) throws Exception {
        try (LaggingPipeline pipeline = new LaggingPipeline(broker, "pairing", 1)) {
            pipeline.produce(0, 5);
            pipeline.consumeAndCommit(0, 5);

            int exit = run("--bootstrap", broker.bootstrapServers(), "--group-prefix", pipeline.prefix, "--watch",
                "--count", "2", "--interval", "50ms");

            assertThat(exit).as(err.toString()).isZero();
            String text = out.toString();
            assertThat(text).doesNotContain("\u001b[");
            List<String> headers = text.lines().filter(l -> l.startsWith("STAGE")).toList();
            assertThat(headers).hasSize(2);
            assertThat(headers.get(0)).containsSubsequence("TOPIC", "PART", "POSITION", "END", "LAG", "PROD/s", "CONS/s",
                "DRAIN", "STATUS", "WHY");
            assertThat(text.lines().filter(l -> l.startsWith("pairing (0 members, EMPTY)"))).hasSize(2)
                .allSatisfy(l -> assertThat(l).contains(" OK ").endsWith("CAUGHT_UP"));
            assertThat(text.lines().filter(l -> l.contains(pipeline.topic))).hasSize(2)
                .allSatisfy(l -> assertThat(l.split("\\s+")).containsSequence("0", "5", "5", "0"));
        }
    }

    @Test
    void asAnExporterItServesTheLagAsGaugesAndStaysUpWhenSamplesFail(EmbeddedKafkaBroker broker) throws Exception {
        try (LaggingPipeline pipeline = new LaggingPipeline(broker, "labeler", 1)) {
            pipeline.produce(0, 50);
            pipeline.consumeAndCommit(0, 20);
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Thread exporter = new Thread(() -> run("--bootstrap", broker.bootstrapServers(), "--group-prefix",
                pipeline.prefix, "--watch", "--quiet", "--metrics-port", String.valueOf(port), "--interval", "100ms",
                "--window", "3"));
            exporter.start();
            HttpClient http = HttpClient.newHttpClient();
            URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
            String tags = "group=\"" + pipeline.group + "\",partition=\"0\",stage=\"labeler\",topic=\"" + pipeline.topic + "\"";
            String scrape = Await.until(Duration.ofSeconds(30),
                "the stalled stage's gauges", () -> {
                    try {
                        return http.send(HttpRequest.newBuilder(metrics).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    } catch (IOException e) {
                        return ""; // not listening yet
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }, body -> body.contains("prefstream_lag_status{" + tags + "} 2.0"));
            assertThat(scrape).contains("prefstream_lag_records{" + tags + "} 30.0")
                .contains("prefstream_lag_position{" + tags + "} 20.0")
                .contains("prefstream_lag_stage_status{group=\"" + pipeline.group + "\",stage=\"labeler\"} 2.0");
            exporter.interrupt();
            exporter.join(10_000);
            assertThat(exporter.isAlive()).isFalse();
            assertThat(out.toString()).as("--quiet").isEmpty();
        }

        int exit = run("--bootstrap", "127.0.0.1:1", "--watch", "--count", "2", "--interval", "10ms", "--timeout", "300ms");
        assertThat(exit).as("a watcher survives failed samples").isZero();
        assertThat(err.toString().lines().filter(l -> l.startsWith("lag sample failed: cannot list groups"))).hasSize(2);
    }

    @Test
    void noMatchingGroupSaysSo(EmbeddedKafkaBroker broker) {
        int exit = run("--bootstrap", broker.bootstrapServers(), "--group-prefix", "nobody-uses-this-", "--window", "1");
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("no stages found (no matching consumer group and no position source)");
    }

    @Test
    void badOptionsAreRefusedWithTheReason() {
        assertThat(run("--metrics-port", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--metrics-port needs --watch");
        assertThat(run("--window", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--window must be at least 1 sample, got 0");
        assertThat(run("--interval", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration: use e.g. 500ms, 2s, 1m, 1h or PT2S");
    }

    @Test
    void anUnreachableClusterFailsWithinTheTimeoutNamingTheRequest() {
        int exit = run("--bootstrap", "127.0.0.1:1", "--window", "1", "--timeout", "1s");
        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("cannot list groups");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
