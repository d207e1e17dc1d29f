package io.prefstream.streams.async;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The value of the pending store: every input record waiting for one in-flight call, in arrival
 * order, as serialized bytes with its timestamp and source offset. Bytes (not objects) are kept so
 * that the entry survives a restart through the changelog and so that a dead letter can hold the
 * input exactly.
 *
 * <p>Encoding (version 1): a version byte, the waiter count, then per waiter: timestamp, topic,
 * partition, offset, key and value as length-prefixed bytes (-1 for null).
 */
record PendingCall(List<Waiter> waiters) {
    private static final byte VERSION = 1;

    /** One input record waiting for the call's result. */
    record Waiter(byte[] key, byte[] value, long timestamp, String topic, int partition, long offset) {
    }

    PendingCall {
        waiters = List.copyOf(waiters);
    }

    static PendingCall of(Waiter first) {
        return new PendingCall(List.of(first));
    }

    PendingCall plus(Waiter waiter) {
        List<Waiter> more = new ArrayList<>(waiters);
        more.add(waiter);
        return new PendingCall(more);
    }

    /**
     * True when the very same input record (same source offset, key and value) is already waiting:
     * a record re-processed after an at-least-once restart joins no entry twice.
     */
    boolean contains(Waiter waiter) {
        return waiter.offset() >= 0 && waiters.stream().anyMatch(w -> w.offset() == waiter.offset()
            && w.partition() == waiter.partition() && w.topic().equals(waiter.topic())
            && Arrays.equals(w.key(), waiter.key()) && Arrays.equals(w.value(), waiter.value()));
    }

    Waiter first() {
        return waiters.get(0);
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(waiters.size());
            for (Waiter w : waiters) {
                out.writeLong(w.timestamp());
                out.writeUTF(w.topic());
                out.writeInt(w.partition());
                out.writeLong(w.offset());
                writeBytes(out, w.key());
                writeBytes(out, w.value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static PendingCall decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("pending store entry has encoding version " + version
                    + ", this processor reads version " + VERSION);
            }
            int count = in.readInt();
            List<Waiter> waiters = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long timestamp = in.readLong();
                String topic = in.readUTF();
                int partition = in.readInt();
                long offset = in.readLong();
                waiters.add(new Waiter(readBytes(in), readBytes(in), timestamp, topic, partition, offset));
            }
            return new PendingCall(waiters);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt pending store entry", e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        return length < 0 ? null : in.readNBytes(length);
    }
}
