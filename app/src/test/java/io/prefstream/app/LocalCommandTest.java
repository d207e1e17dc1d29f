package io.prefstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code prefstream local} as a real child process: ready line, SIGTERM, restart on the same data dir. */
class LocalCommandTest {
    private static final Pattern READY = Pattern.compile(
        "ready bootstrap=127\\.0\\.0\\.1:(\\d+) registry=http://127\\.0\\.0\\.1:(\\d+) inference=127\\.0\\.0\\.1:(\\d+) ingest=http://127\\.0\\.0\\.1:(\\d+)");
    private static final String SCHEMA = "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Kept\\\","
        + "\\\"fields\\\":[{\\\"name\\\":\\\"a\\\",\\\"type\\\":\\\"string\\\"}]}\"}";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void printsReadyLineStopsOnSigtermAndKeepsStateAcrossRestarts(@TempDir Path dataDir) throws Exception {
        String registry;
        Set<String> topicsFirstRun;
        Process first = startLocal(dataDir);
        try {
            Matcher ready = awaitReady(first);
            registry = "http://127.0.0.1:" + ready.group(2);
            assertThat(get(registry + "/subjects")).isEqualTo("[]");
            assertThat(post(registry + "/subjects/kept-value/versions", SCHEMA)).isEqualTo("{\"id\":1}");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + ready.group(1)))) {
                topicsFirstRun = admin.listTopics().names().get();
            }
            assertThat(topicsFirstRun).contains("prefstream.pairs.raw", "prefstream.pairs.curated",
                "prefstream.pairs.raw.dlq", "_schemas");
        } finally {
            first.destroy();
        }
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("local stops on SIGTERM").isTrue();

        Process second = startLocal(dataDir);
        try {
            Matcher ready = awaitReady(second);
            String registryAgain = "http://127.0.0.1:" + ready.group(2);
            assertThat(get(registryAgain + "/subjects")).isEqualTo("[\"kept-value\"]");
            assertThat(get(registryAgain + "/schemas/ids/1")).contains("Kept");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + ready.group(1)))) {
                assertThat(admin.listTopics().names().get()).containsAll(topicsFirstRun);
            }
        } finally {
            second.destroy();
            second.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static Process startLocal(Path dataDir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
            PrefStreamCli.class.getName(), "local", "--data-dir", dataDir.toString(),
            "--kafka-port", "0", "--registry-port", "0", "--inference-port", "0", "--ingest-port", "0"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    }

    /** Reads stdout until the ready line; the 60 s bound is the start-up promise. */
    private static Matcher awaitReady(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Matcher> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    Matcher matcher = READY.matcher(line);
                    if (matcher.matches()) {
                        return matcher;
                    }
                }
                throw new AssertionError("local exited without a ready line");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        return ready.get(60, TimeUnit.SECONDS);
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }

    private String post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }
}
