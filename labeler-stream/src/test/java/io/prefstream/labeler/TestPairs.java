package io.prefstream.labeler;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.prefstream.schemas.LabelSource;
import io.prefstream.schemas.Message;
import io.prefstream.schemas.ModelRef;
import io.prefstream.schemas.PrefRecords;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.Role;
import io.prefstream.schemas.ScoredPair;

/** Scored pairs for tests, with real ids. */
public final class TestPairs {
    private TestPairs() {
    }

    public static ScoredPair scored(String user, String chosen, String rejected) {
        PreferencePair pair = PrefRecords.pair(List.of(new Message(Role.user, user)), chosen, "gen-a", rejected, "gen-b",
            LabelSource.DATASET, "test", Instant.parse("2026-01-01T00:00:00Z"), Map.of());
        return ScoredPair.newBuilder()
            .setPair(pair)
            .setRewards(List.of())
            .setPBest(0.55)
            .setPGold(0.48)
            .setBestModel(new ModelRef("rm-best", "1"))
            .setGoldModel(new ModelRef("rm-gold", "1"))
            .setScoredAt(Instant.parse("2026-01-01T00:00:01Z"))
            .build();
    }
}
