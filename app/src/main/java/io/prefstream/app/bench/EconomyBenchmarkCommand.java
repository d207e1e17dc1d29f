package io.prefstream.app.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.prefstream.inference.reference.ReferenceServerSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code prefstream bench economy}: how much inference the pipeline spends on real generations. Runs
 * pairing → consistency → labeler (exactly-once, each its own Kafka Streams app) on an in-process
 * broker, registry and reference server (zero latency: the counts do not depend on it), feeds the
 * shared AlpacaEval generations and, once every pair has ended, divides what the server counted
 * (ModelStatistics inference_count per model) by what the topics hold (distinct response ids on
 * generations, distinct pairs on pairs.raw and pairs.adjudicate).
 */
@Command(name = "economy", mixinStandardHelpOptions = true,
    description = {"Measures inference economy on real generations: reward-model calls per distinct response per "
        + "model (memoization; target 1.00), the share of pairs decided without an LLM call (RM consensus), and "
        + "judge calls per adjudicated pair.",
        "The last line is 'economy rm_calls_per_response=R no_llm_share=S judge_calls_per_adjudicated=J'."})
public final class EconomyBenchmarkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", paramLabel = "FILE",
        description = "Generations JSON lines (plain or .gz); default: the shared AlpacaEval generations "
            + "(prefstream.data.dir, $PREFSTREAM_SHARED_DATA, ../shared/data, /work/shared/data).")
    Path input;

    @Option(names = "--prompts", defaultValue = "0",
        description = "Use only the first N prompts of the input, all their answers; 0 = all (default: ${DEFAULT-VALUE}).")
    int prompts;

    @Option(names = "--responses-per-prompt", defaultValue = "6",
        description = "Pair a prompt as soon as it has this many answers (AlpacaEval has 6) (default: ${DEFAULT-VALUE}).")
    int responsesPerPrompt;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
        description = "Run on this Kafka cluster instead of an in-process broker (topics and groups get a unique prefix).")
    String bootstrap;

    @Option(names = "--timeout", defaultValue = "PT15M",
        description = "Give up (exit 1) if the pairs have not all ended by then, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (prompts < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--prompts must not be negative");
        }
        Path source = input != null ? input : SharedGenerations.locate();
        try (BenchStack stack = BenchStack.start("economy", bootstrap, ReferenceServerSettings.defaults(),
                PipelineRun.pipelineSettings(responsesPerPrompt))) {
            Path generations = source;
            if (prompts > 0) {
                generations = Files.createTempFile("prefstream-bench-economy", ".jsonl");
                SharedGenerations.prompts(source, 0, prompts, generations);
            }
            try {
                out.printf("economy: %s%s through pairing, consistency and labeler (exactly_once_v2), reference server "
                    + "at zero latency%n", source, prompts > 0 ? " (first " + prompts + " prompts)" : "");
                out.flush();
                PipelineRun.Outcome outcome;
                try (PipelineRun run = PipelineRun.start("economy", stack)) {
                    outcome = run.feedAndAwait(generations, timeout, err);
                }
                ServerCounters calls = ServerCounters.read(stack.settings());
                EconomyFigures figures = new EconomyFigures(outcome.distinctResponses(), calls.bestItems(),
                    calls.goldItems(), outcome.pairs(), outcome.decidedWithoutLlm(), outcome.adjudicated(),
                    calls.judgeItems());
                print(out, outcome, calls, figures);
                return 0;
            } finally {
                if (!generations.equals(source)) {
                    Files.deleteIfExists(generations);
                }
            }
        }
    }

    private static void print(PrintWriter out, PipelineRun.Outcome outcome, ServerCounters calls, EconomyFigures f) {
        out.printf(Locale.ROOT, "%d prompts, %d distinct responses, %d pairs ended in %.1f s (%d dead-lettered)%n",
            outcome.prompts(), outcome.distinctResponses(), outcome.pairs(), outcome.seconds(), outcome.deadLettered());
        out.printf(Locale.ROOT, "reward models: rm-best %d items (%.2f per response), rm-gold %d items (%.2f per "
                + "response), %d executions; without memoization: %d items per model (2 per pair)%n",
            calls.bestItems(), f.bestCallsPerResponse(), calls.goldItems(), f.goldCallsPerResponse(),
            calls.rmExecutions(), 2 * outcome.pairs());
        out.printf(Locale.ROOT, "decided by RM consensus, no LLM call: %d of %d pairs; adjudicated: %d%n",
            outcome.decidedWithoutLlm(), outcome.pairs(), outcome.adjudicated());
        out.printf(Locale.ROOT, "judge: %d prompts in %d executions for %d adjudicated pairs%n", calls.judgeItems(),
            calls.judgeExecutions(), outcome.adjudicated());
        out.println(f.line());
        out.flush();
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EconomyBenchmarkCommand()).execute(args));
    }
}
