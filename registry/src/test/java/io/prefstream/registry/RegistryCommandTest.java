package io.prefstream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.SharedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code registry} command: ready line, serving, clean stop on SIGTERM, help, config pass-through. */
@ExtendWith(SharedKafkaBroker.class)
class RegistryCommandTest {
    private static final Pattern READY = Pattern.compile("^ready registry=(http://127\\.0\\.0\\.1:\\d+)$");

    @Test
    void runsInItsOwnProcessUntilSigterm(EmbeddedKafkaBroker broker) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), RegistryCommand.class.getName(),
            "--bootstrap", broker.bootstrapServers(), "--port", "0", "--topic", SharedKafkaBroker.uniqueName("_schemas"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
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
    void helpListsOptionsAndConfigurationKeys() {
        StringWriter help = new StringWriter();
        int code = new CommandLine(new RegistryCommand()).setOut(new PrintWriter(help)).execute("--help");
        assertThat(code).isZero();
        assertThat(help.toString()).contains("--bootstrap", "--port", "--topic", "--basic-auth", "--config",
            RegistryConfig.TOPIC, RegistryConfig.STORE_TIMEOUT_MS, "bootstrap.servers");
    }

    /** Kafka client settings from the config file reach the store's clients: a broken SASL setting breaks start. */
    @Test
    void kafkaClientSettingsFromTheConfigFileReachTheStore(EmbeddedKafkaBroker broker, @TempDir Path dir)
        throws Exception {
        Path config = dir.resolve("registry.properties");
        Files.write(config, List.of("security.protocol=SASL_PLAINTEXT", "sasl.mechanism=PLAIN",
            RegistryConfig.STORE_TIMEOUT_MS + "=" + Duration.ofSeconds(2).toMillis()));
        StringWriter err = new StringWriter();
        int code = new CommandLine(new RegistryCommand()).setErr(new PrintWriter(err)).execute(
            "--config", config.toString(), "--bootstrap", broker.bootstrapServers(), "--port", "0",
            "--topic", SharedKafkaBroker.uniqueName("_schemas"));
        assertThat(code).isNotZero();
        assertThat(err.toString()).containsIgnoringCase("jaas");
    }
}
