package io.prefstream.app.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

import io.prefstream.app.PrefStreamCli;
import io.prefstream.inference.reference.ReferenceInferenceServer;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.labeler.LabelerConfig;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.platform.ops.OpsServerConfig;
import io.prefstream.sinks.config.SinkConfig;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code prefstream bench memory}: peak resident memory of each stage process with a backlog of pairs
 * pending. Every stage (pairing, consistency, labeler, sink) runs as its own JVM, started as deployed
 * ({@code prefstream run <stage> --config FILE}, with {@code -Xmx}), against this process's broker,
 * registry and reference servers.
 *
 * <p>"Pending" here means: pairs the labeler has taken from pairs.adjudicate into its pending store and
 * handed to the judge, not yet labelled, as its own gauge {@code prefstream_async_pending_records}
 * reports. To get there the labeler's judge endpoint is a second reference server whose executions take
 * far longer than the run (a judge endpoint that has fallen behind), while consistency's reward models
 * answer at once, and the labeler's pending bound is raised to the target so that backpressure does not
 * stop the backlog below it. The other stages hold what that situation leaves them: pairing its prompt
 * state, consistency its scored pairs awaiting labels, the sink the consensus pairs it has read.
 *
 * <p>Baseline, same run: each process idle, after start-up and before any input. Resident figures are the
 * kernel's (VmHWM, peak resident set since start, and VmRSS sampled), so they include heap, metaspace,
 * threads and native memory such as RocksDB's.
 */
@Command(name = "memory", mixinStandardHelpOptions = true,
    description = {"Measures the peak resident memory (RSS) of each stage process (pairing, consistency, labeler, sink) "
        + "with a backlog of pairs pending at the labeler, against the same processes idle.",
        "The last line is 'memory pairing_mb=… consistency_mb=… labeler_mb=… sink_mb=… pending=N xmx_mb=M "
            + "labeler_vs_idle=Rx'."})
public final class MemoryBenchmarkCommand implements Callable<Integer> {
    private static final List<String> STAGES = List.of("pairing", "consistency", "labeler", "sink");
    private static final String PENDING_GAUGE = "prefstream_async_pending_records";
    private static final String HEAP = "area=\"heap\"";
    private static final double MIB = 1024 * 1024;
    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Option(names = "--input", paramLabel = "FILE",
        description = "Generations JSON lines (plain or .gz); default: the shared AlpacaEval generations.")
    Path input;

    @Option(names = "--prompts", defaultValue = "805",
        description = "Prompts fed, all answers of each; enough for the pending target (AlpacaEval: 805 prompts make "
            + "about 11,350 adjudicated pairs) (default: ${DEFAULT-VALUE}).")
    int prompts;

    @Option(names = "--pending", defaultValue = "10000",
        description = "Pairs pending at the labeler to reach before the peak is read (default: ${DEFAULT-VALUE}).")
    int pending;

    @Option(names = "--max-heap-mb", defaultValue = "512",
        description = "-Xmx of every stage process, MiB (default: ${DEFAULT-VALUE}).")
    int maxHeapMb;

    @Option(names = "--idle-seconds", defaultValue = "10",
        description = "How long the started, idle processes are sampled for the baseline (default: ${DEFAULT-VALUE}).")
    double idleSeconds;

    @Option(names = "--hold-seconds", defaultValue = "10",
        description = "How long the processes are sampled once the target is pending (default: ${DEFAULT-VALUE}).")
    double holdSeconds;

    @Option(names = "--poll-ms", defaultValue = "200",
        description = "Interval between checks of the processes and of the labeler's pending gauge; the peaks are the "
            + "kernel's own (VmHWM), not sampled (default: ${DEFAULT-VALUE}).")
    long pollMs;

    @Option(names = "--judge-latency-ms", defaultValue = "600000",
        description = "Execution time of the labeler's judge endpoint; longer than the run, so that pairs stay "
            + "pending (default: ${DEFAULT-VALUE}).")
    double judgeLatencyMs;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
        description = "Run on this Kafka cluster instead of an in-process broker (topics and groups get a unique prefix).")
    String bootstrap;

    @Option(names = "--timeout", defaultValue = "PT10M",
        description = "Give up (exit 1) if the target is not pending by then, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = spec.commandLine().getErr();
        if (prompts < 1 || pending < 1 || maxHeapMb < 16 || idleSeconds < 0 || holdSeconds < 0 || pollMs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--prompts, --pending and --poll-ms must be "
                + "at least 1, --max-heap-mb at least 16, --idle-seconds and --hold-seconds at least 0");
        }
        Path source = input != null ? input : SharedGenerations.locate();
        ReferenceServerSettings fast = ReferenceServerSettings.defaults().withCapacity(64, 2);
        ReferenceServerSettings slow = fast.withLatency(judgeLatencyMs, 0);
        Map<String, String> stageSettings = new HashMap<>(PipelineRun.pipelineSettings(6));
        stageSettings.put(LabelerConfig.MAX_PENDING_RECORDS, Integer.toString(pending));
        try (BenchStack stack = BenchStack.start("memory", bootstrap, fast, stageSettings);
             ReferenceInferenceServer slowJudge = ReferenceInferenceServer.start(slow)) {
            out.printf(Locale.ROOT, "stage processes: java -Xmx%dm -cp <class path> %s run <stage> --config FILE; "
                    + "consistency's reward models answer at once, the labeler's judge takes %.0f ms per execution; "
                    + "labeler.max.pending.records=%d per task; input %s%n", maxHeapMb,
                PrefStreamCli.class.getName(), judgeLatencyMs, pending, source);
            out.flush();
            List<StageChild> children = new CopyOnWriteArrayList<>(); // read by the shutdown hook
            Thread killer = new Thread(() -> children.forEach(StageChild::kill), "bench-memory-kill-children");
            Runtime.getRuntime().addShutdownHook(killer);
            try {
                for (String stage : STAGES) {
                    Path config = writeConfig(stack, stage, slowJudge.address());
                    children.add(StageChild.start(stage, config, stack.directory().resolve(stage + ".log"),
                        maxHeapMb + "m"));
                }
                long starting = System.nanoTime();
                awaitReady(children);
                out.printf(Locale.ROOT, "stage processes ready (/readyz) %.1f s after they were started%n",
                    (System.nanoTime() - starting) / 1e9);
                out.flush();
                Map<String, Long> idle = idle(children);
                Path generations = stack.directory().resolve("generations.jsonl");
                SharedGenerations.prompts(source, 0, prompts, generations);
                long reached = loaded(stack, generations, children, progress);
                Map<String, Long> loaded = peaks(children);
                StageChild labeler = child(children, "labeler");
                StageChild consistency = child(children, "consistency");
                out.printf(Locale.ROOT, "pending: %d pairs at the labeler (%s, read %.0f of pairs.adjudicate, wrote %.0f); "
                        + "consistency pending scoring requests: %.0f%n", reached, PENDING_GAUGE,
                    labeler.metric("prefstream_labeler_records_in_total"),
                    labeler.metric("prefstream_labeler_records_out_total"), consistency.metric(PENDING_GAUGE));
                MemoryFigures figures = new MemoryFigures(idle, loaded, reached, maxHeapMb);
                for (StageChild child : children) {
                    out.printf(Locale.ROOT, "%-11s pid %d: peak RSS %d MiB with the backlog (%d MiB now; Java heap %.0f MiB "
                            + "used of %.0f committed) vs %d MiB idle (%.2fx)%n", child.stage(), child.pid(),
                        loaded.get(child.stage()), ProcMemory.megabytes(child.memory().rssKb()),
                        child.metric("jvm_memory_used_bytes", HEAP) / MIB, child.metric("jvm_memory_committed_bytes", HEAP) / MIB,
                        idle.get(child.stage()), figures.vsIdle(child.stage()));
                }
                out.println(figures.line());
                out.flush();
                return 0;
            } finally {
                for (StageChild child : children) {
                    child.close();
                }
                Runtime.getRuntime().removeShutdownHook(killer);
            }
        }
    }

    /** The stage's properties file: the stack's settings, its own ids and state, and a free ops port. */
    private Path writeConfig(BenchStack stack, String stage, String slowJudge) throws IOException {
        Map<String, String> settings = new HashMap<>(stack.settings());
        Path dir = stack.directory().resolve(stage);
        Files.createDirectories(dir);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        settings.put(OpsServerConfig.PORT, "0");
        settings.put(OpsServerConfig.HOST, "127.0.0.1");
        String id = stack.runId() + "-" + stage;
        switch (stage) {
            case "pairing" -> settings.put(IngestConfig.PAIRING_APPLICATION_ID, id);
            case "consistency" -> settings.put(StreamsConfig.APPLICATION_ID_CONFIG, id);
            case "labeler" -> {
                settings.put(StreamsConfig.APPLICATION_ID_CONFIG, id);
                settings.put(PrefStreamConfig.INFERENCE_ENDPOINTS, slowJudge);
            }
            case "sink" -> {
                settings.put(SinkConfig.DATA_DIR, dir.resolve("data").toString());
                settings.put(SinkConfig.GROUP_ID, id);
            }
            default -> throw new IllegalArgumentException("unknown stage " + stage);
        }
        Properties properties = new Properties();
        properties.putAll(settings);
        Path file = dir.resolve(stage + ".properties");
        try (Writer writer = Files.newBufferedWriter(file)) {
            properties.store(writer, "bench memory: " + stage);
        }
        return file;
    }

    private static void awaitReady(List<StageChild> children) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        for (StageChild child : children) {
            while (!child.ready()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the " + child.stage() + " process was not ready within " + STARTUP
                        + "; the end of its log:\n" + child.logTail());
                }
                Thread.sleep(100);
            }
        }
    }

    /** Lets the started processes idle for the idle window; returns each one's peak RSS so far, MiB. */
    private Map<String, Long> idle(List<StageChild> children) throws InterruptedException {
        long end = System.nanoTime() + Math.round(idleSeconds * 1e9);
        while (System.nanoTime() < end) {
            children.forEach(StageChild::checkAlive);
            Thread.sleep(pollMs);
        }
        return peaks(children);
    }

    /**
     * Feeds the generations, then waits until the labeler reports the target pending and for the hold
     * window after; returns the pending count at the end.
     */
    private long loaded(BenchStack stack, Path generations, List<StageChild> children, PrintWriter progress)
            throws IOException, InterruptedException {
        StageChild labeler = child(children, "labeler");
        long started = System.nanoTime();
        PipelineRun.ingest(stack, generations, progress);
        long deadline = started + timeout.toNanos();
        long nextProgress = started + PROGRESS_EVERY.toNanos();
        double pendingNow = labeler.metric(PENDING_GAUGE);
        while (pendingNow < pending) {
            children.forEach(StageChild::checkAlive);
            long now = System.nanoTime();
            if (now > deadline) {
                throw new IllegalStateException("only " + (long) pendingNow + " of " + pending
                    + " pairs pending at the labeler within " + timeout + " (feed more --prompts?)");
            }
            if (now > nextProgress) {
                progress.printf(Locale.ROOT, "memory: %.0f s, %.0f pairs pending at the labeler%n", (now - started) / 1e9,
                    pendingNow);
                progress.flush();
                nextProgress = now + PROGRESS_EVERY.toNanos();
            }
            Thread.sleep(pollMs);
            pendingNow = labeler.metric(PENDING_GAUGE);
        }
        progress.printf(Locale.ROOT, "memory: %.0f pairs pending at the labeler %.1f s after the feed started%n",
            pendingNow, (System.nanoTime() - started) / 1e9);
        progress.flush();
        long end = System.nanoTime() + Math.round(holdSeconds * 1e9);
        while (System.nanoTime() < end) {
            children.forEach(StageChild::checkAlive);
            Thread.sleep(pollMs);
        }
        return (long) labeler.metric(PENDING_GAUGE);
    }

    /** Each process's peak resident set since it started (VmHWM), MiB, by stage. */
    private static Map<String, Long> peaks(List<StageChild> children) {
        Map<String, Long> peaks = new LinkedHashMap<>();
        for (StageChild child : children) {
            peaks.put(child.stage(), ProcMemory.megabytes(child.memory().peakRssKb()));
        }
        return peaks;
    }

    private static StageChild child(List<StageChild> children, String stage) {
        return children.stream().filter(c -> c.stage().equals(stage)).findFirst().orElseThrow();
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new MemoryBenchmarkCommand()).execute(args));
    }
}
