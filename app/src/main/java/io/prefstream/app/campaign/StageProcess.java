package io.prefstream.app.campaign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.prefstream.app.PrefStreamCli;

/**
 * One pipeline stage as its own operating-system process, started exactly as deployed
 * ({@code prefstream run <stage> --config FILE}) on this JVM's class path. It can be killed with
 * SIGKILL ({@link Process#destroyForcibly()}: no shutdown hook, no final commit) and started again
 * over the same configuration and state directory, as a pod would be. Each run appends to one log file.
 */
final class StageProcess implements AutoCloseable {
    private static final long STOP_TIMEOUT_S = 30;

    private final String stage;
    private final Path config;
    private final Path log;
    private final String maxHeap;
    private Process process;
    private long startedNanos;
    private int kills;

    StageProcess(String stage, Path config, Path log, String maxHeap) {
        this.stage = stage;
        this.config = config;
        this.log = log;
        this.maxHeap = maxHeap;
    }

    String stage() {
        return stage;
    }

    int kills() {
        return kills;
    }

    Path log() {
        return log;
    }

    void start() {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx" + maxHeap, "-cp", System.getProperty("java.class.path"), PrefStreamCli.class.getName(),
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

    /** The last {@code lines} lines of the log: why a process stopped, for a report that outlives its files. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Exit code of a process that stopped on its own, or null while it runs. */
    Integer exitCode() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }

    double uptimeSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** SIGKILL, wait until the process is gone, start it again. */
    void killAndRestart() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(STOP_TIMEOUT_S, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the " + stage + " process survived SIGKILL for " + STOP_TIMEOUT_S + " s");
        }
        kills++;
        start();
    }

    /** SIGTERM (the stage commits and leaves its group), then SIGKILL if it takes too long. */
    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_S, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
