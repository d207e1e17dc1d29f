package io.prefstream.app.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import io.prefstream.inference.reference.ReferenceServerSettings;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The JVM warm-up a throughput benchmark runs before it measures: throwaway pipeline runs, each on a
 * stack of its own (broker, registry, server, topics: nothing of it is left for the measured run but
 * the compiled code), until the JIT compiler is quiet. A deployed stage runs for days and compiles its
 * hot paths once; in a run of seconds, with the broker, the registry, the server and three stages in
 * one JVM on 2 cores, compilation took a quarter of the CPU of the measured feed even after a
 * 100-prompt warm-up on the measured stack. A picocli mixin: the options are the same for every benchmark.
 */
final class JitWarmup {
    @Spec(Spec.Target.MIXEE)
    CommandSpec benchmark;

    @Option(names = "--jit-warmup-rounds", defaultValue = "14",
        description = "At most this many throwaway pipeline runs before measuring, each on a stack of its own, ended "
            + "early once one leaves the JIT compiler quiet (see --jit-quiet-share); 0 measures a cold JVM "
            + "(default: ${DEFAULT-VALUE}).")
    int maxRounds;

    @Option(names = "--jit-warmup-prompts", defaultValue = "805",
        description = "Prompts of the input fed in each warm-up round (default: ${DEFAULT-VALUE}, all of the shared "
            + "generations).")
    int prompts;

    @Option(names = "--jit-quiet-share", defaultValue = "0.05",
        description = "The JIT compiler is quiet when compilation took at most this share of the CPU (all cores) "
            + "during a round (default: ${DEFAULT-VALUE}).")
    double quietShare;

    /** Runs the rounds, printing one line per round (pairs, seconds, compilation's share of the CPU) to {@code out}. */
    void run(String name, Path source, String bootstrap, ReferenceServerSettings server,
             Map<String, String> stageSettings, Duration timeout, PrintWriter out, PrintWriter progress)
        throws Exception {
        if (maxRounds < 0 || prompts < 1 || !(quietShare > 0 && quietShare < 1)) {
            throw new CommandLine.ParameterException(benchmark.commandLine(), "--jit-warmup-rounds must be at least 0, "
                + "--jit-warmup-prompts at least 1 and --jit-quiet-share between 0 and 1");
        }
        Path generations = Files.createTempFile("prefstream-bench-jit-warmup", ".jsonl");
        try {
            SharedGenerations.prompts(source, 0, prompts, generations);
            for (int round = 1; round <= maxRounds; round++) {
                CompileClock start = CompileClock.now();
                PipelineRun.Outcome outcome;
                try (BenchStack stack = BenchStack.start(name + "-jit" + round, bootstrap, server, stageSettings);
                     PipelineRun run = PipelineRun.start(name + "-jit" + round, stack)) {
                    outcome = run.feedAndAwait(generations, timeout, progress);
                }
                double share = CompileClock.now().shareSince(start);
                out.printf(Locale.ROOT, "jit warm-up round %d: %d pairs in %.1f s, compilation %.0f%% of the CPU%n",
                    round, outcome.pairs(), outcome.seconds(), 100 * share);
                out.flush();
                if (share <= quietShare) {
                    break;
                }
            }
        } finally {
            Files.deleteIfExists(generations);
        }
    }
}
