package io.prefstream.app.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.prefstream.app.pipeline.PipelineTally;
import io.prefstream.ingest.cli.IngestCommand;
import io.prefstream.ingest.config.IngestConfig;
import picocli.CommandLine;

/**
 * The pipeline's stages running on a {@link BenchStack}, fed and timed: {@link #feedAndAwait} feeds a
 * generations file through the ingest command (validated, acknowledged) and waits until every
 * expected pair has reached an end. The clock runs from the start of the feed to the last pair seen
 * terminal by a read_committed reader; counts are of what that feed added.
 */
final class PipelineRun implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final Duration STARTUP = Duration.ofSeconds(120);

    /** What one feed produced; counts are of distinct ids. */
    record Outcome(double seconds, long prompts, long distinctResponses, long pairs, long adjudicated,
                   long decidedWithoutLlm, long deadLettered) {
        double pairsPerSecond() {
            return pairs / seconds;
        }
    }

    private final String name;
    private final BenchStack stack;
    private final PipelineStages stages;
    private final PipelineTally tally;

    private PipelineRun(String name, BenchStack stack, PipelineStages stages, PipelineTally tally) {
        this.name = name;
        this.stack = stack;
        this.stages = stages;
        this.tally = tally;
    }

    /** Starts the stages and waits until all run: feeding a stage mid-rebalance would time its start-up. */
    static PipelineRun start(String name, BenchStack stack) throws InterruptedException {
        PipelineStages stages = PipelineStages.start(stack.settings(), stack.runId());
        PipelineRun run = new PipelineRun(name, stack, stages, PipelineTally.of(stack.settings()));
        try {
            long deadline = System.nanoTime() + STARTUP.toNanos();
            while (!stages.allRunning()) {
                stages.checkAlive();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + ": the stages did not all reach RUNNING within " + STARTUP);
                }
                Thread.sleep(50);
            }
            return run;
        } catch (RuntimeException | InterruptedException e) {
            run.close();
            throw e;
        }
    }

    /**
     * Feeds {@code generations} (every line a valid generation) and waits until all of them are read
     * back and every pair the pipeline holds has ended.
     */
    Outcome feedAndAwait(Path generations, Duration timeout, PrintWriter progress) throws IOException {
        long lines = SharedGenerations.countLines(generations);
        tally.update(Duration.ZERO);
        long expectedGenerations = tally.generations() + lines;
        long prompts = tally.prompts();
        long responses = tally.distinctResponses();
        long pairs = tally.pairs();
        long adjudicated = tally.adjudicated();
        long withoutLlm = tally.decidedWithoutLlm();
        long deadLettered = tally.deadLettered();
        long started = System.nanoTime();
        ingest(stack, generations, progress);
        long deadline = started + timeout.toNanos();
        long nextProgress = started + PROGRESS_EVERY.toNanos();
        while (tally.generations() < expectedGenerations || !tally.complete()) {
            long now = System.nanoTime();
            stages.checkAlive();
            if (now > deadline) {
                throw new IllegalStateException(name + ": only " + tally.terminal() + " of " + tally.pairsExpected()
                    + " pairs ended within " + timeout);
            }
            if (now > nextProgress) {
                progress.printf("%s: %.0f s, pairs %d of %d, adjudicated %d, ended %d%n", name, (now - started) / 1e9,
                    tally.pairs() - pairs, tally.pairsExpected() - pairs, tally.adjudicated() - adjudicated,
                    tally.terminal() - pairs);
                progress.flush();
                nextProgress = now + PROGRESS_EVERY.toNanos();
            }
            tally.update(POLL);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Outcome(seconds, tally.prompts() - prompts, tally.distinctResponses() - responses,
            tally.pairs() - pairs, tally.adjudicated() - adjudicated, tally.decidedWithoutLlm() - withoutLlm,
            tally.deadLettered() - deadLettered);
    }

    /** Fails with the stage's name if one of the stages stopped for good. */
    void checkAlive() {
        stages.checkAlive();
    }

    /** Feeds a generations file through the ingest command, as a user would; returns once all are acknowledged. */
    static void ingest(BenchStack stack, Path generations, PrintWriter progress) throws IOException {
        CommandLine ingest = new CommandLine(new IngestCommand()).setOut(progress).setErr(progress);
        int code = ingest.execute("--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl(),
            "--format", "generations", "--progress", "off", "--config", stack.ingestConfigFile().toString(),
            generations.toString());
        if (code != IngestCommand.EXIT_OK) {
            throw new IllegalStateException("ingest of " + generations + " failed with exit code " + code);
        }
    }

    /** The pipeline settings every benchmark shares: pair a prompt at its K-th answer, or after a 1 s gap. */
    static Map<String, String> pipelineSettings(int responsesPerPrompt) {
        return Map.of(
            IngestConfig.PAIRING_RESPONSES_PER_PROMPT, Integer.toString(responsesPerPrompt),
            IngestConfig.PAIRING_GAP_MS, "1000");
    }

    @Override
    public void close() {
        tally.close();
        stages.close();
    }
}
