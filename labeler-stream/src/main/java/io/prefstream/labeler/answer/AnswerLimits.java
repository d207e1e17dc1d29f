package io.prefstream.labeler.answer;

/** Size limits of a valid judge answer; an answer outside them is invalid and asked again. */
public final class AnswerLimits {
    /** Most desired attributes an attribute answer may list. */
    public static final int MAX_DESIRED_ATTRIBUTES = 8;
    /** Longest single desired attribute, in characters ("a few words"). */
    public static final int MAX_ATTRIBUTE_CHARS = 64;
    /** Longest guideline, in characters ("one or two sentences"). */
    public static final int MAX_GUIDELINE_CHARS = 1_000;
    /** Longest vote reason accepted; it is stored truncated to labeler.rationale.max.chars. */
    public static final int MAX_REASON_CHARS = 4_000;
    /** At most this many '{' are tried as the start of the answer's JSON object. */
    static final int MAX_OBJECT_STARTS = 16;

    private AnswerLimits() {
    }
}
