package io.prefstream.app.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.prefstream.app.pipeline.OpsMetrics;
import io.prefstream.app.pipeline.StageProcess;

/**
 * One pipeline stage in its own JVM ({@link StageProcess}) with a given maximum heap, so that its resident
 * memory is its own. Output goes to a log file; the ops endpoint's address is read from it (the config sets
 * {@code metrics.port=0}).
 * Closing sends SIGTERM, then SIGKILL if the stage has not stopped in time.
 */
final class StageChild implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final int LOG_TAIL_LINES = 30;

    private final StageProcess process;

    private StageChild(StageProcess process) {
        this.process = process;
    }

    static StageChild start(String stage, Path config, Path log, String maxHeap) {
        StageProcess process = new StageProcess(stage, config, log, maxHeap, STOP_TIMEOUT);
        process.start();
        return new StageChild(process);
    }

    String stage() {
        return process.stage();
    }

    long pid() {
        return process.pid();
    }

    ProcMemory memory() {
        return ProcMemory.of(process.pid());
    }

    /** Fails, with the end of the stage's log, if the process has exited. */
    void checkAlive() {
        Integer exitCode = process.exitCode();
        if (exitCode != null) {
            throw new IllegalStateException("the " + stage() + " process exited with code " + exitCode
                + "; the end of " + process.log() + ":\n" + logTail());
        }
    }

    /** True once the ops endpoint answers 200 on /readyz. */
    boolean ready() {
        checkAlive();
        String ops = OpsMetrics.opsUrl(process.log());
        return ops != null && OpsMetrics.readiness(ops) == 200;
    }

    /** The sum of every sample of a Prometheus gauge the stage exports at /metrics, whatever its tags. */
    double metric(String name) throws IOException {
        return metric(name, "");
    }

    /** The sum of the samples of a Prometheus gauge whose tags contain {@code tag}, e.g. {@code area="heap"}. */
    double metric(String name, String tag) throws IOException {
        String ops = OpsMetrics.opsUrl(process.log());
        if (ops == null) {
            throw new IllegalStateException(stage() + " has no ops endpoint yet");
        }
        String text = OpsMetrics.scrape(ops);
        if (text == null) {
            throw new IOException(stage() + " did not answer on " + ops + "/metrics");
        }
        return OpsMetrics.sum(text, name, List.of(tag));
    }

    String logTail() {
        return process.logTail(LOG_TAIL_LINES);
    }

    /** SIGKILL at once: for a shutdown hook, when there is no time for a clean stop. */
    void kill() {
        process.kill();
    }

    /** SIGTERM (the stage commits and leaves its group), then SIGKILL if it takes longer than the stop timeout. */
    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
