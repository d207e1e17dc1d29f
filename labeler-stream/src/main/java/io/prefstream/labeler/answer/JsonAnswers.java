package io.prefstream.labeler.answer;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Finds the judge's JSON object in its text and reads typed fields from it, each failure an
 * {@link InvalidAnswerException} naming the field and what was wrong.
 *
 * <p>LLMs wrap answers in prose or Markdown fences; so the answer is the first '{' (of the first
 * {@value AnswerLimits#MAX_OBJECT_STARTS}) from which a complete JSON object parses, whatever comes before
 * or after it. A text whose object is still open at its end was cut off (usually by max_tokens) and is
 * reported as {@link InvalidReason#TRUNCATED}. Duplicate keys are rejected, since which one the judge meant
 * is unknown. Fields the schema does not name are ignored.
 */
final class JsonAnswers {
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JsonAnswers() {
    }

    static ObjectNode object(String raw) throws InvalidAnswerException {
        if (raw == null || raw.isBlank()) {
            throw new InvalidAnswerException(InvalidReason.NO_JSON, "the answer is empty", raw == null ? "" : raw);
        }
        boolean truncated = false;
        String firstError = null;
        int from = raw.indexOf('{');
        for (int tries = 0; from >= 0 && tries < AnswerLimits.MAX_OBJECT_STARTS; tries++) {
            try (JsonParser parser = JSON.createParser(raw.substring(from))) {
                JsonNode node = JSON.readTree(parser);
                if (node instanceof ObjectNode object) {
                    return object;
                }
            } catch (JsonEOFException e) {
                truncated = true;
            } catch (IOException e) {
                // not an object starting here: try the next '{'
                firstError = firstError != null ? firstError
                    : e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.toString();
            }
            from = raw.indexOf('{', from + 1);
        }
        if (truncated) {
            throw new InvalidAnswerException(InvalidReason.TRUNCATED,
                "the JSON object is not closed before the answer ends (output cut off?)", raw);
        }
        throw new InvalidAnswerException(InvalidReason.NO_JSON, "no JSON object in the answer"
            + (firstError == null ? "" : " (first parse error: " + abbreviate(firstError, 200) + ")"), raw);
    }

    static String requiredString(ObjectNode object, String field, String raw) throws InvalidAnswerException {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidAnswerException(InvalidReason.MISSING_FIELD, "field '" + field + "' is missing", raw);
        }
        return string(value, field, raw);
    }

    /** The field's string, or null when it is absent or null. */
    static String optionalString(ObjectNode object, String field, String raw) throws InvalidAnswerException {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : string(value, field, raw);
    }

    private static String string(JsonNode value, String field, String raw) throws InvalidAnswerException {
        if (!value.isTextual()) {
            throw new InvalidAnswerException(InvalidReason.WRONG_TYPE,
                "field '" + field + "' must be a string, got " + value.getNodeType().name().toLowerCase(Locale.ROOT), raw);
        }
        return value.textValue().strip();
    }

    /** {@code value} lower-cased with spaces and hyphens as underscores, if that is one of {@code allowed}. */
    static String oneOf(String value, List<String> allowed, String field, String raw) throws InvalidAnswerException {
        String normalized = value.toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
        if (!allowed.contains(normalized)) {
            throw new InvalidAnswerException(InvalidReason.WRONG_ENUM,
                "field '" + field + "' must be one of " + allowed + ", got '" + abbreviate(value, 80) + "'", raw);
        }
        return normalized;
    }

    static void maxLength(String value, int max, String field, String raw) throws InvalidAnswerException {
        if (value.isEmpty()) {
            throw new InvalidAnswerException(InvalidReason.OUT_OF_BOUNDS, "field '" + field + "' is empty", raw);
        }
        if (value.length() > max) {
            throw new InvalidAnswerException(InvalidReason.OUT_OF_BOUNDS,
                "field '" + field + "' has " + value.length() + " characters, at most " + max + " allowed", raw);
        }
    }

    static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
