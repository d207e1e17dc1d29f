package io.prefstream.schemas.topic;

import java.nio.ByteBuffer;
import java.time.Instant;

import io.prefstream.schemas.DeadLetter;

/** Builds the {@link DeadLetter} for a record a stage gives up on, the same way in every stage. */
public final class DeadLetters {
    private DeadLetters() {
    }

    /**
     * The dead letter of the record at {@code sourceTopic}/{@code partition}/{@code offset}, whose raw key and value
     * (either may be null) are kept byte for byte. The message is the error's, followed by its root cause's when
     * that is a different exception, so the reason survives wrapping.
     */
    public static DeadLetter of(String sourceTopic, int partition, long offset, byte[] key, byte[] value, String stage,
                                Throwable error, int attempts, Instant now) {
        return DeadLetter.newBuilder()
            .setOriginalKey(key == null ? null : ByteBuffer.wrap(key.clone()))
            .setOriginalValue(value == null ? null : ByteBuffer.wrap(value.clone()))
            .setSourceTopic(sourceTopic)
            .setPartition(partition)
            .setOffset(offset)
            .setStage(stage)
            .setErrorClass(error.getClass().getName())
            .setMessage(message(error))
            .setAttempts(attempts)
            .setTimestamp(now)
            .build();
    }

    private static String message(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(error.getMessage());
        return root == error ? message : message + " (caused by " + root + ")";
    }
}
