package io.prefstream.consistency;

import static io.prefstream.consistency.Fixtures.BEST;
import static io.prefstream.consistency.Fixtures.pair;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.prefstream.consistency.scoring.InternalSerdes;
import io.prefstream.consistency.scoring.PartialScores;
import io.prefstream.consistency.scoring.ScoringFailure;
import io.prefstream.consistency.scoring.ScoringTask;
import io.prefstream.schemas.LabelSource;
import io.prefstream.schemas.Lineage;
import io.prefstream.schemas.ModelReward;
import io.prefstream.schemas.PreferencePair;

/** The stage's internal encodings: failures survive the round trip, and records written before failures existed still read. */
class InternalSerdesTest {
    private static final String TOPIC = "internal";
    private final PreferencePair pair = pair("How do I boil an egg?", "Boil it.", "Fry it.", LabelSource.DATASET);
    private final Lineage lineage = new Lineage("t.pairs.raw", 1, 42L);

    @Test
    void aFailedTaskKeepsItsPairAndFailure() {
        ScoringTask failed = ScoringTask.of(pair, lineage, pair.getRejected().getResponseId()).forModel(BEST)
            .withFailure(new ScoringFailure("java.lang.IllegalStateException", "reward model rm-best failed", 9));
        var serde = InternalSerdes.scoringTask();

        assertThat(serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, failed)))
            .isEqualTo(failed);
    }

    @Test
    void aTaskWrittenByTheEncodingBeforeFailuresStillReads() {
        ScoringTask scored = ScoringTask.of(pair, lineage, pair.getChosen().getResponseId()).forModel(BEST)
            .withReward(1.5f);
        var serde = InternalSerdes.scoringTask();
        byte[] current = serde.serializer().serialize(TOPIC, scored);

        byte[] version2 = previousVersion(current, 1);

        assertThat(serde.deserializer().deserialize(TOPIC, version2)).isEqualTo(scored);
    }

    @Test
    void aJoinEntryCountsItsFailedTasksAndOneWrittenBeforeReadsAsNoneFailed() {
        ModelReward reward = ModelReward.newBuilder().setModel(BEST.getName()).setVersion(BEST.getVersion())
            .setResponseId(pair.getChosen().getResponseId()).setReward(1.5f).build();
        PartialScores partial = new PartialScores(pair, lineage, List.of(reward), 2);
        var serde = InternalSerdes.partialScores();
        byte[] current = serde.serializer().serialize(TOPIC, partial);

        assertThat(serde.deserializer().deserialize(TOPIC, current)).isEqualTo(partial);
        assertThat(serde.deserializer().deserialize(TOPIC, previousVersion(current, Integer.BYTES)))
            .isEqualTo(new PartialScores(pair, lineage, List.of(reward), 0));
    }

    /** Version 2 of an encoding is version 3 without its last field ({@code trailing} bytes). */
    private static byte[] previousVersion(byte[] current, int trailing) {
        assertThat(current[0]).isEqualTo((byte) 3);
        byte[] older = Arrays.copyOf(current, current.length - trailing);
        older[0] = 2;
        return older;
    }
}
