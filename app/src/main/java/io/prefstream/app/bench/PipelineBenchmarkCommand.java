package io.prefstream.app.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.prefstream.inference.bench.SimulatedEndpointOptions;
import io.prefstream.consistency.ConsistencyConfig;
import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.labeler.LabelerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code prefstream bench pipeline}: the full pipeline (pairing → consistency → labeler, each an
 * exactly_once_v2 Kafka Streams app, inference through the async processor, batching client and memo)
 * against a naive pipeline on the same topics whose inference is synchronous per record, both on the
 * same real generations against a reference server with simulated latency.
 *
 * <p>The naive side runs the very same stages with their pending window set to one record and the
 * client's linger to zero: a stream thread hands one record's inference to the server and processes
 * nothing else until it is answered, which is what a blocking call in {@code mapValues} does. It keeps
 * the memo and the coalescing of equal requests, so it is, if anything, faster than a hand-written
 * naive loop; the ratio is conservative.
 *
 * <p>Before either side, the JVM is warmed up on throwaway runs of the full pipeline ({@link JitWarmup}):
 * the stages of a deployment run for days, past their JIT compilation.
 *
 * <p>Each side gets a fresh broker, registry and server (the server's counters are per side). Pairs
 * per second are end to end: pairs of pairs.raw that ended (curated, rejected, review, dead letter)
 * over the time from the start of the feed. The endpoint shares use steady-state rates (between 10%
 * and 90% of the items the server served), sampled from the server's ModelStatistics.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = {"Benchmarks the full pipeline against a naive one with synchronous per-record inference, on the "
        + "shared AlpacaEval generations, against the reference server with simulated latency.",
        "The last line is 'pipeline vs_naive=Rx capacity_share=S limiting=ENDPOINT'."})
public final class PipelineBenchmarkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", paramLabel = "FILE",
        description = "Generations JSON lines (plain or .gz); default: the shared AlpacaEval generations.")
    Path input;

    @Option(names = "--prompts", defaultValue = "700",
        description = "Prompts fed to the full pipeline after its warm-up, all answers of each (15 pairs per 6-answer "
            + "prompt) (default: ${DEFAULT-VALUE}; the shared generations have 805 prompts).")
    int prompts;

    @Option(names = "--naive-prompts", defaultValue = "8",
        description = "Prompts fed to the naive pipeline (default: ${DEFAULT-VALUE}).")
    int naivePrompts;

    @Option(names = "--warmup-prompts", defaultValue = "100",
        description = "Prompts fed to the full pipeline on the measured stack and finished before it is measured (others "
            + "than the measured ones), so that its fresh topics are past their first writes (default: ${DEFAULT-VALUE}).")
    int warmupPrompts;

    @Option(names = "--naive-warmup-prompts", defaultValue = "5",
        description = "The same for the naive pipeline, which waits on the server, not on the CPU "
            + "(default: ${DEFAULT-VALUE}).")
    int naiveWarmupPrompts;

    @Mixin
    SimulatedEndpointOptions endpoint;

    @Mixin
    JitWarmup jitWarmup;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
        description = "Run on this Kafka cluster instead of in-process brokers (topics and groups get a unique prefix).")
    String bootstrap;

    @Option(names = "--timeout", defaultValue = "PT10M",
        description = "Give up (exit 1) if a side has not finished by then, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** One measured side. */
    private record Side(PipelineRun.Outcome outcome, ServerCounters calls, double judgeSteadyRate,
                        double rewardSteadyRate, EndpointCapacity capacity, double compileShare) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (prompts < 1 || naivePrompts < 1 || warmupPrompts < 0 || naiveWarmupPrompts < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--prompts and --naive-prompts must be at least 1, --warmup-prompts and --naive-warmup-prompts at least 0");
        }
        Path source = input != null ? input : SharedGenerations.locate();
        ReferenceServerSettings server = endpoint.serverSettings();
        out.printf(Locale.ROOT, "reference server: %.0f ms per execution, max batch %d, %d instances; input %s%n",
            endpoint.latencyMs(), endpoint.maxBatch(), endpoint.instances(), source);
        out.flush();
        jitWarmup.run("pipeline", source, bootstrap, server, fullSettings(), timeout, out, spec.commandLine().getErr());

        Side full = measure("full", source, warmupPrompts, prompts, server, fullSettings());
        print(out, "full", full);
        Side naive = measure("naive", source, naiveWarmupPrompts, naivePrompts, server, naiveSettings());
        print(out, "naive", naive);

        EndpointCapacity capacity = full.capacity();
        PipelineFigures figures = new PipelineFigures(full.outcome().pairs(), full.outcome().seconds(),
            naive.outcome().pairs(), naive.outcome().seconds(), full.judgeSteadyRate(), capacity.judgePromptsPerSecond(),
            full.rewardSteadyRate(), capacity.rewardItemsPerSecond());
        out.printf(Locale.ROOT, "endpoint capacity: judge %.0f prompts/s (%d per execution, probed), each reward model "
                + "%.0f items/s%n", capacity.judgePromptsPerSecond(), capacity.judgePromptsPerExecution(),
            capacity.rewardItemsPerSecond());
        out.printf(Locale.ROOT, "full pipeline load: judge %.2f of capacity (labeler stage), reward models %.2f "
            + "(consistency stage); limiting endpoint: %s%n", figures.judgeShare(), figures.rewardShare(),
            figures.limitingEndpoint());
        out.printf(Locale.ROOT, "full %.1f pairs/s vs naive %.1f pairs/s%n", figures.fullPairsPerSecond(),
            figures.naivePairsPerSecond());
        out.printf(Locale.ROOT, "measured full_pairs=%d full_seconds=%.3f naive_pairs=%d naive_seconds=%.3f "
                + "judge_steady=%.1f judge_capacity=%.1f reward_steady=%.1f reward_capacity=%.1f%n", figures.fullPairs(),
            figures.fullSeconds(), figures.naivePairs(), figures.naiveSeconds(), figures.judgeSteadyRate(),
            figures.judgeCapacity(), figures.rewardSteadyRate(), figures.rewardCapacity());
        out.println(figures.line());
        out.flush();
        return 0;
    }

    /**
     * The pipeline as deployed against this endpoint: twice as many requests in flight as the server can
     * execute at once (instances × max batch), since judge prompts are one request each and the server
     * batches concurrent ones: a full batch running and one queued behind it on each instance, as the
     * inference benchmark found it takes to keep the instances busy. With the default of 8 the client,
     * not the server, would be the limit.
     */
    private Map<String, String> fullSettings() {
        Map<String, String> settings = new HashMap<>(PipelineRun.pipelineSettings(6));
        settings.put(InferenceConfig.MAX_IN_FLIGHT, Integer.toString(2 * endpoint.instances() * endpoint.maxBatch()));
        return settings;
    }

    /** The same stages, one record in flight per processor, no linger: a blocking call per record. */
    private Map<String, String> naiveSettings() {
        Map<String, String> settings = new HashMap<>(fullSettings());
        settings.put(ConsistencyConfig.MAX_PENDING_RECORDS, "1");
        settings.put(LabelerConfig.MAX_PENDING_RECORDS, "1");
        settings.put(InferenceConfig.BATCH_LINGER_MS, "0");
        return settings;
    }

    private Side measure(String name, Path source, int warmupCount, int promptCount, ReferenceServerSettings server,
                         Map<String, String> stageSettings) throws Exception {
        PrintWriter progress = spec.commandLine().getErr();
        Path warmup = Files.createTempFile("prefstream-bench-pipeline-warmup", ".jsonl");
        Path generations = Files.createTempFile("prefstream-bench-pipeline", ".jsonl");
        try (BenchStack stack = BenchStack.start("pipeline-" + name, bootstrap, server, stageSettings);
             PipelineRun run = PipelineRun.start(name, stack)) {
            SharedGenerations.prompts(source, 0, warmupCount, warmup);
            SharedGenerations.prompts(source, warmupCount, promptCount, generations);
            EndpointCapacity capacity = EndpointCapacity.probe(stack.settings(), endpoint);
            if (warmupCount > 0) {
                run.feedAndAwait(warmup, timeout, progress);
            }
            ServerCounters before = ServerCounters.read(stack.settings());
            PipelineRun.Outcome outcome;
            double judgeRate;
            double rewardRate;
            CompileClock start = CompileClock.now();
            try (CounterSampler sampler = new CounterSampler(stack.settings(), 250)) {
                outcome = run.feedAndAwait(generations, timeout, progress);
                judgeRate = sampler.steadyRate(ServerCounters::judgeItems);
                rewardRate = Math.max(sampler.steadyRate(ServerCounters::bestItems),
                    sampler.steadyRate(ServerCounters::goldItems));
            }
            double compileShare = CompileClock.now().shareSince(start);
            ServerCounters calls = ServerCounters.read(stack.settings()).minus(before);
            return new Side(outcome, calls, judgeRate, rewardRate, capacity, compileShare);
        } finally {
            Files.deleteIfExists(warmup);
            Files.deleteIfExists(generations);
        }
    }

    private static void print(PrintWriter out, String name, Side side) {
        PipelineRun.Outcome o = side.outcome();
        ServerCounters c = side.calls();
        out.printf(Locale.ROOT, "%-5s: %d prompts, %d pairs ended in %.1f s = %.1f pairs/s (%d adjudicated, %d "
                + "dead-lettered); server: rm %d+%d items, judge %d prompts in %d executions, steady judge %.0f "
                + "prompts/s; JIT compilation %.0f%% of the CPU%n", name, o.prompts(), o.pairs(), o.seconds(),
            o.pairsPerSecond(), o.adjudicated(), o.deadLettered(), c.bestItems(), c.goldItems(), c.judgeItems(),
            c.judgeExecutions(), side.judgeSteadyRate(), 100 * side.compileShare());
        out.flush();
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new PipelineBenchmarkCommand()).execute(args));
    }
}
