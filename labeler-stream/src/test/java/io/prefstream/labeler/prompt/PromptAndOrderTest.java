package io.prefstream.labeler.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.prefstream.inference.judge.JudgeContract;
import io.prefstream.schemas.Attributes;
import io.prefstream.schemas.CandidateOrder;
import io.prefstream.schemas.Controversiality;
import io.prefstream.schemas.PreferenceObjectivity;

class PromptAndOrderTest {
    private static final Attributes ATTRIBUTES = new Attributes("coding", PreferenceObjectivity.OBJECTIVE,
        Controversiality.LOW, List.of("correctness", "clarity"), "Prefer the correct program.");

    @Test
    void bundledPromptsFollowTheJudgeContract() {
        PromptTemplates templates = PromptTemplates.bundled("v1");
        String attributes = templates.attributePrompt("User: write {{guideline}} in Java");
        assertThat(attributes).contains(JudgeContract.CONVERSATION_HEADER, JudgeContract.INSTRUCTIONS_HEADER,
            JudgeContract.TASK_CATEGORY, "\"harmful_request\", \"coding\"", "1 to 8")
            .doesNotContain(JudgeContract.CANDIDATE_1_HEADER)
            .as("conversation text is inserted verbatim, never expanded").contains("write {{guideline}} in Java");
        String vote = templates.votePrompt("User: hi", "first text", "second text", ATTRIBUTES);
        assertThat(vote).contains(JudgeContract.CANDIDATE_1_HEADER + "\nfirst text\n",
            JudgeContract.CANDIDATE_2_HEADER + "\nsecond text\n", "Task category: coding", "correctness, clarity",
            "Prefer the correct program.", "\"preferred\"");
        assertThat(templates.version()).matches("v1@[0-9a-f]{12}");
    }

    @Test
    void overridesChangeTheVersionAndAreChecked(@TempDir Path dir) throws IOException {
        Path vote = dir.resolve("vote.txt");
        Files.writeString(vote, "### Conversation\n{{conversation}}\n### Candidate 1\n{{candidate_1}}\n"
            + "### Candidate 2\n{{candidate_2}}\nAnswer JSON.");
        PromptTemplates custom = PromptTemplates.load("v1", null, vote);
        assertThat(custom.version()).startsWith("v1@").isNotEqualTo(PromptTemplates.bundled("v1").version());
        assertThat(custom.votePrompt("c", "a", "b", ATTRIBUTES)).endsWith("### Candidate 2\nb\nAnswer JSON.");

        Files.writeString(vote, "{{conversation}} {{candidate_1}} {{candidate_2}} {{guidline}}");
        assertThatThrownBy(() -> PromptTemplates.load("v1", null, vote))
            .hasMessageContaining("unknown placeholder {{guidline}}");
        Files.writeString(vote, "{{conversation}} {{candidate_1}}");
        assertThatThrownBy(() -> PromptTemplates.load("v1", null, vote))
            .hasMessageContaining("lacks the required placeholder {{candidate_2}}");
        assertThatThrownBy(() -> PromptTemplates.bundled("v9")).hasMessageContaining("no bundled template set 'v9'");
    }

    @Test
    void candidateOrderIsStableAndBalanced() {
        int chosenFirst = 0;
        for (int i = 0; i < 4000; i++) {
            String pairId = "pair-" + i;
            CandidateOrder order = CandidateOrders.order(pairId, "judge", i % 5);
            assertThat(CandidateOrders.order(pairId, "judge", i % 5)).isEqualTo(order);
            chosenFirst += order == CandidateOrder.CHOSEN_FIRST ? 1 : 0;
        }
        assertThat(chosenFirst).as("about half of 4000").isBetween(1850, 2150);
        assertThat(CandidateOrders.seed("p", "judge", "vote/0", 0)).isNotNegative()
            .isNotEqualTo(CandidateOrders.seed("p", "judge", "vote/0", 1))
            .isNotEqualTo(CandidateOrders.seed("p", "judge", "vote/1", 0))
            .isEqualTo(CandidateOrders.seed("p", "judge", "vote/0", 0));
    }
}
