package io.prefstream.app.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.prefstream.app.PrefStreamCli;

/**
 * One pipeline stage in its own JVM, started as deployed ({@code prefstream run <stage> --config FILE})
 * on this JVM's class path with a given maximum heap, so that its resident memory is its own. Output goes
 * to a log file; the ops endpoint's address is read from it (the config sets {@code metrics.port=0}).
 * Closing sends SIGTERM, then SIGKILL if the stage has not stopped in time.
 */
final class StageChild implements AutoCloseable {
    private static final Pattern OPS_URL = Pattern.compile(": /metrics, /healthz and /readyz on (http://\\S+)");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);
    private static final int LOG_TAIL_LINES = 30;

    private final String stage;
    private final Path log;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
    private URI ops;

    private StageChild(String stage, Path log, Process process) {
        this.stage = stage;
        this.log = log;
        this.process = process;
    }

    static StageChild start(String stage, Path config, Path log, String maxHeap) {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx" + maxHeap, "-cp", absoluteClassPath(), PrefStreamCli.class.getName(), "run", stage,
            "--config", config.toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            return new StageChild(stage, log, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + stage + " stage process", e);
        }
    }

    /** The class path with every entry made absolute, so that it holds whatever the child's directory. */
    private static String absoluteClassPath() {
        String separator = System.getProperty("path.separator");
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(Pattern.quote(separator))) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        return String.join(separator, entries);
    }

    String stage() {
        return stage;
    }

    long pid() {
        return process.pid();
    }

    ProcMemory memory() {
        return ProcMemory.of(process.pid());
    }

    /** Fails, with the end of the stage's log, if the process has exited. */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the " + stage + " process exited with code " + process.exitValue()
                + "; the end of " + log + ":\n" + logTail());
        }
    }

    /** True once the ops endpoint answers 200 on /readyz. */
    boolean ready() {
        checkAlive();
        Optional<URI> address = opsAddress();
        if (address.isEmpty()) {
            return false;
        }
        try {
            return get(address.get().resolve("/readyz")).statusCode() == 200;
        } catch (IOException e) {
            return false; // starting: the port may not accept yet
        }
    }

    /** The sum of every sample of a Prometheus gauge the stage exports at /metrics, whatever its tags. */
    double metric(String name) throws IOException {
        return metric(name, "");
    }

    /** The sum of the samples of a Prometheus gauge whose tags contain {@code tag}, e.g. {@code area="heap"}. */
    double metric(String name, String tag) throws IOException {
        URI address = opsAddress().orElseThrow(() -> new IllegalStateException(stage + " has no ops endpoint yet"));
        double sum = 0;
        for (String line : get(address.resolve("/metrics")).body().split("\n")) {
            if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(tag)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private HttpResponse<String> get(URI uri) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + uri, e);
        }
    }

    private Optional<URI> opsAddress() {
        if (ops == null) {
            try {
                Matcher m = OPS_URL.matcher(Files.readString(log));
                if (m.find()) {
                    ops = URI.create(m.group(1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + log, e);
            }
        }
        return Optional.ofNullable(ops);
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** SIGKILL at once: for a shutdown hook, when there is no time for a clean stop. */
    void kill() {
        process.destroyForcibly();
    }

    /** SIGTERM (the stage commits and leaves its group), then SIGKILL if it takes longer than the stop timeout. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
