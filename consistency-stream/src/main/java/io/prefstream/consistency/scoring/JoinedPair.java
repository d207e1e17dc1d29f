package io.prefstream.consistency.scoring;

import io.prefstream.schemas.ScoredPair;

/** What the rewards join forwards for a pair: the pair scored, or the first of its reward calls that failed for good. */
public sealed interface JoinedPair {

    /** Both responses have both models' rewards. */
    record Scored(ScoredPair pair) implements JoinedPair {
    }

    /** {@code task} failed for good and still carries the pair as read; the pair's other tasks are dropped. */
    record Failed(ScoringTask task) implements JoinedPair {
    }
}
