package io.prefstream.consistency.scoring;

import java.util.Objects;

/**
 * Why a reward call failed for good, as its dead letter will say.
 *
 * @param errorClass the exception class the call ended with
 * @param reason     what failed and why
 * @param attempts   how many times the call was made
 */
public record ScoringFailure(String errorClass, String reason, int attempts) {
    public ScoringFailure {
        Objects.requireNonNull(errorClass, "errorClass");
        Objects.requireNonNull(reason, "reason");
    }
}
