package io.prefstream.labeler.judge;

/** The input record is not a readable ScoredPair; it is dead-lettered without asking any judge. */
public final class UndecodableInputException extends RuntimeException {
    public UndecodableInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
