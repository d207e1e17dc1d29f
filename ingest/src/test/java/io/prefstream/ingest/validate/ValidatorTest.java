package io.prefstream.ingest.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.prefstream.ingest.model.GenerationDraft;
import io.prefstream.ingest.model.PairDraft;
import io.prefstream.ingest.model.Turn;
import org.junit.jupiter.api.Test;

class ValidatorTest {
    private final Validator validator = new Validator(new ValidationLimits(10, 25));

    private List<Problem> problems(PairDraft pair) {
        try {
            validator.check(pair);
            return List.of();
        } catch (InvalidRecordException e) {
            return e.problems();
        }
    }

    private List<Problem> problems(GenerationDraft generation) {
        try {
            validator.check(generation);
            return List.of();
        } catch (InvalidRecordException e) {
            return e.problems();
        }
    }

    @Test
    void acceptsAWellFormedPairAndGeneration() {
        assertThat(problems(new PairDraft(List.of(Turn.user("q")), "a", "b", "human"))).isEmpty();
        assertThat(problems(new GenerationDraft(List.of(Turn.user("q")), "a", "m"))).isEmpty();
    }

    @Test
    void namesEveryFieldAtFault() {
        assertThat(problems(new PairDraft(null, null, " ", "oracle"))).extracting(Problem::toString).containsExactly(
            "prompt: required", "chosen: required", "rejected: empty text",
            "label_source: unknown value \"oracle\" (known: human, dataset, llm, rm, none)");
        assertThat(problems(new PairDraft(List.of(), "a", "a", null))).extracting(Problem::toString)
            .containsExactly("prompt: no messages", "rejected: identical to chosen");
        assertThat(problems(new GenerationDraft(List.of(new Turn("bot", "q"), new Turn(null, "")), "a", null)))
            .extracting(Problem::toString).containsExactly(
                "prompt[0].role: unknown role \"bot\" (known: system, user, assistant)",
                "prompt[1].role: required", "prompt[1].content: empty text", "generator: required");
    }

    @Test
    void refusesTextsUtf8CannotEncode() {
        assertThat(problems(new GenerationDraft(List.of(Turn.user("q\uD800x")), "ok \uD83D\uDE00", "m")))
            .extracting(Problem::toString)
            .containsExactly("prompt[0].content: not valid UTF-8: unpaired surrogate U+D800 at character 1");
    }

    @Test
    void sizeLimitsCountUtf8BytesAndAreMarkedTooLarge() {
        List<Problem> found = problems(new PairDraft(List.of(Turn.user("éééééé")), "123456789", "abcdefghi", null));
        assertThat(found).containsExactly(
            Problem.tooLarge("prompt[0].content", "12 bytes exceeds the limit of 10 bytes per text"),
            Problem.tooLarge("record", "30 bytes of text exceeds the limit of 25 bytes per record"));
    }
}
