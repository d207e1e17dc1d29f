package io.prefstream.app.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.app.EmbeddedStack;
import io.prefstream.app.pipeline.PipelineTally;
import io.prefstream.consistency.ConsistencyConfig;
import io.prefstream.consistency.ConsistencyService;
import io.prefstream.inference.client.InferenceClient;
import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.proto.ModelStatistics;
import io.prefstream.inference.reference.ReferenceInferenceServer;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.pairing.PairingApp;
import io.prefstream.labeler.LabelerConfig;
import io.prefstream.labeler.LabelerService;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.sinks.config.SinkConfig;
import io.prefstream.sinks.iceberg.IcebergSink;
import io.prefstream.sinks.table.Catalogs;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code prefstream demo}: the whole pipeline in one process, from input to the dataset table. */
@Command(name = "demo", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {
        "Runs the whole pipeline in this process and prints a summary when everything is processed.",
        "",
        "Starts the in-process broker, the schema registry and the reference inference server, then every stage "
            + "(pairing, consistency, labeler) and the dataset sink; feeds the input; shows progress per stage; "
            + "exits 0 with a summary once every pair has ended in exactly one place (curated, rejected, review or "
            + "a dead-letter topic) and the table holds every curated pair. Without --input it feeds a built-in, "
            + "deterministic synthetic sample. Run again on the same --data-dir, it resumes without reprocessing."})
public final class DemoCommand implements Callable<Integer> {
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(200);

    @Option(names = "--input", paramLabel = "FILE", description = "Input file (plain or .gz); default: the synthetic sample.")
    Path input;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "generations",
        description = "Format of --input: hh-rlhf, trl or generations.")
    String format;

    @Option(names = "--pairs", defaultValue = "300",
        description = "Size of the synthetic sample, in pairs (three model answers per prompt give three pairs).")
    int pairs;

    @Option(names = "--data-dir", defaultValue = ".prefstream/demo",
        description = "Where the broker, the stream state and the dataset table live; reuse it to resume.")
    Path dataDir;

    @Option(names = "--timeout", defaultValue = "PT15M", description = "Give up (exit 1) if not done by then (ISO-8601).")
    Duration timeout;

    @Option(names = "--json", description = "Also print the summary as one JSON object on the last line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        PrintStream out = System.out;
        PrintStream progress = System.err;
        try (EmbeddedStack stack = EmbeddedStack.start(new EmbeddedStack.Options(dataDir, 0, 0, 0, 0,
                ReferenceServerSettings.defaults(), Map.of()))) {
            progress.println("demo: " + stack.readyLine());
            Map<String, String> settings = stack.clientSettings(stageSettings());
            Topics topics = new Topics(settings);
            DemoFeed feed = new DemoFeed(new IngestConfig(settings), topics);
            feed.feedOnce(input, format, pairs, progress);
            try (Stages stages = Stages.start(settings, topics);
                 PipelineTally tally = PipelineTally.of(settings);
                 StageLagLine lag = new StageLagLine(settings)) {
                progress.println("demo: every stage started");
                boolean done = awaitEverything(tally, stages, lag, started, progress);
                stages.stopSink();
                if (!done) {
                    progress.println("demo: not done after " + timeout + "; see the progress above for the stuck stage");
                    return 1;
                }
                DemoSummary summary = summarize(tally, stages, settings, started);
                out.print(summary.text());
                if (json) {
                    out.println(summary.json());
                }
                return summary.consistent() ? 0 : 1;
            }
        }
    }

    private Map<String, String> stageSettings() {
        Map<String, String> settings = new TreeMap<>();
        settings.put(StreamsConfig.STATE_DIR_CONFIG, dataDir.resolve("streams").toAbsolutePath().toString());
        settings.put(SinkConfig.DATA_DIR, dataDir.resolve("sink").toAbsolutePath().toString());
        settings.put(SinkConfig.COMMIT_INTERVAL_MS, "1000");
        // a restarted demo rejoins its groups at once instead of waiting out the last run's sessions
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "2000");
        // the demo's input is all there at once: pair a prompt's answers after a short quiet spell
        settings.put(IngestConfig.PAIRING_GAP_MS, "2000");
        return settings;
    }

    private boolean awaitEverything(PipelineTally tally, Stages stages, StageLagLine lag, long started,
                                    PrintStream progress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = 0;
        long endedAtLastReport = 0;
        long lastReportNanos = System.nanoTime();
        while (System.nanoTime() < deadline) {
            tally.update(POLL);
            stages.checkRunning();
            long rows = stages.tableRows();
            boolean inTable = tally.complete() && rows == tally.curatedRecords();
            if (System.nanoTime() >= nextReport || inTable) {
                long now = System.nanoTime();
                double endedPerSecond = (tally.terminal() - endedAtLastReport) / Math.max(1e-9, (now - lastReportNanos) / 1e9);
                progress.printf("[%5.1fs] generations %,d | pairs %,d | adjudicate %,d | labeled %,d | curated %,d "
                        + "(consensus %,d) | rejected %,d | review %,d | dlq %,d | ended %,d/%,d (%,.0f/s) | table %,d rows%n",
                    seconds(started), tally.generations(), tally.pairs(), tally.adjudicated(), tally.labeled(),
                    tally.curatedRecords(), tally.consensus(), tally.rejected(), tally.review(), tally.deadLettered(),
                    tally.terminal(), tally.pairs(), endedPerSecond, rows);
                progress.println(lag.sample());
                endedAtLastReport = tally.terminal();
                lastReportNanos = now;
                nextReport = now + PROGRESS_EVERY.toNanos();
            }
            // stopping a Streams app mid-rebalance stalls its close for a session timeout: finish RUNNING
            if (inTable && stages.allRunning()) {
                return true;
            }
        }
        return false;
    }

    private DemoSummary summarize(PipelineTally tally, Stages stages, Map<String, String> settings, long started) {
        long ingested = tally.generations() > 0 ? tally.generations() : tally.pairs();
        Snapshot snapshot = stages.snapshot();
        return new DemoSummary(ingested, tally.pairs(), tally.consensus(), tally.adjudicated(), tally.accepted(),
            tally.flipped(), tally.rejected(), tally.review(), tally.deadLettered(), inferenceCalls(settings),
            snapshot == null ? -1 : snapshot.snapshotId(), stages.tableLocation(), stages.tableRows(), seconds(started));
    }

    /** Items each model served since the reference server started (ModelStatistics inference_count). */
    private static Map<String, Long> inferenceCalls(Map<String, String> settings) {
        Map<String, Long> calls = new LinkedHashMap<>();
        try (InferenceClient client = new InferenceClient(new InferenceConfig(settings), new SimpleMeterRegistry())) {
            for (String model : new String[] {ReferenceInferenceServer.RM_BEST, ReferenceInferenceServer.RM_GOLD,
                ReferenceInferenceServer.JUDGE}) {
                calls.put(model, client.statistics(model).stream().mapToLong(ModelStatistics::getInferenceCount).sum());
            }
        }
        return calls;
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** The stages of the pipeline, in one process, stopped in reverse order. */
    private static final class Stages implements AutoCloseable {
        private final PairingApp pairing;
        private final ConsistencyService consistency;
        private final KafkaStreams consistencyStreams;
        private final LabelerService labeler;
        private final IcebergSink sink;
        private final Thread sinkThread;
        private final Table tableReader;
        private volatile Throwable sinkFailure;

        private Stages(PairingApp pairing, ConsistencyService consistency, KafkaStreams consistencyStreams,
                       LabelerService labeler, IcebergSink sink, Table tableReader) {
            this.pairing = pairing;
            this.consistency = consistency;
            this.consistencyStreams = consistencyStreams;
            this.labeler = labeler;
            this.sink = sink;
            this.tableReader = tableReader;
            this.sinkThread = new Thread(() -> {
                try {
                    sink.run();
                } catch (RuntimeException e) {
                    sinkFailure = e;
                }
            }, "demo-sink");
            sinkThread.start();
        }

        static Stages start(Map<String, String> settings, Topics topics) {
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            PairingApp pairing = PairingApp.start(new IngestConfig(settings), topics);
            ConsistencyService consistency = new ConsistencyService(new ConsistencyConfig(settings), metrics);
            KafkaStreams consistencyStreams = consistency.start(null);
            LabelerService labeler = LabelerService.start(new LabelerConfig(settings), metrics);
            SinkConfig sinkConfig = new SinkConfig(settings);
            Catalog catalog = Catalogs.open(sinkConfig);
            String tableName = sinkConfig.getString(SinkConfig.TABLE);
            IcebergSink sink = new IcebergSink(sinkConfig, topics, topics.pairsCurated(),
                Catalogs.loadOrCreate(catalog, tableName), Clock.systemUTC());
            return new Stages(pairing, consistency, consistencyStreams, labeler, sink,
                Catalogs.loadOrCreate(catalog, tableName));
        }

        void checkRunning() {
            if (sinkFailure != null) {
                throw new IllegalStateException("the dataset sink failed: " + sinkFailure.getMessage(), sinkFailure);
            }
            if (labeler.failed()) {
                throw new IllegalStateException("the labeler stage failed; see the log above");
            }
        }

        boolean allRunning() {
            return pairing.state() == KafkaStreams.State.RUNNING && consistencyStreams.state() == KafkaStreams.State.RUNNING
                && labeler.streams().state() == KafkaStreams.State.RUNNING;
        }

        Snapshot snapshot() {
            tableReader.refresh();
            return tableReader.currentSnapshot();
        }

        long tableRows() {
            Snapshot snapshot = snapshot();
            return snapshot == null ? 0 : Long.parseLong(snapshot.summary().getOrDefault("total-records", "0"));
        }

        String tableLocation() {
            return tableReader.location();
        }

        void stopSink() throws InterruptedException {
            sink.stop();
            sinkThread.join();
        }

        @Override
        public void close() throws InterruptedException {
            stopSink();
            sink.close();
            labeler.close();
            consistency.close();
            pairing.close();
        }
    }
}
