package io.prefstream.consistency.scoring;

import java.time.Instant;

import io.prefstream.consistency.policy.CurationPolicy;
import io.prefstream.schemas.LabelSource;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.ScoredPair;

/**
 * Turns a pair whose four rewards have arrived into a {@link ScoredPair}: proposes a label from the
 * best RM when the pair has none (label_source becomes RM), then computes {@code p_best} and
 * {@code p_gold} for the (possibly proposed) label.
 */
public final class PairScorer {
    private final RewardModels models;

    public PairScorer(RewardModels models) {
        this.models = models;
    }

    public ScoredPair score(PartialScores scores, Instant now) {
        PreferencePair pair = scores.pair();
        if (pair.getLabelSource() == LabelSource.NONE) {
            pair = proposeLabel(scores);
        }
        String chosen = pair.getChosen().getResponseId();
        String rejected = pair.getRejected().getResponseId();
        double pBest = CurationPolicy.agreement(scores.reward(chosen, models.best()),
            scores.reward(rejected, models.best()));
        double pGold = CurationPolicy.agreement(scores.reward(chosen, models.gold()),
            scores.reward(rejected, models.gold()));
        return ScoredPair.newBuilder()
            .setPair(pair)
            .setRewards(scores.rewards())
            .setPBest(pBest)
            .setPGold(pGold)
            .setBestModel(models.best())
            .setGoldModel(models.gold())
            .setScoredAt(now)
            .setLineage(scores.lineage())
            .build();
    }

    private PreferencePair proposeLabel(PartialScores scores) {
        PreferencePair pair = scores.pair();
        boolean swap = CurationPolicy.bestPrefersSecond(
            scores.reward(pair.getChosen().getResponseId(), models.best()),
            scores.reward(pair.getRejected().getResponseId(), models.best()));
        PreferencePair.Builder proposed = PreferencePair.newBuilder(pair).setLabelSource(LabelSource.RM);
        if (swap) {
            proposed.setChosen(pair.getRejected()).setRejected(pair.getChosen());
        }
        return proposed.build();
    }
}
