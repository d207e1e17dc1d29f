package io.prefstream.inference.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

class BytesTensorTest {
    @Test
    void encodesEachElementAsLittleEndianLengthThenBytes() {
        ByteString raw = BytesTensor.encodeStrings(List.of("ab", "", "é"));
        assertThat(raw.toByteArray()).containsExactly(
            2, 0, 0, 0, 'a', 'b',
            0, 0, 0, 0,
            2, 0, 0, 0, (byte) 0xc3, (byte) 0xa9);
        assertThat(BytesTensor.decode(raw, 3)).extracting(BytesTensor::utf8).containsExactly("ab", "", "é");
    }

    @Test
    void rejectsTruncatedOverlongAndMiscountedContents() {
        assertThatThrownBy(() -> BytesTensor.decode(ByteString.copyFrom(new byte[] {1, 0}), 1))
            .hasMessageContaining("truncated length prefix");
        assertThatThrownBy(() -> BytesTensor.decode(ByteString.copyFrom(new byte[] {9, 0, 0, 0, 'x'}), 1))
            .hasMessageContaining("declares 9 bytes but only 1 remain");
        assertThatThrownBy(() -> BytesTensor.decode(BytesTensor.encodeStrings(List.of("a", "b")), 3))
            .hasMessageContaining("hold 2 elements, expected 3");
        assertThatThrownBy(() -> BytesTensor.utf8(ByteString.copyFrom(new byte[] {(byte) 0xff})))
            .hasMessageContaining("not valid UTF-8");
    }
}
