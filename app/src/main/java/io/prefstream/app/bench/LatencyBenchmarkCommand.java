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
import java.util.concurrent.CompletableFuture;

import io.prefstream.inference.bench.SimulatedEndpointOptions;
import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.produce.PrefProducer;
import io.prefstream.ingest.produce.PrefProducers;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.schemas.topic.TopicsConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code prefstream bench latency}: end-to-end latency, produce to curated, at a share of the
 * pipeline's capacity measured in the same run.
 *
 * <ol>
 *   <li>Saturation: a batch of prompts is fed as fast as ingest can and timed to its last pair ended
 *       (as {@code bench pipeline} does): that is the capacity, in pairs per second.</li>
 *   <li>Paced: fresh prompts are sent on an open-loop schedule at {@code --capacity-share} of that rate
 *       (all answers of a prompt at its due time; sends never wait for acknowledgements). A pair's
 *       latency runs from its prompt's due time to the moment a read_committed reader of the terminal
 *       topics sees it; the figures are of the pairs that reached pairs.curated, and every decided pair
 *       is reported too.</li>
 *   <li>Baseline: an exactly-once Kafka Streams passthrough with the same commit interval copies the
 *       pipeline's own pairs.raw records at the same pairs per second; each record's latency runs from
 *       its due time to its copy read by a read_committed reader.</li>
 * </ol>
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
    description = {"Measures end-to-end latency (produce to curated, read_committed) at a share of the pipeline's "
        + "capacity, measured first in the same run, against an exactly-once passthrough at the same rate.",
        "The last line is 'latency p50_ms=… p90_ms=… p99_ms=… max_ms=… rate=R capacity_share=S "
            + "vs_passthrough_p50=Xx vs_passthrough_p99=Yx'."})
public final class LatencyBenchmarkCommand implements Callable<Integer> {
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final int ANSWERS_PER_PROMPT = 6;

    @Spec
    CommandSpec spec;

    @Option(names = "--input", paramLabel = "FILE",
        description = "Generations JSON lines (plain or .gz); default: the shared AlpacaEval generations.")
    Path input;

    @Option(names = "--warmup-prompts", defaultValue = "5",
        description = "Prompts fed and finished first, not measured (default: ${DEFAULT-VALUE}).")
    int warmupPrompts;

    @Option(names = "--saturation-prompts", defaultValue = "150",
        description = "Prompts fed at full speed to measure the capacity (default: ${DEFAULT-VALUE}).")
    int saturationPrompts;

    @Option(names = "--prompts", defaultValue = "300",
        description = "Prompts fed at the paced rate and measured; those with a duplicate answer are left out "
            + "(default: ${DEFAULT-VALUE}).")
    int prompts;

    @Option(names = "--capacity-share", defaultValue = "0.5",
        description = "Offered load as a share of the measured capacity (default: ${DEFAULT-VALUE}).")
    double capacityShare;

    @Option(names = "--commit-interval-ms", defaultValue = "100",
        description = "commit.interval.ms of every stage and of the passthrough; under exactly_once_v2 a record is "
            + "visible downstream only once its transaction commits (default: ${DEFAULT-VALUE}, Kafka Streams' "
            + "default under exactly-once).")
    long commitIntervalMs;

    @Mixin
    SimulatedEndpointOptions endpoint;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
        description = "Run on this Kafka cluster instead of an in-process broker (topics and groups get a unique prefix).")
    String bootstrap;

    @Option(names = "--timeout", defaultValue = "PT10M",
        description = "Give up (exit 1) if a phase has not finished by then, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = spec.commandLine().getErr();
        if (warmupPrompts < 0 || saturationPrompts < 1 || prompts < 1 || !(capacityShare > 0 && capacityShare <= 1)
                || commitIntervalMs < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--saturation-prompts and --prompts must be "
                + "at least 1, --warmup-prompts and --commit-interval-ms at least 0, --capacity-share in (0, 1]");
        }
        Path source = input != null ? input : SharedGenerations.locate();
        ReferenceServerSettings server = endpoint.serverSettings();
        out.printf(Locale.ROOT, "reference server: %.0f ms per execution, max batch %d, %d instances; "
                + "stages: exactly_once_v2, commit.interval.ms=%d each; input %s%n", endpoint.latencyMs(),
            endpoint.maxBatch(), endpoint.instances(),
            commitIntervalMs, source);
        out.flush();
        Path warmup = Files.createTempFile("prefstream-bench-latency-warmup", ".jsonl");
        Path saturation = Files.createTempFile("prefstream-bench-latency-saturation", ".jsonl");
        Path paced = Files.createTempFile("prefstream-bench-latency-paced", ".jsonl");
        try (BenchStack stack = BenchStack.start("latency", bootstrap, server, stageSettings());
             PipelineRun run = PipelineRun.start("latency", stack)) {
            SharedGenerations.prompts(source, 0, warmupPrompts, warmup);
            SharedGenerations.prompts(source, warmupPrompts, saturationPrompts, saturation);
            SharedGenerations.prompts(source, warmupPrompts + saturationPrompts, prompts, paced);
            if (warmupPrompts > 0) {
                run.feedAndAwait(warmup, timeout, progress);
            }
            PipelineRun.Outcome full = run.feedAndAwait(saturation, timeout, progress);
            double capacity = full.pairsPerSecond();
            double rate = capacityShare * capacity;
            out.printf(Locale.ROOT, "capacity: %d prompts, %d pairs ended in %.1f s at full speed = %.1f pairs/s%n",
                full.prompts(), full.pairs(), full.seconds(), capacity);
            out.flush();

            Paced pipeline = pacedPipeline(stack, run, paced, rate, progress);
            out.printf(Locale.ROOT, "paced: %d prompts (%d left out: a duplicate answer), %d pairs offered at %.1f "
                    + "pairs/s (%.2f prompts/s) over %.1f s, sends at most %d ms late; %d pairs ended (%d dead-lettered)%n",
                pipeline.prompts(), pipeline.promptsLeftOut(), pipeline.pairs(), rate, rate / pipeline.pairsPerPrompt(),
                pipeline.feedSeconds(), pipeline.maxLateMillis(), pipeline.ended(), pipeline.deadLettered());
            out.println("pipeline, produce -> pairs.curated: " + pipeline.curated().describe());
            out.println("pipeline, produce -> any decision (curated, rejected, review): " + pipeline.decided().describe());
            out.println("check: age of the terminal record's Kafka timestamp when read, decided pairs: "
                + pipeline.recordAges().describe());
            out.flush();

            List<ConsumerRecord<byte[], byte[]>> records = ExactlyOncePassthrough.readAll(stack.bootstrapServers(),
                new Topics(stack.settings()).pairsRaw().name());
            int partitions = new TopicsConfig(stack.settings()).getInt(TopicsConfig.PARTITIONS);
            LatencyStats passthrough = LatencyStats.of(ExactlyOncePassthrough.latencies(stack.settings(), stack.runId(),
                partitions, records, (int) pipeline.pairs(), rate));
            out.printf(Locale.ROOT, "passthrough, exactly_once_v2, %d partitions: %d records (the pipeline's %d pairs.raw "
                    + "records, cycled) at %.1f records/s: %s%n", partitions, passthrough.count(), records.size(), rate,
                passthrough.describe());
            LatencyFigures figures = new LatencyFigures(pipeline.curated(), passthrough, rate, capacityShare);
            out.println(figures.line());
            out.flush();
            return 0;
        } finally {
            Files.deleteIfExists(warmup);
            Files.deleteIfExists(saturation);
            Files.deleteIfExists(paced);
        }
    }

    /** What the paced phase measured. */
    private record Paced(int prompts, int promptsLeftOut, long pairs, double feedSeconds, long maxLateMillis,
                         int ended, int deadLettered, LatencyStats curated, LatencyStats decided,
                         LatencyStats recordAges) {
        double pairsPerPrompt() {
            return (double) pairs / prompts;
        }
    }

    private Paced pacedPipeline(BenchStack stack, PipelineRun run, Path file, double pairsPerSecond,
                                PrintWriter progress) throws Exception {
        Map<String, String> settings = stack.settings();
        try (PrefProducer producer = PrefProducers.create(new IngestConfig(settings), new Topics(settings));
             TerminalLatencies terminal = new TerminalLatencies(settings)) {
            PacedGenerations feed = PacedGenerations.load(file, producer, ANSWERS_PER_PROMPT);
            if (feed.size() == 0) {
                throw new IllegalArgumentException(file + " has no prompt with " + ANSWERS_PER_PROMPT + " distinct answers");
            }
            double promptsPerSecond = pairsPerSecond * feed.size() / feed.pairs();
            OpenLoopSchedule schedule = OpenLoopSchedule.startingIn(100_000_000L, promptsPerSecond);
            CompletableFuture<Long> sending = OpenLoopSchedule.onOwnThread("bench-paced-generations",
                () -> feed.feed(producer, schedule));
            long deadline = System.nanoTime() + timeout.toNanos();
            long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
            while (terminal.ended() < feed.pairs() || !sending.isDone()) {
                long now = System.nanoTime();
                run.checkAlive();
                if (sending.isCompletedExceptionally()) {
                    sending.join();
                }
                if (now > deadline) {
                    throw new IllegalStateException("paced: only " + terminal.ended() + " of " + feed.pairs()
                        + " pairs ended within " + timeout);
                }
                if (now > nextProgress) {
                    progress.printf(Locale.ROOT, "paced: %.0f s, %d of %d pairs ended%n",
                        (now - schedule.startNanos()) / 1e9, terminal.ended(), feed.pairs());
                    progress.flush();
                    nextProgress = now + PROGRESS_EVERY.toNanos();
                }
                terminal.update(Duration.ofMillis(50));
            }
            long maxLateNanos = sending.join();
            double feedSeconds = (schedule.dueNanos(feed.size() - 1) - schedule.startNanos()) / 1e9;
            return new Paced(feed.size(), feed.leftOut(), feed.pairs(), feedSeconds,
                Math.round(maxLateNanos / 1e6), terminal.ended(), terminal.deadLettered(),
                LatencyStats.of(terminal.curatedLatencies(feed::indexOf, schedule)),
                LatencyStats.of(terminal.decidedLatencies(feed::indexOf, schedule)),
                LatencyStats.of(terminal.decidedRecordAges()));
        }
    }

    /**
     * The stages as {@code bench pipeline} runs them against this endpoint (as many requests in flight as
     * the server executes at once), with the commit interval under test.
     */
    private Map<String, String> stageSettings() {
        Map<String, String> settings = new HashMap<>(PipelineRun.pipelineSettings(ANSWERS_PER_PROMPT));
        settings.put(InferenceConfig.MAX_IN_FLIGHT, Integer.toString(endpoint.instances() * endpoint.maxBatch()));
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitIntervalMs));
        return settings;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LatencyBenchmarkCommand()).execute(args));
    }
}
