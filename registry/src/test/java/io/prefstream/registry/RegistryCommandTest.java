package io.prefstream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.ops.OpsServerConfig;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code registry} command: ready line, serving, clean stop on SIGTERM, help, config pass-through. */
@ExtendWith(SharedKafkaBroker.class)
class RegistryCommandTest {
    private static final Pattern READY = Pattern.compile("^ready registry=(http://127\\.0\\.0\\.1:\\d+)$");
    private static final Pattern OPS_URL = Pattern.compile("/readyz on (http://127\\.0\\.0\\.1:\\d+)");

    @Test
    void runsInItsOwnProcessUntilSigterm(EmbeddedKafkaBroker broker) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), RegistryCommand.class.getName(),
            "--bootstrap", broker.bootstrapServers(), "--port", "0", "--topic", SharedKafkaBroker.uniqueName("_schemas"))
            .redirectError(ProcessBuilder.Redirect.DISCARD);
        // the ops endpoint on a free port, never the deployment default 9400
        builder.environment().put("PREFSTREAM_METRICS_PORT", "0");
        Process process = builder.start();
        try (BufferedReader out = new BufferedReader(
                 new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String url = null;
            String line;
            while (url == null && (line = out.readLine()) != null) {
                Matcher ready = READY.matcher(line);
                if (ready.matches()) {
                    url = ready.group(1);
                }
            }
            assertThat(url).as("ready line").isNotNull();
            RegistryHttp http = new RegistryHttp(url);
            assertThat(http.get("/subjects").body()).isEqualTo("[]");
            assertThat(http.register("cli-value", "\"string\"")).isPositive();

            process.destroy();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void servesHealthReadinessAndJvmMetricsOnTheOpsPort(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        Path config = dir.resolve("registry.properties");
        Files.write(config, List.of(OpsServerConfig.PORT + "=0", OpsServerConfig.HOST + "=127.0.0.1"));
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread command = new Thread(() -> exit.set(new CommandLine(new RegistryCommand())
            .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
            .execute("--config", config.toString(), "--bootstrap", broker.bootstrapServers(), "--port", "0",
                "--topic", SharedKafkaBroker.uniqueName("_schemas"))), "registry-command");
        command.start();
        try {
            String ops = Await.until(Duration.ofSeconds(30), "the ops URL on stderr", () -> {
                Matcher matcher = OPS_URL.matcher(err.toString());
                return matcher.find() ? matcher.group(1) : null;
            }, found -> found != null);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ready = Await.until(Duration.ofSeconds(30), "/readyz 200",
                () -> get(http, ops + "/readyz"), response -> response.statusCode() == 200);
            assertThat(ready.body()).startsWith("ok schema-store: schema topic loaded, serving http://127.0.0.1:");
            // readiness comes from the store; the ready line is printed just after it
            Await.until(Duration.ofSeconds(30), "the ready line on stdout", out::toString,
                printed -> printed.contains("ready registry="));
            HttpResponse<String> live = get(http, ops + "/healthz");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.body()).contains("ok schema-store: following the schema topic");
            assertThat(get(http, ops + "/metrics").body())
                .contains("jvm_memory_used_bytes{", "process_uptime_seconds{", "stage=\"registry\"");

            command.interrupt();
            command.join(Duration.ofSeconds(30).toMillis());
            assertThat(command.isAlive()).as("stopped after interrupt").isFalse();
            assertThat(exit.get()).as(err.toString()).isZero();
            assertThatThrownBy(() -> get(http, ops + "/healthz")).as("ops server closed with the registry")
                .hasCauseInstanceOf(ConnectException.class);
        } finally {
            command.interrupt();
            command.join(Duration.ofSeconds(30).toMillis());
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) {
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

    @Test
    void helpListsOptionsAndConfigurationKeys() {
        StringWriter help = new StringWriter();
        int code = new CommandLine(new RegistryCommand()).setOut(new PrintWriter(help)).execute("--help");
        assertThat(code).isZero();
        assertThat(help.toString()).contains("--bootstrap", "--port", "--topic", "--basic-auth", "--config",
            RegistryConfig.TOPIC, RegistryConfig.STORE_TIMEOUT_MS, "bootstrap.servers",
            "metrics.port (int, default 9400)", "metrics.host (string, default 0.0.0.0)");
    }

    /** Kafka client settings from the config file reach the store's clients: a broken SASL setting breaks start. */
    @Test
    void kafkaClientSettingsFromTheConfigFileReachTheStore(EmbeddedKafkaBroker broker, @TempDir Path dir)
        throws Exception {
        Path config = dir.resolve("registry.properties");
        Files.write(config, List.of("security.protocol=SASL_PLAINTEXT", "sasl.mechanism=PLAIN", "metrics.port=0",
            RegistryConfig.STORE_TIMEOUT_MS + "=" + Duration.ofSeconds(2).toMillis()));
        StringWriter err = new StringWriter();
        int code = new CommandLine(new RegistryCommand()).setErr(new PrintWriter(err)).execute(
            "--config", config.toString(), "--bootstrap", broker.bootstrapServers(), "--port", "0",
            "--topic", SharedKafkaBroker.uniqueName("_schemas"));
        assertThat(code).isNotZero();
        assertThat(err.toString()).containsIgnoringCase("jaas");
    }
}
