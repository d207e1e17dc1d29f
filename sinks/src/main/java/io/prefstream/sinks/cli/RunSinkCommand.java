package io.prefstream.sinks.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.iceberg.catalog.Catalog;

import io.prefstream.platform.ops.HealthCheck;
import io.prefstream.platform.ops.OpsServer;
import io.prefstream.platform.ops.OpsServerConfig;
import io.prefstream.platform.ops.StageMetrics;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.sinks.config.SinkConfig;
import io.prefstream.sinks.iceberg.IcebergSink;
import io.prefstream.sinks.table.Catalogs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code prefstream run sink}: writes pairs.curated into the dataset table and review.verdicts into the
 * gold-set table, exactly once, until stopped (Ctrl-C / SIGTERM commits what was read and exits; so does
 * interrupting the calling thread, for an embedding launcher). Serves {@code /metrics}, {@code /healthz}
 * and {@code /readyz} on {@code metrics.port} while it runs.
 */
@Command(name = "sink", mixinStandardHelpOptions = true,
    description = {"Writes the curated topic into the Iceberg dataset table (and human verdicts into the gold-set "
        + "table), exactly once: each snapshot records the Kafka offsets it covers and the sink resumes from "
        + "them, not from a consumer group. Runs until stopped; Ctrl-C commits what was read.", "",
        "Exit codes: 0 stopped cleanly; 1 --until-caught-up timed out; 3 a sink failed.", ""},
    modelTransformer = RunSinkCommand.ConfigKeysFooter.class)
public final class RunSinkCommand implements Callable<Integer> {
    /** The {@code stage} tag of every meter this process exports. */
    static final String STAGE = "sink";

    @Spec
    CommandSpec spec;

    @Mixin
    SinkOptions options;

    @Option(names = "--gold", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Also write review.verdicts into the gold-set table (sink.gold.table); --no-gold skips it "
            + "(default: ${DEFAULT-VALUE}).")
    boolean gold;

    @Option(names = "--until-caught-up", paramLabel = "DURATION",
        description = "Exit once everything on the topics when the sink started is in the tables, or fail after "
            + "DURATION (ISO-8601 or e.g. 5m, 30s). Without it the sink runs until stopped.",
        converter = Durations.class)
    Duration untilCaughtUp;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SinkConfig config = options.config();
        OpsServerConfig opsConfig = new OpsServerConfig(config.originals());
        PrometheusMeterRegistry metrics = StageMetrics.registry(STAGE);
        Topics topics = Topics.from(config);
        Catalog catalog = Catalogs.open(config);
        List<IcebergSink> sinks = new ArrayList<>();
        boolean interrupted = false;
        try {
            sinks.add(new IcebergSink(config, topics, topics.pairsCurated(),
                Catalogs.loadOrCreate(catalog, config.getString(SinkConfig.TABLE)), Clock.systemUTC(), metrics));
            if (gold) {
                sinks.add(new IcebergSink(config, topics, topics.reviewVerdicts(),
                    Catalogs.loadOrCreate(catalog, config.getString(SinkConfig.GOLD_TABLE)), Clock.systemUTC(),
                    metrics));
            }
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Boolean> caughtUp = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (IcebergSink sink : sinks) {
                Thread thread = new Thread(() -> {
                    try {
                        if (untilCaughtUp != null) {
                            caughtUp.add(sink.runUntilCaughtUp(untilCaughtUp));
                        } else {
                            sink.run();
                        }
                    } catch (RuntimeException e) {
                        failures.add(e);
                    } finally {
                        // leave the consumer group at once: a member that stopped polling would stall rebalances
                        sink.close();
                    }
                }, "sink-" + sink.table().name());
                threads.add(thread);
            }
            Thread stopper = new Thread(() -> {
                sinks.forEach(IcebergSink::stop);
                threads.forEach(RunSinkCommand::joinQuietly);
            }, "sink-shutdown");
            try (OpsServer ops = startOps(opsConfig, metrics, threads, failures)) {
                if (ops != null) {
                    err.println("sink: /metrics, /healthz and /readyz on " + ops.url());
                    err.flush();
                }
                threads.forEach(Thread::start);
                Runtime.getRuntime().addShutdownHook(stopper);
                for (Thread thread : threads) {
                    thread.join();
                }
            } catch (InterruptedException e) {
                // asked to stop by the thread's owner: commit what was read, as on SIGTERM
                interrupted = true;
                stopper.run();
            }
            removeHook(stopper);
            for (IcebergSink sink : sinks) {
                out.printf("%s: %s, last snapshot %d%n", sink.table().name(), sink.stats(), sink.stats().lastSnapshotId());
            }
            if (!failures.isEmpty()) {
                failures.forEach(failure -> err.println("sink failed: " + failure));
                return 3;
            }
            return caughtUp.contains(Boolean.FALSE) ? 1 : 0;
        } finally {
            sinks.forEach(IcebergSink::close);
            Catalogs.closeQuietly(catalog);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The ops server, or null with {@code metrics.port=-1}. Ready while every sink thread runs; alive until
     * one sink failed (the others would keep the process up, so the kubelet restarts it).
     */
    private static OpsServer startOps(OpsServerConfig config, PrometheusMeterRegistry metrics, List<Thread> threads,
                                      List<Throwable> failures) {
        if (!config.enabled()) {
            return null;
        }
        return OpsServer.builder(metrics)
            .readiness("sinks", () -> {
                long running = threads.stream().filter(Thread::isAlive).count();
                return running == threads.size()
                    ? HealthCheck.Result.up(running + " of " + threads.size() + " sinks running")
                    : HealthCheck.Result.down(running + " of " + threads.size() + " sinks running");
            })
            .liveness("sinks", () -> failures.isEmpty() ? HealthCheck.Result.up("no sink failed")
                : HealthCheck.Result.down("sink failed: " + failures.get(0)))
            .start(config);
    }

    /** The sink's keys plus the ops server's ({@code metrics.port}, {@code metrics.host}) under the help. */
    static final class ConfigKeysFooter implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return SinkOptions.ConfigKeysFooter.withKeys(spec, OpsServerConfig.define(SinkConfig.definition()));
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting and the hook is running
        }
    }
}
