package io.prefstream.labeler.answer;

import static io.prefstream.labeler.answer.JsonAnswers.maxLength;
import static io.prefstream.labeler.answer.JsonAnswers.oneOf;
import static io.prefstream.labeler.answer.JsonAnswers.optionalString;
import static io.prefstream.labeler.answer.JsonAnswers.requiredString;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.prefstream.inference.judge.JudgeContract;

/**
 * A valid answer to the vote prompt. Schema (others fields ignored):
 * <ul>
 *   <li>{@code preferred} (required): "Candidate 1" or "Candidate 2" (case-insensitive)</li>
 *   <li>{@code confidence} (optional): a number from 0 to 1</li>
 *   <li>{@code reason} (optional): a non-empty string of at most {@value AnswerLimits#MAX_REASON_CHARS}
 *       characters</li>
 * </ul>
 *
 * @param firstPreferred true when the judge preferred the response shown as "Candidate 1"
 * @param reason         the judge's reason, or null when it gave none
 */
public record VoteAnswer(boolean firstPreferred, Double confidence, String reason) {
    private static final List<String> CANDIDATES = List.of("candidate_1", "candidate_2");

    /** Parses and validates {@code raw}, the judge's text. */
    public static VoteAnswer parse(String raw) throws InvalidAnswerException {
        ObjectNode answer = JsonAnswers.object(raw);
        String preferred = oneOf(requiredString(answer, JudgeContract.PREFERRED, raw), CANDIDATES,
            JudgeContract.PREFERRED, raw);
        Double confidence = confidence(answer, raw);
        String reason = optionalString(answer, JudgeContract.REASON, raw);
        if (reason != null) {
            maxLength(reason, AnswerLimits.MAX_REASON_CHARS, JudgeContract.REASON, raw);
        }
        return new VoteAnswer(preferred.equals(CANDIDATES.get(0)), confidence, reason);
    }

    private static Double confidence(ObjectNode answer, String raw) throws InvalidAnswerException {
        JsonNode value = answer.get(JudgeContract.CONFIDENCE);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new InvalidAnswerException(InvalidReason.WRONG_TYPE,
                "field '" + JudgeContract.CONFIDENCE + "' must be a number", raw);
        }
        double confidence = value.doubleValue();
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new InvalidAnswerException(InvalidReason.OUT_OF_BOUNDS,
                "field '" + JudgeContract.CONFIDENCE + "' must be within [0, 1], got " + confidence, raw);
        }
        return confidence;
    }
}
