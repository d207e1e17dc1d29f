package io.prefstream.app.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.schemas.topic.TopicsConfig;
import io.prefstream.streams.async.AsyncStageDefaults;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code prefstream bench overhead}: what the pipeline costs over Kafka's own exactly-once floor. With
 * zero-latency inference, the full pipeline (pairing → consistency → labeler) runs the shared
 * generations; then, on the same broker, an exactly-once Kafka Streams passthrough copies the very
 * pairs.raw records the pipeline made (same keys, same bytes) between two topics with as many
 * partitions. Both are timed from the first record produced to the last output a read_committed
 * reader sees; the ratio is pipeline pairs/s over passthrough records/s. Before both, the JVM is warmed
 * up on throwaway pipeline runs ({@link JitWarmup}), which compiles the broker's and Kafka Streams'
 * paths the passthrough uses too.
 */
@Command(name = "overhead", mixinStandardHelpOptions = true,
    description = {"Compares the pipeline's pairs/s (zero-latency inference) with an exactly-once consume->produce "
        + "passthrough of the same records on the same broker.",
        "The last line is 'overhead pipeline_vs_passthrough=R'."})
public final class OverheadBenchmarkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", paramLabel = "FILE",
        description = "Generations JSON lines (plain or .gz); default: the shared AlpacaEval generations.")
    Path input;

    @Option(names = "--prompts", defaultValue = "700",
        description = "Prompts fed to the pipeline after its warm-up, all answers of each (default: ${DEFAULT-VALUE}; "
            + "the shared generations have 805 prompts).")
    int prompts;

    @Option(names = "--warmup-prompts", defaultValue = "100",
        description = "Prompts fed and finished on the measured stack before the pipeline is measured, so that its "
            + "fresh topics are past their first writes (default: ${DEFAULT-VALUE}).")
    int warmupPrompts;

    @Option(names = "--passthrough-records", defaultValue = "30000",
        description = "Records the passthrough copies: the pipeline's pairs.raw records, cycled; enough for several "
            + "seconds of steady copying (default: ${DEFAULT-VALUE}).")
    int passthroughRecords;

    @Option(names = "--instances", defaultValue = "2",
        description = "Concurrent executions per model on the zero-latency server (default: ${DEFAULT-VALUE}).")
    int instances;

    @Mixin
    JitWarmup jitWarmup;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
        description = "Run on this Kafka cluster instead of an in-process broker (topics and groups get a unique prefix).")
    String bootstrap;

    @Option(names = "--timeout", defaultValue = "PT10M",
        description = "Give up (exit 1) if the pipeline has not finished by then, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = spec.commandLine().getErr();
        if (prompts < 1 || warmupPrompts < 0 || passthroughRecords < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--prompts and --passthrough-records must be at least 1, --warmup-prompts at least 0");
        }
        Path source = input != null ? input : SharedGenerations.locate();
        Path warmup = Files.createTempFile("prefstream-bench-overhead-warmup", ".jsonl");
        Path generations = Files.createTempFile("prefstream-bench-overhead", ".jsonl");
        ReferenceServerSettings server = ReferenceServerSettings.defaults().withCapacity(64, instances);
        Map<String, String> stageSettings = PipelineRun.pipelineSettings(6);
        jitWarmup.run("overhead", source, bootstrap, server, stageSettings, timeout, out, progress);
        try (BenchStack stack = BenchStack.start("overhead", bootstrap, server, stageSettings)) {
            SharedGenerations.prompts(source, 0, warmupPrompts, warmup);
            SharedGenerations.prompts(source, warmupPrompts, prompts, generations);
            PipelineRun.Outcome pipeline;
            double pipelineCompileShare;
            try (PipelineRun run = PipelineRun.start("overhead", stack)) {
                if (warmupPrompts > 0) {
                    run.feedAndAwait(warmup, timeout, progress);
                }
                CompileClock start = CompileClock.now();
                pipeline = run.feedAndAwait(generations, timeout, progress);
                pipelineCompileShare = CompileClock.now().shareSince(start);
            }
            out.printf(Locale.ROOT, "pipeline: %d prompts, %d pairs ended in %.2f s = %.1f pairs/s (%d adjudicated); "
                    + "JIT compilation %.0f%% of the CPU%n", pipeline.prompts(), pipeline.pairs(), pipeline.seconds(),
                pipeline.pairsPerSecond(), pipeline.adjudicated(), 100 * pipelineCompileShare);
            out.flush();

            List<ConsumerRecord<byte[], byte[]>> records = ExactlyOncePassthrough.readAll(stack.bootstrapServers(),
                new Topics(stack.settings()).pairsRaw().name());
            double meanBytes = records.stream().mapToLong(r -> r.serializedValueSize() + r.serializedKeySize())
                .average().orElse(0);
            int partitions = new TopicsConfig(stack.settings()).getInt(TopicsConfig.PARTITIONS);
            CompileClock passthroughStart = CompileClock.now();
            double seconds = ExactlyOncePassthrough.measure(passthroughSettings(stack.settings()), stack.runId(),
                partitions, records, passthroughRecords);
            double passthroughCompileShare = CompileClock.now().shareSince(passthroughStart);
            OverheadFigures figures = new OverheadFigures(pipeline.pairs(), pipeline.seconds(), passthroughRecords,
                seconds);
            out.printf(Locale.ROOT, "passthrough: %d records cycled from the %d pairs.raw records (mean %.0f bytes), %d "
                    + "partitions, exactly_once_v2: %.2f s = %.1f records/s; JIT compilation %.0f%% of the CPU%n",
                passthroughRecords, records.size(), meanBytes, partitions, seconds,
                figures.passthroughRecordsPerSecond(), 100 * passthroughCompileShare);
            out.printf(Locale.ROOT, "measured pipeline_pairs=%d pipeline_seconds=%.3f passthrough_records=%d "
                    + "passthrough_seconds=%.3f%n", figures.pipelinePairs(), figures.pipelineSeconds(),
                figures.passthroughRecords(), figures.passthroughSeconds());
            out.println(figures.line());
            out.flush();
            return 0;
        } finally {
            Files.deleteIfExists(warmup);
            Files.deleteIfExists(generations);
        }
    }

    /** The stack's settings with the commit interval the consistency and labeller stages use when none is set. */
    private static Map<String, String> passthroughSettings(Map<String, String> settings) {
        Map<String, String> copy = new HashMap<>(settings);
        copy.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
            Long.toString(AsyncStageDefaults.COMMIT_INTERVAL_MS));
        return copy;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new OverheadBenchmarkCommand()).execute(args));
    }
}
