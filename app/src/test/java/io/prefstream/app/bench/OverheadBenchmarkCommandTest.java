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
class OverheadBenchmarkCommandTest {

    @Test
    void comparesThePipelineWithAnExactlyOncePassthroughOfItsOwnRecords(EmbeddedKafkaBroker broker) {
        BenchOutput output = BenchOutput.run(new OverheadBenchmarkCommand(), "--bootstrap", broker.bootstrapServers(),
            "--input", SharedData.file(SharedData.ALPACA_EVAL).toString(), "--prompts", "2", "--warmup-prompts", "0",
            "--jit-warmup-rounds", "0", "--passthrough-records", "200");

        assertThat(output.last()).matches("overhead pipeline_vs_passthrough=\\d+\\.\\d{3}");
        Map<String, Double> m = BenchOutput.figures(output.line("measured "));
        assertThat(m.get("pipeline_pairs")).isEqualTo(30.0);
        assertThat(m.get("passthrough_records")).isEqualTo(200.0);
        double expected = (m.get("pipeline_pairs") / m.get("pipeline_seconds"))
            / (m.get("passthrough_records") / m.get("passthrough_seconds"));
        assertThat(BenchOutput.figures(output.last()).get("pipeline_vs_passthrough"))
            .isCloseTo(expected, within(0.0006 + expected * 0.002));
    }
}
