package io.prefstream.registry;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prefstream.platform.config.ConfigSources;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.platform.ops.HealthCheck;
import io.prefstream.platform.ops.OpsServer;
import io.prefstream.platform.ops.OpsServerConfig;
import io.prefstream.platform.ops.StageMetrics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code prefstream registry}: runs the Schema Registry standalone against a Kafka cluster until
 * SIGINT/SIGTERM (or until the calling thread is interrupted, for an embedding launcher). Options override
 * the config file, which overrides defaults. The ops server on {@code metrics.port} answers from the start:
 * {@code /readyz} turns 200 once the schema topic is loaded, {@code /healthz} fails if the store stops
 * following the topic, {@code /metrics} has the JVM's meters.
 */
@Command(name = "registry", mixinStandardHelpOptions = true,
    description = {"Runs a Confluent-compatible Schema Registry (Avro) that keeps its schemas in a compacted Kafka "
        + "topic. Prints 'ready registry=URL' when serving; runs until SIGINT/SIGTERM.", ""},
    footerHeading = "%nConfiguration keys (--config file, or env PREFSTREAM_<KEY>):%n",
    modelTransformer = RegistryCommand.ConfigKeysFooter.class)
public final class RegistryCommand implements Callable<Integer> {
    /** The {@code stage} tag of every meter this process exports. */
    static final String STAGE = "registry";

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
        description = "Kafka brokers holding the schema topic (default: bootstrap.servers, else 127.0.0.1:9092).")
    String bootstrap;

    @Option(names = "--port", paramLabel = "N",
        description = "HTTP port; 0 picks a free one (default: registry.port, else 8081).")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDRESS",
        description = "Address to listen on; 0.0.0.0 for every interface (default: registry.host, else 127.0.0.1).")
    String host;

    @Option(names = "--topic", paramLabel = "NAME",
        description = "Compacted topic storing schemas and configs (default: registry.topic, else _schemas).")
    String topic;

    @Option(names = "--basic-auth", paramLabel = "USER:PASSWORD",
        description = "Require HTTP basic auth with these credentials (default: registry.basic.auth.user.info, "
            + "else no auth).")
    String basicAuth;

    @Option(names = "--config", paramLabel = "FILE",
        description = "Java properties file: PrefStream keys and any Kafka client setting (security.protocol, "
            + "sasl.*, ssl.*), passed to the store's clients.")
    Path configFile;

    /** Runs the command on its own; the {@code prefstream} launcher runs it as a subcommand instead. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new RegistryCommand()).execute(args));
    }

    @Override
    public Integer call() {
        RegistryConfig config = new RegistryConfig(ConfigSources.load(configFile, overrides()));
        AtomicReference<SchemaRegistryServer> serving = new AtomicReference<>();
        try (OpsServer ops = startOps(new OpsServerConfig(config.originals()), serving)) {
            if (ops != null) {
                spec.commandLine().getErr().println("registry: /metrics, /healthz and /readyz on " + ops.url());
                spec.commandLine().getErr().flush();
            }
            CountDownLatch stopped = new CountDownLatch(1);
            SchemaRegistryServer server = SchemaRegistryServer.start(config.bootstrapServers(), config.port(),
                config.options());
            serving.set(server);
            Thread hook = new Thread(() -> {
                serving.set(null);
                server.close();
                stopped.countDown();
            }, "registry-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            PrintWriter out = spec.commandLine().getOut();
            out.println("ready registry=" + server.url());
            out.flush();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                // asked to stop by the thread's owner: stop as on SIGTERM
                Runtime.getRuntime().removeShutdownHook(hook);
                hook.run();
                Thread.currentThread().interrupt();
            }
            return 0;
        }
    }

    /** The ops server, or null with {@code metrics.port=-1}. */
    private static OpsServer startOps(OpsServerConfig config, AtomicReference<SchemaRegistryServer> serving) {
        if (!config.enabled()) {
            return null;
        }
        PrometheusMeterRegistry metrics = StageMetrics.registry(STAGE);
        return OpsServer.builder(metrics)
            .readiness("schema-store", () -> serving.get() != null
                ? HealthCheck.Result.up("schema topic loaded, serving " + serving.get().url())
                : HealthCheck.Result.down("loading the schema topic (or stopping)"))
            .liveness("schema-store", () -> {
                SchemaRegistryServer server = serving.get();
                RuntimeException failure = server == null ? null : server.storeFailure();
                return failure == null ? HealthCheck.Result.up("following the schema topic")
                    : HealthCheck.Result.down("the store reader stopped: " + failure);
            })
            .start(config);
    }

    private Map<String, String> overrides() {
        Map<String, String> overrides = new HashMap<>();
        putIfGiven(overrides, PrefStreamConfig.BOOTSTRAP_SERVERS, bootstrap);
        putIfGiven(overrides, RegistryConfig.PORT, port == null ? null : port.toString());
        putIfGiven(overrides, RegistryConfig.HOST, host);
        putIfGiven(overrides, RegistryConfig.TOPIC, topic);
        putIfGiven(overrides, RegistryConfig.BASIC_AUTH, basicAuth);
        return overrides;
    }

    private static void putIfGiven(Map<String, String> overrides, String key, String value) {
        if (value != null) {
            overrides.put(key, value);
        }
    }

    /** Lists every configuration key, its default and doc, below the options in {@code --help}. */
    static final class ConfigKeysFooter implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec commandSpec) {
            commandSpec.usageMessage().footer(PrefStreamConfig.describe(RegistryConfig.definition()).replace("%", "%%"));
            return commandSpec;
        }
    }
}
