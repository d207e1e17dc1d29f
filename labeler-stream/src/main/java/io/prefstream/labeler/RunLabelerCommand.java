package io.prefstream.labeler;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.logging.LoggingMeterRegistry;
import io.micrometer.core.instrument.logging.LoggingRegistryConfig;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prefstream.platform.config.ConfigSources;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.platform.ops.GaugeChecks;
import io.prefstream.platform.ops.KafkaStreamsChecks;
import io.prefstream.platform.ops.OpsServer;
import io.prefstream.platform.ops.OpsServerConfig;
import io.prefstream.platform.ops.StageMetrics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code prefstream run labeler}: runs the labelling stage against the configured cluster, registry and
 * judge endpoints until interrupted (SIGINT/SIGTERM close it cleanly; a SIGKILL loses nothing under
 * exactly_once_v2). Exits 1 if the stream threads fail.
 */
@Command(name = "labeler", mixinStandardHelpOptions = true,
    description = {"Runs the labelling stage: reads pairs.adjudicate, asks the LLM judges for the pair's attributes "
        + "and M x K preference votes (Candidate 1/2 in a per-pair pseudo-random order), validates every answer, and "
        + "writes pairs.labeled; pairs whose answers stay invalid go to pairs.adjudicate.dlq with the raw output.",
        "application.id defaults to prefstream-labeler and processing.guarantee to exactly_once_v2.",
        "Runs until interrupted; exit code 1 if the stream threads fail."},
    footerHeading = "%nConfiguration keys (--config file, env PREFSTREAM_<KEY>, or --set KEY=VALUE), plus any Kafka "
        + "client or Streams key:%n",
    modelTransformer = RunLabelerCommand.ConfigKeysFooter.class)
public final class RunLabelerCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
        description = "Java properties file: PrefStream keys and any Kafka client or Streams setting.")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
        description = "Overrides one configuration key (repeatable); wins over the file and the environment.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        LabelerConfig config = new LabelerConfig(ConfigSources.load(configFile, overrides));
        PrometheusMeterRegistry prometheus = StageMetrics.registry(LabelerService.STAGE);
        long logIntervalMs = config.getLong(LabelerConfig.METRICS_LOG_INTERVAL_MS);
        MeterRegistry registry = logIntervalMs <= 0 ? prometheus
            : new CompositeMeterRegistry().add(prometheus).add(logging(logIntervalMs));
        LabelerService service = LabelerService.start(config, registry);
        AtomicBoolean closing = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closing.set(true);
            service.close();
        }, "labeler-shutdown"));
        OpsServerConfig ops = new OpsServerConfig(config.originals());
        try (OpsServer server = ops.enabled() ? OpsServer.builder(prometheus)
                .readiness("kafka-streams", KafkaStreamsChecks.running(service.streams()))
                .readiness("inference", GaugeChecks.inferenceCircuit(prometheus))
                .liveness("kafka-streams", KafkaStreamsChecks.notFailed(service.streams(), closing::get))
                .start(ops) : null) {
            if (server != null) {
                spec.commandLine().getErr().println("labeler: /metrics, /healthz and /readyz on " + server.url());
            }
            service.awaitStopped();
        }
        boolean failed = service.failed();
        if (failed) {
            service.close();
        }
        registry.close();
        return failed ? 1 : 0;
    }

    private static MeterRegistry logging(long logIntervalMs) {
        LoggingRegistryConfig logging = new LoggingRegistryConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public Duration step() {
                return Duration.ofMillis(logIntervalMs);
            }
        };
        return LoggingMeterRegistry.builder(logging).build();
    }

    /** Lists every configuration key, its default and doc, below the options in {@code --help}. */
    static final class ConfigKeysFooter implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec commandSpec) {
            commandSpec.usageMessage().footer(PrefStreamConfig.describe(LabelerConfig.definition()).replace("%", "%%"));
            return commandSpec;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RunLabelerCommand()).execute(args));
    }
}
