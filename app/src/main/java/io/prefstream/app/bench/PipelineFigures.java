package io.prefstream.app.bench;

import java.util.Locale;

/**
 * The pipeline ratios, computed from measured counts and times: pairs per second of each side, their
 * ratio, and, for the endpoint the full pipeline loads most (steady-state items per second over its
 * capacity), that share, which is the stage's share of the endpoint capacity it is limited by.
 */
record PipelineFigures(long fullPairs, double fullSeconds, long naivePairs, double naiveSeconds,
                       double judgeSteadyRate, double judgeCapacity, double rewardSteadyRate, double rewardCapacity) {

    double fullPairsPerSecond() {
        return fullPairs / fullSeconds;
    }

    double naivePairsPerSecond() {
        return naivePairs / naiveSeconds;
    }

    double vsNaive() {
        return fullPairsPerSecond() / naivePairsPerSecond();
    }

    double judgeShare() {
        return judgeSteadyRate / judgeCapacity;
    }

    double rewardShare() {
        return rewardSteadyRate / rewardCapacity;
    }

    /** The endpoint the full pipeline loads most: the judge (labeler stage) or the reward models (consistency). */
    String limitingEndpoint() {
        return judgeShare() >= rewardShare() ? "judge" : "reward-models";
    }

    double capacityShare() {
        return Math.max(judgeShare(), rewardShare());
    }

    /** The last line: {@code pipeline vs_naive=63.0x capacity_share=0.94 limiting=judge}. */
    String line() {
        return String.format(Locale.ROOT, "pipeline vs_naive=%.1fx capacity_share=%.2f limiting=%s", vsNaive(),
            capacityShare(), limitingEndpoint());
    }
}
