package io.prefstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.iceberg.Table;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import io.prefstream.ops.PositionSource;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.ops.OpsServerConfig;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.Verdict;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.sinks.cli.RunSinkCommand;
import io.prefstream.sinks.config.SinkConfig;
import io.prefstream.sinks.support.HhRlhfVerdicts;
import io.prefstream.sinks.support.SinkFixture;
import io.prefstream.sinks.table.SinkPositionSource;

/**
 * {@code run sink} as deployed: its ops server scraped over HTTP on a free port ({@code metrics.port=0}),
 * the sink meters matching the table, and the sink's position source reading the same table offsets.
 */
@ExtendWith(SharedKafkaBroker.class)
class RunSinkOpsTest {
    private static final Pattern OPS_URL = Pattern.compile("/readyz on (http://127\\.0\\.0\\.1:\\d+)");
    private static SchemaRegistryServer registry;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startRegistry(EmbeddedKafkaBroker broker) {
        registry = SinkFixture.startRegistry(broker);
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void servesSinkMetricsAndItsTableOffsetsAreItsLagPosition(EmbeddedKafkaBroker broker, @TempDir Path dir)
        throws Exception {
        try (SinkFixture world = new SinkFixture(broker, registry, dir.resolve("data"))) {
            Topics topics = world.topics();
            List<Verdict> verdicts = HhRlhfVerdicts.verdicts(40);
            world.produce(topics.pairsCurated(), verdicts, v -> v.getPair().getPairId(), 40, false);
            Map<String, String> settings = world.settings(Map.of(OpsServerConfig.PORT, "0",
                OpsServerConfig.HOST, "127.0.0.1", SinkConfig.COMMIT_INTERVAL_MS, "200"));
            Properties properties = new Properties();
            properties.putAll(settings);
            Path config = dir.resolve("sink.properties");
            try (Writer writer = Files.newBufferedWriter(config)) {
                properties.store(writer, null);
            }

            StringWriter err = new StringWriter();
            AtomicInteger exit = new AtomicInteger(-1);
            Thread command = new Thread(() -> exit.set(new CommandLine(new RunSinkCommand())
                .setErr(new PrintWriter(err, true)).setOut(new PrintWriter(new StringWriter(), true))
                .execute("--config", config.toString())), "sink-command");
            command.start();
            try {
                String url = Await.until(Duration.ofSeconds(60), "the ops server URL on stderr", () -> {
                    Matcher matcher = OPS_URL.matcher(err.toString());
                    return matcher.find() ? matcher.group(1) : null;
                }, found -> found != null);
                HttpResponse<String> ready = Await.until(Duration.ofSeconds(30), "/readyz 200",
                    () -> get(url + "/readyz"), response -> response.statusCode() == 200);
                assertThat(ready.body()).contains("ok sinks: 2 of 2 sinks running");
                assertThat(get(url + "/healthz").statusCode()).isEqualTo(200);

                String table = world.table().name();
                // one scrape reads each meter in turn: wait until a single scrape shows the whole commit
                String scrape = Await.until(Duration.ofSeconds(60), "40 rows in a counted commit on /metrics",
                    () -> get(url + "/metrics").body(),
                    body -> sample(body, "prefstream_sink_rows_committed_total", table) == 40
                        && sample(body, "prefstream_sink_commits_total", table) > 0);
                Table current = world.table();
                assertThat(sample(scrape, "prefstream_sink_last_snapshot_id", table))
                    .isEqualTo((double) current.currentSnapshot().snapshotId());
                assertThat(sample(scrape, "prefstream_sink_commits_total", table)).isPositive();
                assertThat(sample(scrape, "prefstream_sink_commit_latency_seconds_count", table))
                    .isEqualTo(sample(scrape, "prefstream_sink_commits_total", table));
                assertThat(sample(scrape, "prefstream_sink_records_read_total", table)).isEqualTo(40);
                assertThat(sample(scrape, "prefstream_sink_commit_conflicts_total", table)).isZero();
                assertThat(scrape).contains("prefstream_sink_commit_latency_seconds_bucket{",
                    "kafka_consumer_fetch_manager_records_lag_max{", "jvm_memory_used_bytes{", "stage=\"sink\"");

                // the lag command's view of the sink: the table's offsets = the end of every partition
                List<PositionSource> sources = SinkPositionSource.sources(new PrefStreamConfig(settings));
                assertThat(sources).singleElement().satisfies(s -> assertThat(s.stage()).isEqualTo("sink"));
                Map<TopicPartition, Long> positions = sources.get(0).positions(Map.of()); // the table alone
                assertThat(positions.keySet()).allSatisfy(tp -> assertThat(tp.topic()).isEqualTo(topics.pairsCurated().name()));
                // offsets 0..n-1 of each partition are in the table: the positions add up to the 40 records
                assertThat(positions.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(40);

                command.interrupt();
                command.join(Duration.ofSeconds(60).toMillis());
                assertThat(command.isAlive()).as("stopped after interrupt").isFalse();
                assertThat(exit.get()).as(err.toString()).isZero();
                assertThatThrownBy(() -> get(url + "/healthz")).as("ops server closed with the sink")
                    .hasCauseInstanceOf(ConnectException.class);
            } finally {
                command.interrupt();
                command.join(Duration.ofSeconds(60).toMillis());
            }
        }
    }

    private HttpResponse<String> get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of {@code metric} for the sink of {@code table} in a Prometheus text exposition; NaN if absent. */
    private static double sample(String exposition, String metric, String table) {
        return exposition.lines().filter(l -> l.startsWith(metric + "{") && l.contains("table=\"" + table + "\""))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(Double.NaN);
    }
}
