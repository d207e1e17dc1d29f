package io.prefstream.labeler.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.prefstream.schemas.Controversiality;
import io.prefstream.schemas.PreferenceObjectivity;

/** The answer schemas: what is tolerated, what is rejected and with which reason. */
class AnswerParsingTest {
    private static final String ATTRIBUTES = "{\"task_category\": \"Creative writing\", \"preference_objectivity\": "
        + "\"SUBJECTIVE\", \"controversiality\": \"medium\", \"desired_attributes\": [\" creativity \", \"fluency\"], "
        + "\"guideline\": \"Prefer vivid, coherent writing.\", \"extra\": {\"ignored\": true}}";

    @Test
    void attributesAreNormalisedAndExtraFieldsIgnored() throws InvalidAnswerException {
        AttributeAnswer answer = AttributeAnswer.parse(ATTRIBUTES);
        assertThat(answer.taskCategory()).isEqualTo("creative_writing");
        assertThat(answer.objectivity()).isEqualTo(PreferenceObjectivity.SUBJECTIVE);
        assertThat(answer.controversiality()).isEqualTo(Controversiality.MEDIUM);
        assertThat(answer.desiredAttributes()).containsExactly("creativity", "fluency");
    }

    @Test
    void textAroundTheJsonIsIgnored() throws InvalidAnswerException {
        assertThat(VoteAnswer.parse("Thinking... {not json} ok:\n```json\n{\"preferred\": \"candidate 2\"}\n``` bye }")
            .firstPreferred()).isFalse();
        assertThat(VoteAnswer.parse("{\"preferred\":\"Candidate 1\",\"confidence\":1,\"reason\":\"r\"}{\"preferred\":2}"))
            .isEqualTo(new VoteAnswer(true, 1.0, "r"));
    }

    private static void rejected(String raw, InvalidReason reason, String detail) {
        assertThatThrownBy(() -> VoteAnswer.parse(raw))
            .isInstanceOfSatisfying(InvalidAnswerException.class, e -> {
                assertThat(e.reason()).isEqualTo(reason);
                assertThat(e.rawOutput()).isEqualTo(raw);
            })
            .hasMessageContaining(detail);
    }

    @Test
    void invalidVotesNameTheirReason() {
        rejected("", InvalidReason.NO_JSON, "empty");
        rejected("Candidate 1 is better.", InvalidReason.NO_JSON, "no JSON object");
        rejected("[\"Candidate 1\"]", InvalidReason.NO_JSON, "no JSON object");
        rejected("{\"preferred\": \"Candidate 1\", \"reason\": \"The fir", InvalidReason.TRUNCATED, "not closed");
        rejected("{\"preferred\": \"Candidate 1\"", InvalidReason.TRUNCATED, "not closed");
        rejected("{\"reason\": \"both\"}", InvalidReason.MISSING_FIELD, "'preferred' is missing");
        rejected("{\"preferred\": null}", InvalidReason.MISSING_FIELD, "'preferred' is missing");
        rejected("{\"preferred\": 1}", InvalidReason.WRONG_TYPE, "'preferred' must be a string, got number");
        rejected("{\"preferred\": \"Candidate 3\"}", InvalidReason.WRONG_ENUM, "got 'Candidate 3'");
        rejected("{\"preferred\": \"both\"}", InvalidReason.WRONG_ENUM, "must be one of [candidate_1, candidate_2]");
        rejected("{\"preferred\": \"Candidate 1\", \"confidence\": 1.5}", InvalidReason.OUT_OF_BOUNDS, "within [0, 1]");
        rejected("{\"preferred\": \"Candidate 1\", \"confidence\": \"high\"}", InvalidReason.WRONG_TYPE, "number");
        rejected("{\"preferred\": \"Candidate 1\", \"reason\": \"\"}", InvalidReason.OUT_OF_BOUNDS, "'reason' is empty");
        rejected("{\"preferred\": \"Candidate 1\", \"reason\": \"" + "x".repeat(AnswerLimits.MAX_REASON_CHARS + 1) + "\"}",
            InvalidReason.OUT_OF_BOUNDS, "at most " + AnswerLimits.MAX_REASON_CHARS);
        rejected("{\"preferred\": \"Candidate 1\", \"preferred\": \"Candidate 2\"}", InvalidReason.NO_JSON, "Duplicate field 'preferred'");
    }

    @Test
    void invalidAttributesNameTheirReason() {
        assertThatThrownBy(() -> AttributeAnswer.parse(ATTRIBUTES.replace("Creative writing", "poetry")))
            .hasMessageContaining("wrong_enum: field 'task_category' must be one of [harmful_request, coding");
        assertThatThrownBy(() -> AttributeAnswer.parse(ATTRIBUTES.replace("\"medium\"", "\"extreme\"")))
            .hasMessageContaining("'controversiality' must be one of [low, medium, high]");
        assertThatThrownBy(() -> AttributeAnswer.parse(ATTRIBUTES.replace("[\" creativity \", \"fluency\"]", "[]")))
            .hasMessageContaining("out_of_bounds: field 'desired_attributes' must list 1 to 8");
        assertThatThrownBy(() -> AttributeAnswer.parse(ATTRIBUTES.replace("[\" creativity \", \"fluency\"]", "\"fluency\"")))
            .hasMessageContaining("wrong_type: field 'desired_attributes' must be a list");
        assertThatThrownBy(() -> AttributeAnswer.parse(ATTRIBUTES.replace("\"fluency\"", "\"" + "y".repeat(65) + "\"")))
            .hasMessageContaining("'desired_attributes[1]' has 65 characters, at most 64");
        assertThatThrownBy(() -> AttributeAnswer.parse(ATTRIBUTES.replace("\"guideline\"", "\"guide\"")))
            .hasMessageContaining("missing_field: field 'guideline' is missing");
    }
}
