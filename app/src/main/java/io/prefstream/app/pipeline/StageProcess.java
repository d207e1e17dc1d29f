package io.prefstream.app.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.prefstream.app.PrefStreamCli;

/**
 * One pipeline stage as its own operating-system process, started exactly as deployed
 * ({@code prefstream run <stage> --config FILE}) on this JVM's class path. It can be killed with
 * SIGKILL ({@link Process#destroyForcibly()}: no shutdown hook, no final commit) and started again
 * over the same configuration and state directory, as a pod would be. Each run appends to one log file.
 * Used by the resilience campaigns and the memory benchmark.
 */
public final class StageProcess implements AutoCloseable {

    private final String stage;
    private final Path config;
    private final Path log;
    private final String maxHeap;
    private final Duration stopTimeout;
    private Process process;
    private long startedNanos;
    private int kills;

    /**
     * @param maxHeap     the child's {@code -Xmx}, e.g. {@code 512m}
     * @param stopTimeout how long a stop (SIGTERM) and then a SIGKILL may each take
     */
    public StageProcess(String stage, Path config, Path log, String maxHeap, Duration stopTimeout) {
        this.stage = stage;
        this.config = config;
        this.log = log;
        this.maxHeap = maxHeap;
        this.stopTimeout = stopTimeout;
    }

    public String stage() {
        return stage;
    }

    public int kills() {
        return kills;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public void start() {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx" + maxHeap, "-cp", absoluteClassPath(), PrefStreamCli.class.getName(),
            "run", stage, "--config", config.toString());
        try {
            Files.writeString(log, "=== start " + (kills + 1) + " of " + stage + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            startedNanos = System.nanoTime();
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

    /** The last {@code lines} lines of the log: why a process stopped, for a report that outlives its files. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Exit code of a process that stopped on its own, or null while it runs. */
    public Integer exitCode() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }

    public double uptimeSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** SIGKILL, wait until the process is gone, start it again. */
    public void killAndRestart() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the " + stage + " process survived SIGKILL for " + stopTimeout);
        }
        kills++;
        start();
    }

    /** SIGKILL at once, without waiting: for a shutdown hook, when there is no time for a clean stop. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    /** SIGTERM (the stage commits and leaves its group), then SIGKILL if it takes too long. */
    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
