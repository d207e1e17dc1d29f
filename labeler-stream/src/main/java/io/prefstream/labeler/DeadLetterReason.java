package io.prefstream.labeler;

import java.util.Locale;

import io.prefstream.labeler.judge.JudgeAnswerRejectedException;
import io.prefstream.labeler.judge.UndecodableInputException;
import io.prefstream.schemas.DeadLetter;

/** Why a pair went to {@code pairs.adjudicate.dlq}; the {@code reason} tag of the dlq metric. */
public enum DeadLetterReason {
    /** The input record could not be read as a ScoredPair (bad bytes, unknown schema, no value). */
    UNDECODABLE_INPUT,
    /** A judge kept answering outside the answer schema after every re-ask; the dead letter holds its raw output. */
    INVALID_ANSWER,
    /** The inference call failed after the client's retries (endpoint down, deadline, circuit open, ...). */
    INFERENCE_FAILURE;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason of a dead letter, from the class of its error. */
    public static DeadLetterReason of(DeadLetter deadLetter) {
        String errorClass = deadLetter.getErrorClass();
        if (errorClass.equals(UndecodableInputException.class.getName())) {
            return UNDECODABLE_INPUT;
        }
        if (errorClass.equals(JudgeAnswerRejectedException.class.getName())) {
            return INVALID_ANSWER;
        }
        return INFERENCE_FAILURE;
    }
}
