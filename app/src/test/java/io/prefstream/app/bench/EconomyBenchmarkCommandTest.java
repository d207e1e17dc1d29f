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
class EconomyBenchmarkCommandTest {

    @Test
    void reportsRatiosOfTheCountsItMeasuredOnRealGenerations(EmbeddedKafkaBroker broker) {
        BenchOutput output = BenchOutput.run(new EconomyBenchmarkCommand(), "--bootstrap", broker.bootstrapServers(),
            "--input", SharedData.file(SharedData.ALPACA_EVAL).toString(), "--prompts", "2");

        assertThat(output.last()).matches(
            "economy rm_calls_per_response=\\d+\\.\\d\\d no_llm_share=\\d\\.\\d\\d judge_calls_per_adjudicated=\\d+\\.\\d\\d");
        String totals = output.line("2 prompts");
        long responses = BenchOutput.number(totals, "prompts,");
        long pairs = BenchOutput.number(totals, "responses,");
        String rm = output.line("reward models:");
        long best = BenchOutput.number(rm, "rm-best");
        long gold = BenchOutput.number(rm, "rm-gold");
        String consensus = output.line("decided by RM consensus");
        long withoutLlm = BenchOutput.number(consensus, "call:");
        long adjudicated = BenchOutput.number(consensus, "adjudicated:");
        long judge = BenchOutput.number(output.line("judge:"), "judge:");

        // two AlpacaEval prompts, six answers each: 12 responses, 15 pairs per prompt
        assertThat(responses).isEqualTo(12);
        assertThat(pairs).isEqualTo(30);
        assertThat(withoutLlm + adjudicated).isLessThanOrEqualTo(pairs);
        Map<String, Double> figures = BenchOutput.figures(output.last());
        assertThat(figures.get("rm_calls_per_response")).isCloseTo((best + gold) / (2.0 * responses), within(0.005));
        assertThat(figures.get("no_llm_share")).isCloseTo((double) withoutLlm / pairs, within(0.005));
        assertThat(figures.get("judge_calls_per_adjudicated")).isCloseTo((double) judge / adjudicated, within(0.005));
        // the memo: each response scored once per model, not once per pair it is in (5 pairs each)
        assertThat(best).isEqualTo(responses);
        assertThat(gold).isEqualTo(responses);
    }
}
