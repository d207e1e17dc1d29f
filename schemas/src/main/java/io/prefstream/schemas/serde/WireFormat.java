package io.prefstream.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * The Confluent wire format: magic byte 0, the writer schema's registry id as a 4-byte big-endian int,
 * then the Avro binary encoding of the record.
 */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus schema id. */
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(schemaId).array());
    }

    /** The schema id of a payload whose header has already been checked. */
    static int schemaId(byte[] payload) {
        return ByteBuffer.wrap(payload, 1, Integer.BYTES).getInt();
    }
}
