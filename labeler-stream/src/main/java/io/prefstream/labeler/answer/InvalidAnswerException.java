package io.prefstream.labeler.answer;

/** A judge answer that does not satisfy the answer schema, with the reason and the raw text. */
public final class InvalidAnswerException extends Exception {
    private final InvalidReason reason;
    private final String rawOutput;

    public InvalidAnswerException(InvalidReason reason, String detail, String rawOutput) {
        super(reason.tag() + ": " + detail);
        this.reason = reason;
        this.rawOutput = rawOutput;
    }

    public InvalidReason reason() {
        return reason;
    }

    public String rawOutput() {
        return rawOutput;
    }
}
