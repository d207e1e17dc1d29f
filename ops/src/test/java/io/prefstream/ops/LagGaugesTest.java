package io.prefstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class LagGaugesTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LagGauges gauges = new LagGauges(registry);

    private static LagReport report(PartitionEvaluation... partitions) {
        return LagReport.of(Instant.EPOCH, 3, 3, 2000,
            List.of(StageLag.of("sink", "sink", StageLag.POSITION_SOURCE, null, null, List.of(partitions))));
    }

    @Test
    void theLatestReportIsExportedAndVanishedPartitionsAreRemoved() {
        PartitionEvaluation stalled = new PartitionEvaluation("prefstream.pairs.curated", 0, 30L, 0, 70, 40, 0.0, 5.0,
            null, Status.ERR, Condition.STALLED, "stuck");
        PartitionEvaluation fine = new PartitionEvaluation("prefstream.pairs.curated", 1, 9L, 0, 9, 0, 2.0, 2.0, 0.0,
            Status.OK, Condition.CAUGHT_UP, "ok");
        gauges.update(report(stalled, fine));
        String scrape = registry.scrape();
        String tags = "group=\"sink\",partition=\"0\",stage=\"sink\",topic=\"prefstream.pairs.curated\"";
        assertThat(scrape)
            .contains("prefstream_lag_records{" + tags + "} 40.0")
            .contains("prefstream_lag_position{" + tags + "} 30.0")
            .contains("prefstream_lag_end_offset{" + tags + "} 70.0")
            .contains("prefstream_lag_consume_rate{" + tags + "} 0.0")
            .contains("prefstream_lag_produce_rate{" + tags + "} 5.0")
            .contains("prefstream_lag_status{" + tags + "} 2.0")
            .contains("prefstream_lag_stage_records{group=\"sink\",stage=\"sink\"} 40.0")
            .contains("prefstream_lag_stage_status{group=\"sink\",stage=\"sink\"} 2.0")
            .contains("prefstream_lag_stage_drain_seconds{group=\"sink\",stage=\"sink\"} +Inf");

        PartitionEvaluation caughtUp = new PartitionEvaluation("prefstream.pairs.curated", 0, 70L, 0, 70, 0, 20.0, 5.0,
            0.0, Status.OK, Condition.CAUGHT_UP, "ok");
        gauges.update(report(caughtUp));
        String after = registry.scrape();
        assertThat(after).contains("prefstream_lag_records{" + tags + "} 0.0")
            .contains("prefstream_lag_stage_status{group=\"sink\",stage=\"sink\"} 0.0")
            .doesNotContain("partition=\"1\"");
    }
}
