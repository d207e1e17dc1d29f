package io.prefstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The window rules on synthetic samples, one second apart. */
class LagEvaluatorTest {
    private final LagEvaluator evaluator = new LagEvaluator(4);

    /** Samples at t = 0 s, 1 s, ...: {position, end} pairs; log start 0. */
    private static List<PartitionSample> window(long[]... positionAndEnd) {
        List<PartitionSample> samples = new ArrayList<>();
        for (int i = 0; i < positionAndEnd.length; i++) {
            samples.add(new PartitionSample(i * 1000L, positionAndEnd[i][0], 0, positionAndEnd[i][1]));
        }
        return samples;
    }

    private PartitionEvaluation evaluate(List<PartitionSample> window) {
        return evaluator.evaluate("t", 0, window);
    }

    @Test
    void lagZeroAnywhereInTheWindowIsCaughtUp() {
        PartitionEvaluation e = evaluate(window(new long[] {10, 10}, new long[] {10, 30}, new long[] {10, 50},
            new long[] {10, 70}));
        assertThat(e.condition()).isEqualTo(Condition.CAUGHT_UP);
        assertThat(e.status()).isEqualTo(Status.OK);
        assertThat(e.lag()).isEqualTo(60);
    }

    @Test
    void positionNotMovingOverTheFullWindowWithLagIsStalled() {
        PartitionEvaluation e = evaluate(window(new long[] {10, 40}, new long[] {10, 40}, new long[] {10, 45},
            new long[] {10, 45}));
        assertThat(e.condition()).isEqualTo(Condition.STALLED);
        assertThat(e.status()).isEqualTo(Status.ERR);
        assertThat(e.detail()).isEqualTo("position stuck at 10 for 3.0s with lag 35");
        assertThat(e.consumeRate()).isEqualTo(0.0);
        assertThat(e.produceRate()).isCloseTo(5 / 3.0, within(1e-9));
        assertThat(e.drainSeconds()).isNull();
    }

    @Test
    void theSameStallIsOnlyWarmingUpBeforeTheWindowIsFull() {
        PartitionEvaluation e = evaluate(window(new long[] {10, 40}, new long[] {10, 40}, new long[] {10, 45}));
        assertThat(e.condition()).isEqualTo(Condition.WARMING_UP);
        assertThat(e.status()).isEqualTo(Status.OK);
        assertThat(e.detail()).isEqualTo("3 of 4 samples");
    }

    @Test
    void aWindowOfOneSampleJudgesNoTrendSoALaggingStageIsNotCalledStalled() {
        PartitionEvaluation e = new LagEvaluator(1).evaluate("t", 0, window(new long[] {10, 40}));
        assertThat(e.condition()).isEqualTo(Condition.WARMING_UP);
        assertThat(e.status()).isEqualTo(Status.OK);
        assertThat(e.lag()).isEqualTo(30);
        assertThat(e.detail()).isEqualTo("a window of 1 sample judges no trend; lag 30");
        assertThat(e.consumeRate()).isNull();
    }

    @Test
    void lagGrowingAtEveryStepWhileConsumingIsWarn() {
        // consumes 5/s, produces 10/s: lag 10, 15, 20, 25
        PartitionEvaluation e = evaluate(window(new long[] {0, 10}, new long[] {5, 20}, new long[] {10, 30},
            new long[] {15, 40}));
        assertThat(e.condition()).isEqualTo(Condition.LAG_GROWING);
        assertThat(e.status()).isEqualTo(Status.WARN);
        assertThat(e.detail()).isEqualTo("lag grew from 10 to 25 in 3.0s");
        assertThat(e.consumeRate()).isEqualTo(5.0);
        assertThat(e.produceRate()).isEqualTo(10.0);
        assertThat(e.drainSeconds()).isNull();
    }

    @Test
    void lagThatDipsOnceIsNotGrowingAndDrainTimeFollowsTheNetRate() {
        // lag 10, 12, 9, 11: not growing at every step; consumes 30 in 3 s, produces 31 in 3 s -> not draining
        PartitionEvaluation fluctuating = evaluate(window(new long[] {0, 10}, new long[] {10, 22},
            new long[] {21, 30}, new long[] {30, 41}));
        assertThat(fluctuating.condition()).isEqualTo(Condition.KEEPING_UP);
        assertThat(fluctuating.status()).isEqualTo(Status.OK);
        assertThat(fluctuating.drainSeconds()).as("produces faster than it consumes").isNull();

        // lag 40, 30, 20, 10: consumes 20/s, produces 10/s -> 10 records left at a net 10/s = 1 s
        PartitionEvaluation draining = evaluate(window(new long[] {0, 40}, new long[] {20, 50}, new long[] {40, 60},
            new long[] {60, 70}));
        assertThat(draining.condition()).isEqualTo(Condition.KEEPING_UP);
        assertThat(draining.consumeRate()).isEqualTo(20.0);
        assertThat(draining.produceRate()).isEqualTo(10.0);
        assertThat(draining.drainSeconds()).isEqualTo(1.0);
    }

    @Test
    void constantLagWithAMovingPositionIsKeepingUpNotWarn() {
        PartitionEvaluation e = evaluate(window(new long[] {0, 5}, new long[] {10, 15}, new long[] {20, 25},
            new long[] {30, 35}));
        assertThat(e.condition()).isEqualTo(Condition.KEEPING_UP);
    }

    @Test
    void positionBelowLogStartIsBehindRetentionEvenOnOneSample() {
        PartitionEvaluation e = evaluator.evaluate("t", 3, List.of(new PartitionSample(0, 10L, 25, 40)));
        assertThat(e.condition()).isEqualTo(Condition.BEHIND_RETENTION);
        assertThat(e.status()).isEqualTo(Status.ERR);
        assertThat(e.lag()).as("only records that still exist count as lag").isEqualTo(15);
        assertThat(e.detail()).isEqualTo(
            "15 records were deleted by retention before this stage read them (position 10 < log start 25)");
    }

    @Test
    void noPositionOnAPartitionWithRecordsIsWarnAndAnEmptyOneIsOk() {
        PartitionEvaluation missing = evaluator.evaluate("t", 0, List.of(new PartitionSample(0, null, 5, 12)));
        assertThat(missing.condition()).isEqualTo(Condition.NO_COMMIT);
        assertThat(missing.status()).isEqualTo(Status.WARN);
        assertThat(missing.lag()).isEqualTo(7);
        PartitionEvaluation empty = evaluator.evaluate("t", 0, List.of(new PartitionSample(0, null, 5, 5)));
        assertThat(empty.condition()).isEqualTo(Condition.CAUGHT_UP);
    }

    @Test
    void oneSampleHasNoRatesAndNoDrainEstimateUnlessCaughtUp() {
        PartitionEvaluation e = evaluator.evaluate("t", 0, List.of(new PartitionSample(0, 3L, 0, 9)));
        assertThat(e.consumeRate()).isNull();
        assertThat(e.produceRate()).isNull();
        assertThat(e.drainSeconds()).isNull();
        assertThat(LagTable.drain(e.drainSeconds(), e.lag(), e.consumeRate())).isEqualTo("-");
        assertThat(LagTable.drain(null, 9, 1.0)).isEqualTo("never");
        assertThat(LagTable.drain(425.0, 9, 1.0)).isEqualTo("7m05s");
        assertThat(LagTable.drain(11_520.0, 9, 1.0)).isEqualTo("3h12m");
    }

    @Test
    void stageTotalsAddPartitionsAndTakeTheWorstStatusAndSlowestDrain() {
        PartitionEvaluation fast = new PartitionEvaluation("t", 0, 10L, 0, 20, 10, 20.0, 10.0, 1.0, Status.OK,
            Condition.KEEPING_UP, "x");
        PartitionEvaluation slow = new PartitionEvaluation("t", 1, 0L, 0, 30, 30, 12.0, 10.0, 15.0, Status.WARN,
            Condition.LAG_GROWING, "grew");
        StageLag stage = StageLag.of("s", "g", StageLag.CONSUMER_GROUP, "STABLE", 1, List.of(slow, fast));
        assertThat(stage.lag()).isEqualTo(40);
        assertThat(stage.consumeRate()).isEqualTo(32.0);
        assertThat(stage.produceRate()).isEqualTo(20.0);
        assertThat(stage.drainSeconds()).isEqualTo(15.0);
        assertThat(stage.status()).isEqualTo(Status.WARN);
        assertThat(stage.detail()).isEqualTo("t-1: grew");
        assertThat(stage.partitions()).extracting(PartitionEvaluation::partition).containsExactly(0, 1);
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        assertThatThrownBy(() -> new LagEvaluator(0)).hasMessage("window size must be at least 1 sample, got 0");
        assertThatThrownBy(() -> evaluator.evaluate("t", 0, List.of())).hasMessage("no samples for t-0");
        assertThatThrownBy(() -> new PartitionSample(0, 1L, 9, 5)).hasMessage("log start 9 is after the end offset 5");
    }
}
