package io.prefstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.ops.OpsServer;
import io.prefstream.platform.ops.OpsServerConfig;
import io.prefstream.platform.ops.StageMetrics;
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

/**
 * Every metric the dashboard and the alert rules query is documented in docs/METRICS.md and exported by
 * the code: PrefStream's own meters as declared in the modules' sources (registered for real in a
 * Prometheus registry), Kafka Streams / JVM meters as a real Streams instance bound by
 * {@code StageMetrics} serves them over the ops server. And every metric the doc lists is exported.
 */
@ExtendWith(SharedKafkaBroker.class)
class MetricNamesCrossCheckTest {
    private static final Pattern METRIC = Pattern.compile("\\b((?:prefstream|kafka|jvm|process|system)_[a-z0-9_]*[a-z0-9])\\b");

    /** The series a histogram or timer base name (documented once) is exported as. */
    private static final String HISTOGRAM_SUFFIX = "_(bucket|count|sum|max)$";

    /** Metric names in PromQL: label matchers, strings and durations removed first. */
    static Set<String> metricsIn(String promql) {
        String stripped = promql.replaceAll("\\{[^}]*}", "").replaceAll("\"[^\"]*\"", "");
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(stripped);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    static Set<String> queried() {
        Set<String> names = new TreeSet<>();
        AlertsAndDashboardTest.panels().forEach(p -> p.path("targets").forEach(t -> names.addAll(metricsIn(t.path("expr").asText()))));
        AlertsAndDashboardTest.alertRules().forEach(r -> names.addAll(metricsIn((String) r.get("expr"))));
        return names;
    }

    static Set<String> documented() throws IOException {
        // names are written as code spans; fenced blocks (the JSON example) are not names
        String doc = Files.readString(Manifests.repoRoot().resolve("docs/METRICS.md")).replaceAll("(?s)```.*?```", "");
        Set<String> names = new TreeSet<>();
        Matcher code = Pattern.compile("`([^`]+)`").matcher(doc);
        while (code.find()) {
            if (METRIC.matcher(code.group(1)).matches()) {
                names.add(code.group(1));
            }
        }
        return names;
    }

    @Test
    void theExtractorFindsMetricNamesButNotLabelsOrFunctions() {
        assertThat(metricsIn("histogram_quantile(0.99, sum by (le, model) (rate(prefstream_inference_latency_seconds_bucket"
            + "{stage=~\"$stage\", kafka_version=\"4\"}[5m])))"))
            .containsExactly("prefstream_inference_latency_seconds_bucket");
        assertThat(metricsIn("max by (stage) (kafka_stream_thread_process_rate) / process_cpu_usage"))
            .containsExactly("kafka_stream_thread_process_rate", "process_cpu_usage");
    }

    @Test
    void theScannerResolvesConstantsAndHelperMethods() {
        String source = """
            final class M {
                static final String PREFIX = "prefstream.x.";
                public static final String WHOLE = "prefstream.z.pairs";
                void c() { Counter.builder(WHOLE).tag("outcome", "a").register(r); }
                void a() { Counter.builder(PREFIX + "done").register(r); Timer.builder("prefstream.y.latency"); }
                private Counter counter(String name, String description) {
                    return Counter.builder(PREFIX + name).description(description).register(registry);
                }
                void b() { counter("memo.hits", "d"); counter("calls", "d"); }
            }
            """;
        assertThat(MeterDeclarations.scanFile(Path.of("M.java"), source))
            .extracting(MeterDeclarations.Declaration::kind, MeterDeclarations.Declaration::name)
            .containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(MeterDeclarations.Kind.TIMER, "prefstream.y.latency"),
                org.assertj.core.groups.Tuple.tuple(MeterDeclarations.Kind.COUNTER, "prefstream.x.done"),
                org.assertj.core.groups.Tuple.tuple(MeterDeclarations.Kind.COUNTER, "prefstream.x.memo.hits"),
                org.assertj.core.groups.Tuple.tuple(MeterDeclarations.Kind.COUNTER, "prefstream.x.calls"),
                org.assertj.core.groups.Tuple.tuple(MeterDeclarations.Kind.COUNTER, "prefstream.z.pairs"));
        assertThat(MeterDeclarations.prometheusSeries(MeterDeclarations.scanFile(Path.of("M.java"), source)))
            .contains("prefstream_x_done_total", "prefstream_y_latency_seconds_bucket", "prefstream_y_latency_seconds_count");
    }

    @Test
    void everyQueriedMetricIsDocumentedAndExportedAndEveryDocumentedOneIsExported(EmbeddedKafkaBroker broker)
        throws Exception {
        Set<String> queried = queried();
        assertThat(queried).as("dashboard + alerts query metrics").hasSizeGreaterThan(20);
        Set<String> documented = documented();

        Set<String> exported = new TreeSet<>(MeterDeclarations.prometheusSeries(MeterDeclarations.scan(Manifests.repoRoot())));
        exported.addAll(streamsStageScrape(broker));

        assertThat(queried.stream().filter(n -> !documented.contains(n.replaceFirst(HISTOGRAM_SUFFIX, ""))
                && !documented.contains(n)).toList())
            .as("queried by the dashboard or alerts but not in docs/METRICS.md").isEmpty();
        assertThat(queried.stream().filter(n -> !exported.contains(n)).toList())
            .as("queried by the dashboard or alerts but exported by no code").isEmpty();
        // a documented histogram or timer base name is exported as <name>_bucket/_count/_sum/_max
        assertThat(documented.stream()
            .filter(n -> !exported.contains(n) && exported.stream().noneMatch(e -> e.startsWith(n + "_"))).toList())
            .as("in docs/METRICS.md but exported by no code").isEmpty();
    }

    /** The /metrics of a real Kafka Streams stage bound with StageMetrics, over HTTP. */
    private static Set<String> streamsStageScrape(EmbeddedKafkaBroker broker) throws Exception {
        String input = SharedKafkaBroker.uniqueName("crosscheck-in");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(input, 1, (short) 1))).all().get();
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input).foreach((k, v) -> { });
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, SharedKafkaBroker.uniqueName("crosscheck-app"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("crosscheck-state").toString());
        PrometheusMeterRegistry registry = StageMetrics.registry("crosscheck");
        HttpClient http = HttpClient.newHttpClient();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props);
             var bound = StageMetrics.bind(streams, registry);
             OpsServer ops = OpsServer.builder(registry).start(new OpsServerConfig(
                 Map.of(OpsServerConfig.PORT, "0", OpsServerConfig.HOST, "127.0.0.1")))) {
            streams.start();
            Await.until(Duration.ofSeconds(30), "streams RUNNING", () -> streams.state() == KafkaStreams.State.RUNNING);
            String body = http.send(HttpRequest.newBuilder(URI.create(ops.url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            return MeterDeclarations.seriesNames(body);
        }
    }
}
