package io.prefstream.app.demo;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import io.prefstream.ops.LagEvaluator;
import io.prefstream.ops.LagMonitor;
import io.prefstream.ops.StageLag;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.sinks.table.SinkPositionSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;

/**
 * The demo's per-stage lag, as {@code prefstream lag} computes it (consumer groups named
 * {@code prefstream-<stage>}, the sink's position from its table), on one progress line.
 */
final class StageLagLine implements AutoCloseable {
    private static final String GROUP_PREFIX = "prefstream-";
    /** Rates need two samples; five cover the last ten seconds of progress reports. */
    private static final int WINDOW = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;
    private final LagMonitor monitor;

    StageLagLine(Map<String, String> settings) {
        PrefStreamConfig config = new PrefStreamConfig(settings);
        this.admin = Admin.create(config.kafkaClientProperties());
        this.monitor = LagMonitor.forPrefix(admin, GROUP_PREFIX, SinkPositionSource.sources(config),
            new LagEvaluator(WINDOW), TIMEOUT);
    }

    /** e.g. {@code lag: consistency 120 (310/s) OK | labeler 0 OK | pairing 0 OK | sink 3 (40/s) OK}. */
    String sample() {
        try {
            return monitor.sample().stages().stream().map(StageLagLine::describe)
                .collect(Collectors.joining(" | ", "        lag: ", ""));
        } catch (KafkaException e) {
            // progress is best effort: a slow sample must not stop the demo
            return "        lag: not sampled (" + e.getMessage() + ")";
        }
    }

    private static String describe(StageLag stage) {
        String rate = stage.consumeRate() == null ? "" : String.format(" (%,.0f/s)", stage.consumeRate());
        return String.format("%s %,d%s %s", stage.stage(), stage.lag(), rate, stage.status());
    }

    @Override
    public void close() {
        admin.close(TIMEOUT);
    }
}
