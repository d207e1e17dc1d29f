package io.prefstream.ops;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prefstream.platform.config.ConfigSources;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.platform.ops.HealthCheck;
import io.prefstream.platform.ops.OpsServer;
import io.prefstream.platform.ops.OpsServerConfig;
import io.prefstream.platform.ops.StageMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code prefstream lag}: per stage and partition, position, end offset, lag, consume vs produce rate,
 * time to drain and an OK/WARN/ERR status from a sliding window (see {@link LagEvaluator}).
 */
@Command(name = "lag", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Shows, for every stage (consumer group / Kafka Streams application id, plus the sink's table offsets) and "
            + "partition: position, end offset, lag, consume rate vs produce rate, estimated time to drain, and a status "
            + "OK/WARN/ERR judged over a sliding window of samples, after Burrow: lag growing at every step = WARN; "
            + "position not moving while lag > 0 = ERR (stalled); position below the log start offset = ERR "
            + "(records deleted by retention before the stage read them).",
        "Without --watch it takes --window samples --interval apart, prints the last evaluation and exits "
            + "(--window 1: one sample, no rates or trends)."},
    footer = {"", "The window must span more than the stages' commit interval (commit.interval.ms), or a healthy "
        + "stage looks stalled between two commits."})
public final class LagCommand implements Callable<Integer> {
    @Option(names = "--bootstrap", paramLabel = "HOST:PORT,...",
        description = "Kafka brokers; overrides bootstrap.servers from --config and PREFSTREAM_BOOTSTRAP_SERVERS.")
    String bootstrap;

    @Option(names = "--config", paramLabel = "FILE",
        description = "Properties file with bootstrap.servers and any Kafka client security settings (sasl.*, ssl.*).")
    Path configFile;

    @Option(names = "--group-prefix", defaultValue = "prefstream-", paramLabel = "PREFIX",
        description = "Consumer groups whose id starts with this are stages; the stage name is the rest of the id "
            + "(default: ${DEFAULT-VALUE}).")
    String groupPrefix;

    @Option(names = "--group", paramLabel = "GROUP_ID",
        description = "Watch exactly these groups instead of --group-prefix (repeatable); stage name = group id "
            + "without --group-prefix.")
    List<String> groups;

    @Option(names = "--watch", description = "Keep sampling every --interval and redraw in place (ANSI) until interrupted.")
    boolean watch;

    @Option(names = "--json", description = "Print machine-readable JSON (one document per sample with --watch).")
    boolean json;

    @Option(names = "--interval", defaultValue = "2s", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Time between samples: 500ms, 2s, 1m or ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--window", defaultValue = "5", paramLabel = "SAMPLES",
        description = "Samples in the sliding window a trend is judged over (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--count", defaultValue = "0", paramLabel = "N",
        description = "With --watch: stop after N samples; 0 runs until interrupted (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--metrics-port", defaultValue = "-1", paramLabel = "PORT",
        description = "With --watch: also serve the evaluations as prefstream_lag_* gauges on this port (/metrics, "
            + "/healthz, and /readyz: not ready while the last sample failed); -1 off, 0 any free port "
            + "(default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--quiet", description = "With --metrics-port: print nothing, run as a lag exporter.")
    boolean quiet;

    @Option(names = "--timeout", defaultValue = "10s", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Deadline of each Admin request (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Spec
    CommandSpec spec;

    private final Function<PrefStreamConfig, List<PositionSource>> positionSources;

    /** A lag command that sees consumer groups only. */
    public LagCommand() {
        this(config -> List.of());
    }

    /**
     * A lag command that also shows stages keeping their position elsewhere (the sink's Iceberg offsets):
     * {@code positionSources} builds them from the loaded configuration.
     */
    public LagCommand(Function<PrefStreamConfig, List<PositionSource>> positionSources) {
        this.positionSources = positionSources;
    }

    @Override
    public Integer call() throws Exception {
        validate();
        Map<String, String> overrides = new HashMap<>();
        if (bootstrap != null) {
            overrides.put(PrefStreamConfig.BOOTSTRAP_SERVERS, bootstrap);
        }
        PrefStreamConfig config = new PrefStreamConfig(ConfigSources.load(configFile, overrides));
        PrintWriter out = spec.commandLine().getOut();
        boolean ansi = watch && !json && System.console() != null;
        Admin admin = Admin.create(config.kafkaClientProperties());
        try {
            LagMonitor monitor = monitor(admin, positionSources.apply(config));
            if (!watch) {
                LagReport report = monitor.sample();
                for (int i = 1; i < window; i++) {
                    Thread.sleep(interval.toMillis());
                    report = monitor.sample();
                }
                print(out, report, false);
                return 0;
            }
            return watch(monitor, out, ansi);
        } finally {
            // bounded: a request that timed out stays pending inside the client, and close() would wait for it
            admin.close(timeout);
        }
    }

    private int watch(LagMonitor monitor, PrintWriter out, boolean ansi) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StageMetrics.bindJvm(registry);
        LagGauges gauges = new LagGauges(registry);
        AtomicReference<String> lastFailure = new AtomicReference<>();
        OpsServer server = metricsPort < 0 ? null : OpsServer.builder(registry)
            .readiness("last-sample", () -> lastFailure.get() == null ? HealthCheck.Result.up("sampled")
                : HealthCheck.Result.down(lastFailure.get()))
            .start(new OpsServerConfig(Map.of(OpsServerConfig.PORT, Integer.toString(metricsPort))));
        try {
            if (server != null && !quiet) {
                spec.commandLine().getErr().println("lag gauges on " + server.url() + "/metrics");
            }
            for (long n = 1; count == 0 || n <= count; n++) {
                long started = System.nanoTime();
                try {
                    LagReport report = monitor.sample();
                    lastFailure.set(null);
                    gauges.update(report);
                    if (!quiet) {
                        print(out, report, ansi);
                    }
                } catch (KafkaException e) {
                    // a watcher outlives a broker restart: report, keep the last gauges, try again next interval
                    lastFailure.set(e.getMessage());
                    spec.commandLine().getErr().println("lag sample failed: " + e.getMessage());
                }
                if (count == 0 || n < count) {
                    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
                    Thread.sleep(Math.max(0, interval.toMillis() - elapsedMillis));
                }
            }
            return 0;
        } catch (InterruptedException e) {
            // stopped by the embedding launcher (or a test): a normal end of watching
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private void print(PrintWriter out, LagReport report, boolean ansi) {
        if (json) {
            out.println(LagJson.write(report));
        } else {
            List<String> lines = LagTable.render(report, ansi);
            if (ansi) {
                // cursor home, each line cleared to its end, then everything below cleared: redraw without flicker
                StringBuilder frame = new StringBuilder("\u001b[H");
                lines.forEach(line -> frame.append(line).append("\u001b[K\n"));
                out.print(frame.append("\u001b[J"));
            } else {
                lines.forEach(out::println);
                if (watch) {
                    out.println();
                }
            }
        }
        out.flush();
    }

    private LagMonitor monitor(Admin admin, List<PositionSource> sources) {
        LagEvaluator evaluator = new LagEvaluator(window);
        if (groups == null || groups.isEmpty()) {
            return LagMonitor.forPrefix(admin, groupPrefix, sources, evaluator, timeout);
        }
        List<String> wanted = List.copyOf(groups);
        return new LagMonitor(admin, wanted::contains,
            id -> id.startsWith(groupPrefix) && id.length() > groupPrefix.length() ? id.substring(groupPrefix.length()) : id,
            sources, evaluator, Clock.systemUTC(), timeout);
    }

    private void validate() {
        if (window < 1) {
            throw new ParameterException(spec.commandLine(), "--window must be at least 1 sample, got " + window);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new ParameterException(spec.commandLine(), "--interval must be positive, got " + interval);
        }
        if (count < 0) {
            throw new ParameterException(spec.commandLine(), "--count must be 0 (forever) or more, got " + count);
        }
        if (metricsPort >= 0 && !watch) {
            throw new ParameterException(spec.commandLine(), "--metrics-port needs --watch (gauges need a running sampler)");
        }
        if (quiet && metricsPort < 0) {
            throw new ParameterException(spec.commandLine(), "--quiet only makes sense with --metrics-port");
        }
    }

    /** Parses 500ms, 2s, 1m, 1h or ISO-8601 (PT2S). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.startsWith("pt")) {
                    return Duration.parse(v.toUpperCase(Locale.ROOT));
                }
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                long amount = Long.parseLong(v.substring(0, v.length() - 1));
                return switch (v.charAt(v.length() - 1)) {
                    case 's' -> Duration.ofSeconds(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    case 'h' -> Duration.ofHours(amount);
                    default -> throw new IllegalArgumentException();
                };
            } catch (RuntimeException e) {
                throw new picocli.CommandLine.TypeConversionException(
                    "'" + value + "' is not a duration: use e.g. 500ms, 2s, 1m, 1h or PT2S");
            }
        }
    }
}
