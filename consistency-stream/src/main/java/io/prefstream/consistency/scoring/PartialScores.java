package io.prefstream.consistency.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.prefstream.schemas.Lineage;
import io.prefstream.schemas.ModelRef;
import io.prefstream.schemas.ModelReward;
import io.prefstream.schemas.PreferencePair;

/**
 * The join store's value: the rewards that have arrived for a pair so far, one per (response, model),
 * the pair itself once its carrier task has arrived (null before: see {@link ScoringTask}), and how
 * many of its tasks arrived failed.
 */
public record PartialScores(PreferencePair pair, Lineage lineage, List<ModelReward> rewards, int failedTasks) {

    public PartialScores {
        Objects.requireNonNull(lineage, "lineage");
        rewards = List.copyOf(rewards);
    }

    static PartialScores start(ScoringTask task) {
        return new PartialScores(null, task.lineage(), List.of(), 0);
    }

    /**
     * This plus the task: a failure is counted; otherwise its pair, when it carries it, and its reward,
     * unless one for that response and model is here.
     */
    PartialScores plus(ScoringTask task) {
        if (task.failure() != null) {
            return new PartialScores(pair, lineage, rewards, failedTasks + 1);
        }
        PreferencePair withPair = pair != null ? pair : task.pair();
        if (reward(task.responseId(), task.model()) != null) {
            return withPair == pair ? this : new PartialScores(withPair, lineage, rewards, failedTasks);
        }
        List<ModelReward> more = new ArrayList<>(rewards);
        more.add(ModelReward.newBuilder().setModel(task.model().getName()).setVersion(task.model().getVersion())
            .setResponseId(task.responseId()).setReward(task.reward()).build());
        return new PartialScores(withPair, lineage, more, failedTasks);
    }

    /** True when no task failed, the pair is here and both its responses have a reward from each of {@code models}. */
    boolean complete(List<ModelRef> models) {
        if (pair == null || failedTasks > 0) {
            return false;
        }
        for (ModelRef model : models) {
            if (reward(pair.getChosen().getResponseId(), model) == null
                || reward(pair.getRejected().getResponseId(), model) == null) {
                return false;
            }
        }
        return true;
    }

    /** True when every task of the pair (two responses, each by each of {@code models}) has arrived, failed or not. */
    boolean allArrived(List<ModelRef> models) {
        return rewards.size() + failedTasks >= 2 * models.size();
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
