package io.prefstream.consistency;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import io.prefstream.platform.config.ConfigSources;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.platform.ops.GaugeChecks;
import io.prefstream.platform.ops.KafkaStreamsChecks;
import io.prefstream.platform.ops.OpsServer;
import io.prefstream.platform.ops.OpsServerConfig;
import io.prefstream.platform.ops.StageMetrics;

/**
 * {@code prefstream run consistency}: runs the consistency stage until it is stopped (SIGTERM/Ctrl-C
 * close it cleanly; so does interrupting the calling thread, for an embedding launcher) or fails.
 * Serves {@code /metrics}, {@code /healthz} and {@code /readyz} on {@code metrics.port} while it runs.
 */
@Command(name = "consistency", mixinStandardHelpOptions = true,
    description = {"Scores pairs from pairs.raw with the best and gold reward models (memoized per response, "
        + "model and version), accepts pairs both agree on (RM consensus) into pairs.curated, sends the rest to "
        + "pairs.adjudicate, and turns labelled pairs (pairs.labeled) and human verdicts (review.verdicts) into "
        + "verdicts on pairs.curated, pairs.rejected and pairs.review. Exactly-once by default.", "",
        "Exit codes: 0 stopped cleanly; 1 the stream stopped on an error; 2 bad usage.", ""},
    footerHeading = "%nConfiguration keys (--config file, env PREFSTREAM_<KEY>, or --set); any other key is passed "
        + "to Kafka Streams and its clients unchanged:%n",
    modelTransformer = RunConsistencyCommand.ConfigKeysFooter.class)
public final class RunConsistencyCommand implements Callable<Integer> {
    static final int EXIT_USAGE = 2;
    /** The {@code stage} tag of every meter this process exports. */
    static final String STAGE = "consistency";

    @CommandLine.Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
        description = "Java properties file: the keys below and any Kafka Streams/client setting "
            + "(application.id, num.stream.threads, security.protocol, sasl.*, ssl.*).")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
        description = "Overrides one setting; repeatable; wins over the file and the environment.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ConsistencyConfig config;
        try {
            config = new ConsistencyConfig(ConfigSources.load(configFile, overrides));
        } catch (ConfigException e) {
            err.println("consistency: invalid configuration: " + e.getMessage());
            return EXIT_USAGE;
        }
        PrometheusMeterRegistry metrics = StageMetrics.registry(STAGE);
        AtomicBoolean closing = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        boolean interrupted = false;
        try (ConsistencyService service = new ConsistencyService(config, metrics)) {
            KafkaStreams streams = service.start((now, before) -> {
                err.println("consistency: " + before + " -> " + now);
                err.flush();
                if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                    stopped.countDown();
                }
            });
            Thread hook = new Thread(() -> {
                closing.set(true);
                service.close();
            }, "consistency-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try (KafkaStreamsMetrics streamsMetrics = StageMetrics.bind(streams, metrics);
                 OpsServer ops = startOps(config, metrics, streams, closing::get)) {
                if (ops != null) {
                    err.println("consistency: /metrics, /healthz and /readyz on " + ops.url());
                    err.flush();
                }
                stopped.await();
            } catch (InterruptedException e) {
                // asked to stop by the thread's owner: close as on SIGTERM
                interrupted = true;
            } finally {
                closing.set(true);
                removeHook(hook);
            }
            return streams.state() == KafkaStreams.State.ERROR ? 1 : 0;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The ops server, or null with {@code metrics.port=-1}. Ready while Kafka Streams is RUNNING and some
     * inference endpoint's circuit is not open; alive until the stream threads are gone for good.
     */
    private static OpsServer startOps(ConsistencyConfig config, PrometheusMeterRegistry metrics, KafkaStreams streams,
                                      BooleanSupplier closing) {
        OpsServerConfig ops = new OpsServerConfig(config.originals());
        if (!ops.enabled()) {
            return null;
        }
        return OpsServer.builder(metrics)
            .readiness("kafka-streams", KafkaStreamsChecks.running(streams))
            .readiness("inference", GaugeChecks.inferenceCircuit(metrics))
            .liveness("kafka-streams", KafkaStreamsChecks.notFailed(streams, closing))
            .start(ops);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting and the hook is what stopped the stage
        }
    }

    /** Lists every configuration key, its default and doc, below the options in {@code --help}. */
    static final class ConfigKeysFooter implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec commandSpec) {
            commandSpec.usageMessage().footer(PrefStreamConfig.describe(ConsistencyConfig.definition()).replace("%", "%%"));
            return commandSpec;
        }
    }
}
