package io.prefstream.consistency.scoring;

import java.util.List;

import io.prefstream.schemas.ModelRef;

/** The two reward models of the consistency check, with the versions that key the memo. */
public record RewardModels(ModelRef best, ModelRef gold) {

    public RewardModels {
        if (best == null || gold == null) {
            throw new IllegalArgumentException("both a best and a gold reward model are needed");
        }
        if (best.equals(gold)) {
            throw new IllegalArgumentException("best and gold reward models must differ, both are " + best);
        }
    }

    public static RewardModels of(String bestName, String bestVersion, String goldName, String goldVersion) {
        return new RewardModels(new ModelRef(bestName, bestVersion), new ModelRef(goldName, goldVersion));
    }

    public List<ModelRef> both() {
        return List.of(best, gold);
    }
}
