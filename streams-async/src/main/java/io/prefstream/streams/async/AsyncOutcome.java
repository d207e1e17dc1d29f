package io.prefstream.streams.async;

import io.prefstream.schemas.DeadLetter;

/**
 * What the {@link AsyncProcessor} forwards for each input record, under the input's key and
 * timestamp: the input value with the call's result, or with the dead letter explaining why the call
 * failed after the caller's own retries.
 */
public sealed interface AsyncOutcome<V, R> {

    /** The input value the call was made for. */
    V input();

    /**
     * The call succeeded.
     *
     * @param memoized true when the result came from the memo store, without a call
     */
    record Success<V, R>(V input, R result, boolean memoized) implements AsyncOutcome<V, R> {
    }

    /** The call failed for good; {@code deadLetter} holds the input bytes, its offset and the reason. */
    record Failure<V, R>(V input, DeadLetter deadLetter) implements AsyncOutcome<V, R> {
    }
}
