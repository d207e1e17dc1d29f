package io.prefstream.inference.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;

/**
 * The raw encoding of a BYTES tensor in {@code raw_input_contents} / {@code raw_output_contents}:
 * each element is a 4-byte little-endian unsigned length followed by that many bytes, elements
 * back to back with no padding.
 */
public final class BytesTensor {
    private BytesTensor() {}

    public static ByteString encodeStrings(List<String> elements) {
        List<byte[]> bytes = new ArrayList<>(elements.size());
        for (String element : elements) {
            bytes.add(element.getBytes(StandardCharsets.UTF_8));
        }
        return encode(bytes);
    }

    public static ByteString encode(List<byte[]> elements) {
        int size = 0;
        for (byte[] element : elements) {
            size += 4 + element.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] element : elements) {
            buffer.putInt(element.length).put(element);
        }
        return ByteString.copyFrom(buffer.flip());
    }

    /**
     * Splits raw contents into exactly {@code expectedCount} elements.
     *
     * @throws IllegalArgumentException naming the offset when a length prefix is cut off, a length
     *     runs past the end, or bytes are left over
     */
    public static List<ByteString> decode(ByteString raw, int expectedCount) {
        ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        List<ByteString> elements = new ArrayList<>(expectedCount);
        while (buffer.hasRemaining()) {
            int offset = buffer.position();
            if (buffer.remaining() < 4) {
                throw new IllegalArgumentException("BYTES element " + elements.size() + " at offset " + offset
                    + " has a truncated length prefix (" + buffer.remaining() + " of 4 bytes)");
            }
            long length = Integer.toUnsignedLong(buffer.getInt());
            if (length > buffer.remaining()) {
                throw new IllegalArgumentException("BYTES element " + elements.size() + " at offset " + offset
                    + " declares " + length + " bytes but only " + buffer.remaining() + " remain");
            }
            byte[] element = new byte[(int) length];
            buffer.get(element);
            elements.add(ByteString.copyFrom(element));
        }
        if (elements.size() != expectedCount) {
            throw new IllegalArgumentException(
                "raw BYTES hold " + elements.size() + " elements, expected " + expectedCount);
        }
        return elements;
    }

    /** Strict UTF-8 decoding: malformed input is an error, never silently replaced. */
    public static String utf8(ByteString element) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(element.asReadOnlyByteBuffer())
                .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("BYTES element is not valid UTF-8", e);
        }
    }
}
