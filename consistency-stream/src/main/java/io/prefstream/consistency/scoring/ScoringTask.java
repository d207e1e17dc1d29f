package io.prefstream.consistency.scoring;

import java.util.Objects;

import io.prefstream.schemas.Lineage;
import io.prefstream.schemas.ModelRef;
import io.prefstream.schemas.PreferencePair;

/**
 * One response of one pair to be scored, carried through the internal topics: first keyed by
 * response_id (without model), then fanned out per reward model, then, with its reward, keyed by
 * pair_id back to the join. Until it is scored it carries the whole pair (to build the request, and to
 * dead-letter the pair as read if scoring fails). On the way back to the join only one of a pair's
 * four tasks, the {@linkplain #carriesPairBack carrier}, keeps the pair; the others drop it
 * ({@link #withoutPair}), so the pair's text crosses that repartition topic and the join store once
 * instead of four times. A task whose call failed for good goes back to the join too, with its
 * {@linkplain #failure failure} and its pair, so that the join dead-letters the pair once, whichever of
 * its calls failed and however many.
 *
 * @param pair       the pair as read from pairs.raw; null on a scored task that is not the carrier
 * @param pairId     the pair's id (the pair's own when the pair is here)
 * @param lineage    where the pair was read from
 * @param responseId the response of the pair to score (its chosen or its rejected)
 * @param model      the reward model to score it with; null before the per-model fan-out
 * @param reward     the reward; null until scored
 * @param failure    why the reward call failed for good; null unless it did
 */
public record ScoringTask(PreferencePair pair, String pairId, Lineage lineage, String responseId, ModelRef model,
                          Float reward, ScoringFailure failure) {

    public ScoringTask {
        Objects.requireNonNull(pairId, "pairId");
        Objects.requireNonNull(lineage, "lineage");
        Objects.requireNonNull(responseId, "responseId");
        if (pair != null && !pair.getPairId().equals(pairId)) {
            throw new IllegalArgumentException("pair " + pair.getPairId() + " carried under pair id " + pairId);
        }
        if (reward != null && failure != null) {
            throw new IllegalArgumentException("task for response " + responseId + " both scored and failed");
        }
    }

    /** The task of scoring {@code responseId} of {@code pair}, before the per-model fan-out. */
    public static ScoringTask of(PreferencePair pair, Lineage lineage, String responseId) {
        return new ScoringTask(Objects.requireNonNull(pair, "pair"), pair.getPairId(), lineage, responseId, null, null,
            null);
    }

    public ScoringTask forModel(ModelRef value) {
        return new ScoringTask(pair, pairId, lineage, responseId, value, null, null);
    }

    public ScoringTask withReward(float value) {
        return new ScoringTask(pair, pairId, lineage, responseId, model, value, null);
    }

    /** This task, failed for good; it keeps its pair, so the pair can be dead-lettered as read. */
    public ScoringTask withFailure(ScoringFailure value) {
        return new ScoringTask(pair, pairId, lineage, responseId, model, null, Objects.requireNonNull(value, "failure"));
    }

    /**
     * True for the one task of its pair that carries the pair back to the join: the chosen response
     * scored by {@code carrierModel} (every valid pair has exactly one such task).
     */
    public boolean carriesPairBack(ModelRef carrierModel) {
        return pair != null && responseId.equals(pair.getChosen().getResponseId()) && carrierModel.equals(model);
    }

    /** This task without the pair's text: what the join needs of every task but the carrier. */
    public ScoringTask withoutPair() {
        return new ScoringTask(null, pairId, lineage, responseId, model, reward, failure);
    }

    /** The memo and coalescing key: a new model version is a new key, so it never serves a stale score. */
    public String memoKey() {
        return responseId + "@" + model.getName() + "@" + model.getVersion();
    }

    /** The text of the response this task scores; only before scoring, while the task carries its pair. */
    public String responseText() {
        if (pair == null) {
            throw new IllegalStateException("task for response " + responseId + " of pair " + pairId
                + " no longer carries its pair");
        }
        return responseId.equals(pair.getChosen().getResponseId()) ? pair.getChosen().getText()
            : pair.getRejected().getText();
    }

    /** Identifies the input record, so two copies of one pair read at different offsets are scored apart. */
    public String joinKey() {
        return pairId + "@" + lineage.getSourceTopic() + "/" + lineage.getPartition() + "/" + lineage.getOffset();
    }
}
