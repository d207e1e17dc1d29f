package io.prefstream.labeler.answer;

import java.util.Locale;

/** Why a judge answer was rejected; the tag of the invalid-answer and dead-letter metrics. */
public enum InvalidReason {
    /** The text holds no '{' at all, or nothing that parses as a JSON object. */
    NO_JSON,
    /** A JSON object starts but the text ends inside it: generation stopped at max_tokens. */
    TRUNCATED,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong JSON type (a number where a string belongs, ...). */
    WRONG_TYPE,
    /** A string field is not one of its allowed values. */
    WRONG_ENUM,
    /** A field or list is empty or longer than {@link AnswerLimits} allow, or a number is out of range. */
    OUT_OF_BOUNDS;

    /** Lower-case name, as used in metric tags. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
