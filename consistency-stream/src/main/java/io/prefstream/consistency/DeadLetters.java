package io.prefstream.consistency;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.prefstream.schemas.DeadLetter;
import io.prefstream.schemas.Lineage;

/** Dead letters of the consistency stage: key pair_id, the input record's bytes, its offset, the reason. */
final class DeadLetters {
    static final String STAGE = "consistency";

    private DeadLetters() {
    }

    static DeadLetter of(String pairId, byte[] value, Lineage lineage, String errorClass, String reason, int attempts,
                         Instant now) {
        return DeadLetter.newBuilder()
            .setOriginalKey(ByteBuffer.wrap(pairId.getBytes(StandardCharsets.UTF_8)))
            .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
            .setSourceTopic(lineage.getSourceTopic())
            .setPartition(lineage.getPartition())
            .setOffset(lineage.getOffset())
            .setStage(STAGE)
            .setErrorClass(errorClass)
            .setMessage(reason)
            .setAttempts(attempts)
            .setTimestamp(now)
            .build();
    }
}
