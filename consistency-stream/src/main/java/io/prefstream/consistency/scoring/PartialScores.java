package io.prefstream.consistency.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.prefstream.schemas.Lineage;
import io.prefstream.schemas.ModelRef;
import io.prefstream.schemas.ModelReward;
import io.prefstream.schemas.PreferencePair;

/** The join store's value: a pair and the rewards that have arrived for it so far, one per (response, model). */
public record PartialScores(PreferencePair pair, Lineage lineage, List<ModelReward> rewards) {

    public PartialScores {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(lineage, "lineage");
        rewards = List.copyOf(rewards);
    }

    static PartialScores start(ScoringTask task) {
        return new PartialScores(task.pair(), task.lineage(), List.of());
    }

    /** This plus the task's reward, unless a reward for that response and model is already here. */
    PartialScores plus(ScoringTask task) {
        if (reward(task.responseId(), task.model()) != null) {
            return this;
        }
        List<ModelReward> more = new ArrayList<>(rewards);
        more.add(ModelReward.newBuilder().setModel(task.model().getName()).setVersion(task.model().getVersion())
            .setResponseId(task.responseId()).setReward(task.reward()).build());
        return new PartialScores(pair, lineage, more);
    }

    /** True when both responses have a reward from each of {@code models}. */
    boolean complete(List<ModelRef> models) {
        for (ModelRef model : models) {
            if (reward(pair.getChosen().getResponseId(), model) == null
                || reward(pair.getRejected().getResponseId(), model) == null) {
                return false;
            }
        }
        return true;
    }

    /** The reward of {@code responseId} by {@code model}, or null. */
    Float reward(String responseId, ModelRef model) {
        for (ModelReward r : rewards) {
            if (r.getResponseId().equals(responseId) && r.getModel().equals(model.getName())
                && r.getVersion().equals(model.getVersion())) {
                return r.getReward();
            }
        }
        return null;
    }
}
