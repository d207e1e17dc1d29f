package io.prefstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PrefRecordsTest {
    private static final List<Message> HELLO = List.of(new Message(Role.user, "Hello"));
    // computed with sha256sum, see PrefIdsTest
    private static final String HELLO_PROMPT_ID = "79b3a8c372541f14480e9a4c440862c4c5acd309672f21e34a73ae267a3aeaaa";
    private static final String HI_THERE_ID = "636cb1faad8ad49db812ebc49840126c5acead69ea4817e67192339a2440957d";
    private static final String GO_AWAY_ID = "76b09db2fa455938b6eb4689fe64139efe5484d27c2ad96428ddea3be910caf6";
    private static final String PAIR_ID = "25af21441f51f6c260511fc0a24e6225ac9a607d4e5eaabd1bfd68989028cc80";

    @Test
    void generationsGetTheirIds() {
        Generation generation = PrefRecords.generation(HELLO, "Hi there!", "model-a", "test", Instant.EPOCH, Map.of());
        assertThat(generation.getPromptId()).isEqualTo(HELLO_PROMPT_ID);
        assertThat(generation.getResponseId()).isEqualTo(HI_THERE_ID);
    }

    @Test
    void pairsGetTheirIdsAndSwappingMakesANewPair() {
        PreferencePair pair = PrefRecords.pair(HELLO, "Hi there!", "model-a", "Go away.", null, LabelSource.DATASET,
            "test", Instant.EPOCH, Map.of("line", "1"));
        assertThat(pair.getPairId()).isEqualTo(PAIR_ID);
        assertThat(pair.getChosen().getResponseId()).isEqualTo(HI_THERE_ID);
        assertThat(pair.getRejected().getResponseId()).isEqualTo(GO_AWAY_ID);

        PreferencePair swapped = PrefRecords.swapped(pair, LabelSource.RM);
        assertThat(swapped.getChosen()).isEqualTo(pair.getRejected());
        assertThat(swapped.getRejected()).isEqualTo(pair.getChosen());
        assertThat(swapped.getPairId()).isEqualTo(PrefIds.pairId(HELLO_PROMPT_ID, GO_AWAY_ID, HI_THERE_ID));
        assertThat(swapped.getLabelSource()).isEqualTo(LabelSource.RM);
        assertThat(swapped.getMetadata()).isEqualTo(pair.getMetadata());
        assertThat(PrefRecords.swapped(swapped, LabelSource.DATASET)).isEqualTo(pair);
    }

    @Test
    void aPairOfIdenticalResponsesIsRefused() {
        assertThatThrownBy(() -> PrefRecords.pair(HELLO, "same", null, "same", null, LabelSource.NONE, "test",
            Instant.EPOCH, Map.of())).hasMessageContaining("same response");
    }
}
