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
class PipelineBenchmarkCommandTest {

    @Test
    void comparesBothPipelinesAndReportsRatiosOfWhatItMeasured(EmbeddedKafkaBroker broker) {
        BenchOutput output = BenchOutput.run(new PipelineBenchmarkCommand(), "--bootstrap", broker.bootstrapServers(),
            "--input", SharedData.file(SharedData.ALPACA_EVAL).toString(), "--prompts", "2", "--naive-prompts", "1",
            "--warmup-prompts", "1", "--naive-warmup-prompts", "1", "--latency-ms-per-batch", "5",
            "--jit-warmup-rounds", "2", "--jit-warmup-prompts", "1", "--jit-quiet-share", "0.99");

        // one throwaway round of one prompt's 15 pairs, which leaves compilation under 99% of the CPU
        assertThat(output.lines).filteredOn(line -> line.startsWith("jit warm-up round "))
            .singleElement().asString()
            .matches("jit warm-up round 1: 15 pairs in \\d+\\.\\d s, compilation \\d+% of the CPU");
        assertThat(output.last()).matches(
            "pipeline vs_naive=\\d+\\.\\dx capacity_share=\\d+\\.\\d\\d limiting=(judge|reward-models)");
        Map<String, Double> m = BenchOutput.figures(output.line("measured "));
        // 15 pairs per six-answer prompt
        assertThat(m.get("full_pairs")).isEqualTo(30.0);
        assertThat(m.get("naive_pairs")).isEqualTo(15.0);
        double full = m.get("full_pairs") / m.get("full_seconds");
        double naive = m.get("naive_pairs") / m.get("naive_seconds");
        double judgeShare = m.get("judge_steady") / m.get("judge_capacity");
        double rewardShare = m.get("reward_steady") / m.get("reward_capacity");
        Map<String, Double> last = BenchOutput.figures(output.last());
        assertThat(last.get("vs_naive")).isCloseTo(full / naive, within(0.05 + full / naive * 0.002));
        assertThat(last.get("capacity_share")).isCloseTo(Math.max(judgeShare, rewardShare), within(0.006));
        assertThat(output.last()).endsWith(judgeShare >= rewardShare ? "limiting=judge" : "limiting=reward-models");
        // the endpoint's capacity: 2 instances x 64 items per 5 ms execution for each reward model
        assertThat(m.get("reward_capacity")).isEqualTo(2 * 64 * 1000 / 5.0);
    }
}
