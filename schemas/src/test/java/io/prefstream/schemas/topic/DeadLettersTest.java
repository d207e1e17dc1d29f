package io.prefstream.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.prefstream.schemas.DeadLetter;
import io.prefstream.schemas.serde.AvroSerializationException;
import io.prefstream.schemas.serde.AvroSerializationException.Reason;

class DeadLettersTest {

    @Test
    void keepsTheBytesTheOriginAndTheRootCause() {
        byte[] value = {1, 2, 3};
        RuntimeException error = new IllegalStateException("scoring failed",
            new IOException("deadline exceeded after 3 attempts"));

        DeadLetter letter = DeadLetters.of("prefstream.pairs.raw", 4, 1234L, null, value, "consistency", error, 3,
            Instant.ofEpochMilli(99));
        value[0] = 9;

        assertThat(letter.getOriginalKey()).isNull();
        assertThat(letter.getOriginalValue()).as("a copy, not the caller's array")
            .isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(letter.getSourceTopic()).isEqualTo("prefstream.pairs.raw");
        assertThat(letter.getPartition()).isEqualTo(4);
        assertThat(letter.getOffset()).isEqualTo(1234L);
        assertThat(letter.getStage()).isEqualTo("consistency");
        assertThat(letter.getErrorClass()).isEqualTo(IllegalStateException.class.getName());
        assertThat(letter.getMessage())
            .isEqualTo("scoring failed (caused by java.io.IOException: deadline exceeded after 3 attempts)");
        assertThat(letter.getAttempts()).isEqualTo(3);
        assertThat(letter.getTimestamp()).isEqualTo(Instant.ofEpochMilli(99));
    }

    @Test
    void aSerdeErrorKeepsItsReason() {
        DeadLetter letter = DeadLetters.of("t", 0, 0L, new byte[] {7}, new byte[] {1}, "pairing",
            new AvroSerializationException("t", Reason.WRONG_MAGIC_BYTE, "first byte is 0x01", null), 1, Instant.EPOCH);
        assertThat(letter.getMessage()).isEqualTo("topic t: WRONG_MAGIC_BYTE: first byte is 0x01");
        assertThat(letter.getOriginalKey()).isEqualTo(ByteBuffer.wrap(new byte[] {7}));
    }
}
