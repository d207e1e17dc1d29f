package io.prefstream.labeler.answer;

import static io.prefstream.labeler.answer.JsonAnswers.maxLength;
import static io.prefstream.labeler.answer.JsonAnswers.oneOf;
import static io.prefstream.labeler.answer.JsonAnswers.requiredString;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.prefstream.inference.judge.JudgeContract;
import io.prefstream.schemas.Controversiality;
import io.prefstream.schemas.PreferenceObjectivity;

/**
 * A valid answer to the attribute prompt. Schema (all fields required, others ignored):
 * <ul>
 *   <li>{@code task_category}: one of {@link JudgeContract#CATEGORIES} (case, spaces and hyphens are
 *       normalised: "Creative writing" is "creative_writing")</li>
 *   <li>{@code preference_objectivity}: "objective" or "subjective"</li>
 *   <li>{@code controversiality}: "low", "medium" or "high"</li>
 *   <li>{@code desired_attributes}: 1 to {@value AnswerLimits#MAX_DESIRED_ATTRIBUTES} non-empty strings of at
 *       most {@value AnswerLimits#MAX_ATTRIBUTE_CHARS} characters</li>
 *   <li>{@code guideline}: a non-empty string of at most {@value AnswerLimits#MAX_GUIDELINE_CHARS} characters</li>
 * </ul>
 */
public record AttributeAnswer(String taskCategory, PreferenceObjectivity objectivity,
                              Controversiality controversiality, List<String> desiredAttributes, String guideline) {
    private static final List<String> OBJECTIVITY = List.of("objective", "subjective");
    private static final List<String> CONTROVERSIALITY = List.of("low", "medium", "high");

    public AttributeAnswer {
        desiredAttributes = List.copyOf(desiredAttributes);
    }

    /** Parses and validates {@code raw}, the judge's text. */
    public static AttributeAnswer parse(String raw) throws InvalidAnswerException {
        ObjectNode answer = JsonAnswers.object(raw);
        String category = oneOf(requiredString(answer, JudgeContract.TASK_CATEGORY, raw), JudgeContract.CATEGORIES,
            JudgeContract.TASK_CATEGORY, raw);
        String objectivity = oneOf(requiredString(answer, JudgeContract.PREFERENCE_OBJECTIVITY, raw), OBJECTIVITY,
            JudgeContract.PREFERENCE_OBJECTIVITY, raw);
        String controversiality = oneOf(requiredString(answer, JudgeContract.CONTROVERSIALITY, raw), CONTROVERSIALITY,
            JudgeContract.CONTROVERSIALITY, raw);
        List<String> desired = desiredAttributes(answer, raw);
        String guideline = requiredString(answer, JudgeContract.GUIDELINE, raw);
        maxLength(guideline, AnswerLimits.MAX_GUIDELINE_CHARS, JudgeContract.GUIDELINE, raw);
        return new AttributeAnswer(category, PreferenceObjectivity.valueOf(objectivity.toUpperCase()),
            Controversiality.valueOf(controversiality.toUpperCase()), desired, guideline);
    }

    private static List<String> desiredAttributes(ObjectNode answer, String raw) throws InvalidAnswerException {
        String field = JudgeContract.DESIRED_ATTRIBUTES;
        JsonNode list = answer.get(field);
        if (list == null || list.isNull()) {
            throw new InvalidAnswerException(InvalidReason.MISSING_FIELD, "field '" + field + "' is missing", raw);
        }
        if (!list.isArray()) {
            throw new InvalidAnswerException(InvalidReason.WRONG_TYPE, "field '" + field + "' must be a list of strings",
                raw);
        }
        if (list.isEmpty() || list.size() > AnswerLimits.MAX_DESIRED_ATTRIBUTES) {
            throw new InvalidAnswerException(InvalidReason.OUT_OF_BOUNDS, "field '" + field + "' must list 1 to "
                + AnswerLimits.MAX_DESIRED_ATTRIBUTES + " qualities, got " + list.size(), raw);
        }
        List<String> desired = new ArrayList<>();
        for (JsonNode item : list) {
            if (!item.isTextual()) {
                throw new InvalidAnswerException(InvalidReason.WRONG_TYPE,
                    "field '" + field + "' must hold only strings, got " + item.getNodeType(), raw);
            }
            String quality = item.textValue().strip();
            maxLength(quality, AnswerLimits.MAX_ATTRIBUTE_CHARS, field + "[" + desired.size() + "]", raw);
            desired.add(quality);
        }
        return desired;
    }
}
