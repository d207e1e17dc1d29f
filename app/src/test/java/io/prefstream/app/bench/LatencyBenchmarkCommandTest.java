package io.prefstream.app.bench;

import java.util.Map;

import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.SharedData;
import io.prefstream.platform.testing.SharedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@ExtendWith(SharedKafkaBroker.class)
class LatencyBenchmarkCommandTest {

    @Test
    void measuresEveryPairItPacedAndComparesWithThePassthroughAtTheSameRate(EmbeddedKafkaBroker broker) {
        BenchOutput output = BenchOutput.run(new LatencyBenchmarkCommand(), "--bootstrap", broker.bootstrapServers(),
            "--input", SharedData.file(SharedData.ALPACA_EVAL).toString(), "--warmup-prompts", "0",
            "--saturation-prompts", "2", "--prompts", "3", "--latency-ms-per-batch", "5");

        assertThat(output.last()).matches("latency p50_ms=\\d+ p90_ms=\\d+ p99_ms=\\d+ max_ms=\\d+ rate=\\d+\\.\\d "
            + "capacity_share=0\\.50 vs_passthrough_p50=\\d+\\.\\dx vs_passthrough_p99=\\d+\\.\\dx");
        Map<String, Double> last = BenchOutput.figures(output.last());
        assertThat(last.get("p50_ms")).isLessThanOrEqualTo(last.get("p90_ms"));
        assertThat(last.get("p90_ms")).isLessThanOrEqualTo(last.get("p99_ms"));
        assertThat(last.get("p99_ms")).isLessThanOrEqualTo(last.get("max_ms"));
        // a pair crosses three exactly-once stages: it cannot be visible before one commit interval has passed
        assertThat(last.get("p50_ms")).isGreaterThan(0);

        // the offered rate is half of the capacity measured in the same run
        String capacity = output.line("capacity:");
        assertThat(BenchOutput.number(capacity, "capacity:")).isEqualTo(2);
        double pairsPerSecond = Double.parseDouble(capacity.replaceAll(".*= ([0-9.]+) pairs/s.*", "$1"));
        assertThat(last.get("rate")).isCloseTo(pairsPerSecond / 2, within(0.06 + pairsPerSecond * 0.001));

        // every paced pair ended and was timed: 15 per prompt of six distinct answers
        String paced = output.line("paced:");
        long prompts = BenchOutput.number(paced, "paced:");
        long offered = BenchOutput.number(paced, "answer),");
        assertThat(prompts + BenchOutput.number(paced, "prompts (")).isEqualTo(3);
        assertThat(offered).isEqualTo(15 * prompts);
        String ended = paced.replaceAll(".* (\\d+) pairs ended.*", "$1");
        assertThat(Long.parseLong(ended)).isEqualTo(offered);
        long decided = BenchOutput.number(output.line("pipeline, produce -> any decision"), "n=");
        assertThat(decided).isEqualTo(offered - BenchOutput.number(paced, "ended ("));
        long curated = BenchOutput.number(output.line("pipeline, produce -> pairs.curated"), "n=");
        assertThat(curated).isPositive().isLessThanOrEqualTo(decided);

        // the baseline copied as many records at the same rate, and each was timed
        String passthrough = output.line("passthrough,");
        assertThat(BenchOutput.number(passthrough, "n=")).isEqualTo(offered);
        Map<String, Double> base = BenchOutput.figures(passthrough);
        assertThat(last.get("vs_passthrough_p50")).isCloseTo(last.get("p50_ms") / Math.max(1, base.get("p50")),
            within(0.051));
    }
}
