package io.prefstream.consistency.scoring;

import java.util.Objects;

import io.prefstream.schemas.Lineage;
import io.prefstream.schemas.ModelRef;
import io.prefstream.schemas.PreferencePair;

/**
 * One response of one pair to be scored, carried through the internal topics: first keyed by
 * response_id (without model), then fanned out per reward model, then, with its reward, keyed by
 * pair_id back to the join. It carries the whole pair and its lineage, so the join needs no second
 * input.
 *
 * @param pair       the pair as read from pairs.raw
 * @param lineage    where the pair was read from
 * @param responseId the response of {@code pair} to score (its chosen or its rejected)
 * @param model      the reward model to score it with; null before the per-model fan-out
 * @param reward     the reward; null until scored
 */
public record ScoringTask(PreferencePair pair, Lineage lineage, String responseId, ModelRef model, Float reward) {

    public ScoringTask {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(lineage, "lineage");
        Objects.requireNonNull(responseId, "responseId");
    }

    public ScoringTask forModel(ModelRef value) {
        return new ScoringTask(pair, lineage, responseId, value, null);
    }

    public ScoringTask withReward(float value) {
        return new ScoringTask(pair, lineage, responseId, model, value);
    }

    /** The memo and coalescing key: a new model version is a new key, so it never serves a stale score. */
    public String memoKey() {
        return responseId + "@" + model.getName() + "@" + model.getVersion();
    }

    /** The text of the response this task scores. */
    public String responseText() {
        return responseId.equals(pair.getChosen().getResponseId()) ? pair.getChosen().getText()
            : pair.getRejected().getText();
    }

    /** Identifies the input record, so two copies of one pair read at different offsets are scored apart. */
    public String joinKey() {
        return pair.getPairId() + "@" + lineage.getSourceTopic() + "/" + lineage.getPartition() + "/"
            + lineage.getOffset();
    }
}
