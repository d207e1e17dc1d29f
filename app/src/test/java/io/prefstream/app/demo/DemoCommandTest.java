package io.prefstream.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefstream.app.PrefStreamCli;
import io.prefstream.platform.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, as a user runs it: {@code prefstream demo} in a child JVM, to its summary;
 * again on the same data dir (resume, no reprocessing); and killed mid-run, then restarted.
 */
class DemoCommandTest {
    private static final Pattern ENDED = Pattern.compile("ended (\\d+)/(\\d+)");
    private static final Duration DEMO_TIMEOUT = Duration.ofMinutes(8);
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void runsToAConsistentSummaryAndResumesWithoutReprocessing(@TempDir Path dataDir) throws Exception {
        JsonNode first = summaryOf(runToEnd(dataDir, "--pairs", "60"));
        assertInvariants(first);
        assertThat(first.get("ingested").asLong()).isEqualTo(60);
        assertThat(first.get("pairs").asLong()).isEqualTo(60);
        assertThat(first.get("inference_calls").get("rm-best").asLong())
            .as("one best-RM call per distinct response").isEqualTo(60);
        assertThat(first.get("inference_calls").get("rm-gold").asLong()).isEqualTo(60);

        JsonNode second = summaryOf(runToEnd(dataDir, "--pairs", "60"));
        assertInvariants(second);
        for (String key : List.of("pairs", "accepted", "flipped", "rejected", "review", "dlq", "table_rows", "snapshot_id")) {
            assertThat(second.get(key)).as(key).isEqualTo(first.get(key));
        }
        second.get("inference_calls").forEach(calls -> assertThat(calls.asLong()).as("no inference on resume").isZero());
    }

    @Test
    void reachesTheSameEndAfterAnAbruptKillMidRun(@TempDir Path dataDir) throws Exception {
        Process killed = demo(dataDir, ProcessBuilder.Redirect.PIPE, "--pairs", "600");
        awaitProgress(killed);
        killed.destroyForcibly();
        assertThat(killed.waitFor(60, TimeUnit.SECONDS)).isTrue();

        JsonNode summary = summaryOf(runToEnd(dataDir, "--pairs", "600"));
        assertInvariants(summary);
        assertThat(summary.get("pairs").asLong()).isEqualTo(600);
    }

    @Test
    void carriesTheSharedDataThroughTheWholePipeline(@TempDir Path dataDir) throws Exception {
        JsonNode pairs = summaryOf(runToEnd(dataDir.resolve("hh"), "--input",
            SharedData.file(SharedData.HH_RLHF).toString(), "--format", "hh-rlhf"));
        assertInvariants(pairs);
        assertThat(pairs.get("pairs").asLong()).as("2,312 lines, 9 rejected at ingest").isEqualTo(2303);

        JsonNode generations = summaryOf(runToEnd(dataDir.resolve("alpaca"), "--input",
            SharedData.file(SharedData.ALPACA_EVAL).toString(), "--format", "generations"));
        assertInvariants(generations);
        assertThat(generations.get("ingested").asLong()).isEqualTo(4830);
        assertThat(generations.get("pairs").asLong()).as("n(n-1)/2 per prompt over distinct responses").isEqualTo(12024);
        assertThat(generations.get("inference_calls").get("rm-best").asLong())
            .as("one call per distinct response").isEqualTo(4819);
        assertThat(generations.get("inference_calls").get("rm-gold").asLong()).isEqualTo(4819);
    }

    private static void assertInvariants(JsonNode summary) {
        long pairs = summary.get("pairs").asLong();
        long accepted = summary.get("accepted").asLong();
        long flipped = summary.get("flipped").asLong();
        assertThat(accepted + flipped + summary.get("rejected").asLong() + summary.get("review").asLong()
            + summary.get("dlq").asLong()).as("every pair ends in exactly one place").isEqualTo(pairs);
        assertThat(summary.get("table_rows").asLong()).as("table rows = accepted + flipped").isEqualTo(accepted + flipped);
        assertThat(summary.get("consensus").asLong() + summary.get("adjudicated").asLong()).isEqualTo(pairs);
    }

    private JsonNode summaryOf(String stdout) throws IOException {
        String[] lines = stdout.strip().split("\n");
        return json.readTree(lines[lines.length - 1]);
    }

    private static String runToEnd(Path dataDir, String... args) throws Exception {
        Path stderr = dataDir.resolve("demo.err");
        Process process = demo(dataDir, ProcessBuilder.Redirect.appendTo(stderr.toFile()), args);
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> readAll(process));
        boolean finished = process.waitFor(DEMO_TIMEOUT.toMinutes() + 2, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        assertThat(finished && process.exitValue() == 0)
            .as("demo %s ends with exit 0; last progress:%n%s", String.join(" ", args), tail(stderr)).isTrue();
        return stdout.get(1, TimeUnit.MINUTES);
    }

    /** The demo's last progress lines and errors, for a failure message. */
    private static String tail(Path stderr) throws IOException {
        List<String> lines = Files.readAllLines(stderr).stream()
            .filter(line -> line.startsWith("[") || line.startsWith("demo:") || line.contains("ERROR")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    /** Waits until the demo reports that some, but not all, pairs have ended. */
    private static void awaitProgress(Process process) throws Exception {
        CompletableFuture<Void> midRun = CompletableFuture.runAsync(() -> {
            try (BufferedReader err = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = err.readLine(); line != null; line = err.readLine()) {
                    Matcher ended = ENDED.matcher(line);
                    if (ended.find() && Long.parseLong(ended.group(1)) > 0) {
                        return;
                    }
                }
                throw new AssertionError("demo ended before any pair was decided");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        midRun.get(5, TimeUnit.MINUTES);
    }

    private static Process demo(Path dataDir, ProcessBuilder.Redirect stderr, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx1g", "-cp",
            System.getProperty("java.class.path"), PrefStreamCli.class.getName(), "demo", "--json",
            "--timeout", DEMO_TIMEOUT.toString(), "--data-dir", dataDir.toString()));
        command.addAll(List.of(args));
        Files.createDirectories(dataDir);
        return new ProcessBuilder(command).redirectError(stderr).start();
    }

    private static String readAll(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
