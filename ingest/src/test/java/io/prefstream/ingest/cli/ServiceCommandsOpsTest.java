package io.prefstream.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.model.PairDraft;
import io.prefstream.ingest.model.Turn;
import io.prefstream.ingest.produce.PrefProducer;
import io.prefstream.ingest.produce.PrefProducers;
import io.prefstream.ingest.testing.SharedRegistry;
import io.prefstream.platform.config.ConfigSources;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.topic.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code run pairing} and {@code ingest-server} as deployed: each serves /metrics, /healthz and /readyz on
 * a free port ({@code metrics.port=0}), turns ready once it works, and closes the endpoint when stopped.
 */
@ExtendWith({SharedKafkaBroker.class, SharedRegistry.class})
class ServiceCommandsOpsTest {
    private static final Pattern OPS_URL = Pattern.compile("/readyz on (http://127\\.0\\.0\\.1:\\d+)");
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void pairingIsReadyWhenItsStreamRunsAndExportsStreamsAndDedupMetrics(EmbeddedKafkaBroker broker,
                                                                         SchemaRegistryServer registry) throws Exception {
        Path config = config(broker, registry, "ingest.pairing.application.id=" + SharedKafkaBroker.uniqueName("pairing"),
            "state.dir=" + dir.resolve("streams"));
        Running pairing = Running.start(new PairingCommand(), "--config", config.toString());
        try {
            String url = pairing.opsUrl();
            HttpResponse<String> ready = Await.until(Duration.ofSeconds(60), "/readyz 200",
                () -> get(url + "/readyz"), response -> response.statusCode() == 200);
            assertThat(ready.body()).contains("ok kafka-streams: kafka streams RUNNING");
            assertThat(get(url + "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(url + "/metrics").body()).contains("kafka_stream_thread_process_rate{",
                "kafka_stream_alive_stream_threads{", "jvm_memory_used_bytes{", "stage=\"pairing\"");

            sendTwice(config); // the same pair in two requests
            Await.until(Duration.ofSeconds(60), "the duplicate counted on /metrics", () -> get(url + "/metrics").body(),
                body -> body.contains("prefstream_ingest_submitted_pairs_total{outcome=\"duplicate\",stage=\"pairing\"} 1.0")
                    && body.contains("prefstream_ingest_submitted_pairs_total{outcome=\"forwarded\",stage=\"pairing\"} 1.0"));
            assertThat(pairing.stop()).isZero();
            assertThatThrownBy(() -> get(url + "/healthz")).hasCauseInstanceOf(ConnectException.class);
        } finally {
            pairing.stop();
        }
    }

    @Test
    void ingestServerIsReadyWhenServingAndExportsProducerMetrics(EmbeddedKafkaBroker broker,
                                                                 SchemaRegistryServer registry) throws Exception {
        Running server = Running.start(new IngestServerCommand(), "--config", config(broker, registry).toString(),
            "--port", "0");
        try {
            String url = server.opsUrl();
            HttpResponse<String> ready = Await.until(Duration.ofSeconds(60), "/readyz 200",
                () -> get(url + "/readyz"), response -> response.statusCode() == 200);
            assertThat(ready.body()).startsWith("ok http: serving http://");
            assertThat(get(url + "/metrics").body()).contains("kafka_producer_record_send_total{",
                "jvm_memory_used_bytes{", "stage=\"ingest-server\"");
            assertThat(server.stop()).isZero();
            assertThatThrownBy(() -> get(url + "/readyz")).hasCauseInstanceOf(ConnectException.class);
        } finally {
            server.stop();
        }
    }

    @Test
    void theServiceCommandsListTheOpsKeysAndTheFileIngestDoesNot() {
        for (Object command : new Object[] {new PairingCommand(), new IngestServerCommand()}) {
            assertThat(new CommandLine(command).getUsageMessage())
                .contains("metrics.port (int, default 9400)", "metrics.host (string, default 0.0.0.0)");
        }
        assertThat(new CommandLine(new IngestCommand()).getUsageMessage()).doesNotContain("metrics.port");
    }

    private static void sendTwice(Path config) throws Exception {
        IngestConfig settings = new IngestConfig(ConfigSources.load(config, Map.of()));
        Topics topics = Topics.from(settings);
        try (PrefProducer producer = PrefProducers.create(settings, topics)) {
            PairDraft pair = new PairDraft(List.of(Turn.user("2+2?")), "4", "5", "human");
            producer.send(pair, "first-request", Map.of()).get(30, TimeUnit.SECONDS);
            producer.send(pair, "second-request", Map.of()).get(30, TimeUnit.SECONDS);
        } finally {
            topics.registry().close();
        }
    }

    private Path config(EmbeddedKafkaBroker broker, SchemaRegistryServer registry, String... extra) throws IOException {
        Path config = dir.resolve(SharedKafkaBroker.uniqueName("ingest") + ".properties");
        Files.writeString(config, String.join("\n",
            "bootstrap.servers=" + broker.bootstrapServers(),
            "schema.registry.url=" + registry.url(),
            "topic.prefix=" + SharedKafkaBroker.uniqueName("ops") + ".",
            "topic.partitions=2",
            "metrics.port=0",
            "metrics.host=127.0.0.1",
            String.join("\n", extra), ""));
        return config;
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

    /** A command running on its own thread until interrupted, as an embedding launcher would run it. */
    private record Running(Thread thread, StringWriter err, AtomicInteger exit) {
        static Running start(Callable<Integer> command, String... args) {
            StringWriter err = new StringWriter();
            AtomicInteger exit = new AtomicInteger(-1);
            Thread thread = new Thread(() -> exit.set(new CommandLine(command).setErr(new PrintWriter(err, true))
                .setOut(new PrintWriter(new StringWriter(), true)).execute(args)), "command-under-test");
            thread.start();
            return new Running(thread, err, exit);
        }

        String opsUrl() {
            return Await.until(Duration.ofSeconds(60), "the ops URL on stderr", () -> {
                Matcher matcher = OPS_URL.matcher(err.toString());
                return matcher.find() ? matcher.group(1) : null;
            }, found -> found != null);
        }

        /** Interrupts the command and returns its exit code once it returned. */
        int stop() throws InterruptedException {
            thread.interrupt();
            thread.join(Duration.ofSeconds(60).toMillis());
            assertThat(thread.isAlive()).as("stopped after interrupt").isFalse();
            return exit.get();
        }
    }
}
