package io.prefstream.labeler.judge;

import io.prefstream.inference.client.ModelRef;
import io.prefstream.labeler.answer.InvalidAnswerException;
import io.prefstream.labeler.answer.InvalidReason;

/**
 * A judge gave no valid answer to one question of a pair, after every re-ask. Its message names the
 * judge, the question, the number of attempts, the reason of the last rejection and the last raw output
 * (abbreviated), which is what the dead letter keeps.
 */
public final class JudgeAnswerRejectedException extends RuntimeException {
    /** Longest raw output quoted in the message. */
    static final int MAX_RAW_CHARS = 2_000;

    private final InvalidReason reason;

    JudgeAnswerRejectedException(ModelRef judge, String pairId, String question, int attempts,
                                 InvalidAnswerException last) {
        super("judge " + judge + " gave no valid answer to the " + question + " question of pair " + pairId + " in "
            + attempts + (attempts == 1 ? " attempt" : " attempts") + "; last: " + last.getMessage() + "; raw output: «"
            + abbreviate(last.rawOutput()) + "»", last);
        this.reason = last.reason();
    }

    public InvalidReason reason() {
        return reason;
    }

    private static String abbreviate(String raw) {
        return raw.length() <= MAX_RAW_CHARS ? raw : raw.substring(0, MAX_RAW_CHARS) + "… (" + raw.length() + " chars)";
    }
}
