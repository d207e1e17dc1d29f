package io.prefstream.app.bench;

import java.util.List;
import java.util.Map;

import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.SharedData;
import io.prefstream.platform.testing.SharedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@ExtendWith(SharedKafkaBroker.class)
class MemoryBenchmarkCommandTest {

    @Test
    void readsThePeakResidentMemoryOfEveryStageProcessWithTheBacklogPending(EmbeddedKafkaBroker broker) {
        BenchOutput output = BenchOutput.run(new MemoryBenchmarkCommand(), "--bootstrap", broker.bootstrapServers(),
            "--input", SharedData.file(SharedData.ALPACA_EVAL).toString(), "--prompts", "3", "--pending", "30",
            "--idle-seconds", "1", "--hold-seconds", "1", "--max-heap-mb", "256");

        assertThat(output.last()).matches("memory pairing_mb=\\d+ consistency_mb=\\d+ labeler_mb=\\d+ sink_mb=\\d+ "
            + "pending=\\d+ xmx_mb=256 labeler_vs_idle=\\d+\\.\\d\\dx");
        Map<String, Double> last = BenchOutput.figures(output.last());
        // the target was reached at the labeler, and nothing was labelled: the judge endpoint has not answered
        assertThat(last.get("pending")).isGreaterThanOrEqualTo(30.0);
        String pending = output.line("pending:");
        assertThat(BenchOutput.number(pending, "read")).isGreaterThanOrEqualTo(last.get("pending").longValue());
        assertThat(BenchOutput.number(pending, "wrote")).isZero();

        for (String stage : List.of("pairing", "consistency", "labeler", "sink")) {
            String line = output.line(stage + " ");
            long peak = BenchOutput.number(line, "peak RSS");
            long idle = BenchOutput.number(line, "vs");
            // each stage is its own JVM: a real process with a resident set of its own
            assertThat(BenchOutput.number(line, "pid")).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(peak).as(stage).isPositive().isEqualTo(last.get(stage + "_mb").longValue());
            // a peak since start cannot shrink: the loaded peak includes the idle one
            assertThat(idle).as(stage).isPositive().isLessThanOrEqualTo(peak);
            if (stage.equals("labeler")) {
                assertThat(last.get("labeler_vs_idle")).isCloseTo((double) peak / idle, within(0.006));
            }
        }
        // the children are gone once the command returns
        assertThat(ProcessHandle.allProcesses().filter(p -> p.parent().map(ProcessHandle::pid)
            .filter(pid -> pid == ProcessHandle.current().pid()).isPresent()).count()).isZero();
    }
}
