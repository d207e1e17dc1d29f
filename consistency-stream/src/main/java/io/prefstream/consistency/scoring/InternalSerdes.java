package io.prefstream.consistency.scoring;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import io.prefstream.schemas.AvroTrust;
import io.prefstream.schemas.Lineage;
import io.prefstream.schemas.ModelRef;
import io.prefstream.schemas.ModelReward;
import io.prefstream.schemas.PreferencePair;

/**
 * Serdes of the stage's internal topics and stores (repartition topics, pending, join store). They are
 * private to this application, so they skip the Schema Registry: a version byte, then the public Avro
 * records in plain Avro binary (with the schemas compiled into this build) and a few primitives. A
 * record written by a newer encoding version fails loudly instead of being misread.
 */
public final class InternalSerdes {
    private static final byte VERSION = 1;

    static {
        AvroTrust.install();
    }

    private InternalSerdes() {
    }

    public static Serde<ScoringTask> scoringTask() {
        return Serdes.serdeFrom((topic, task) -> task == null ? null : encode(out -> {
            writeRecord(out, task.pair());
            writeRecord(out, task.lineage());
            out.writeUTF(task.responseId());
            out.writeBoolean(task.model() != null);
            if (task.model() != null) {
                writeRecord(out, task.model());
            }
            out.writeBoolean(task.reward() != null);
            if (task.reward() != null) {
                out.writeFloat(task.reward());
            }
        }), (topic, bytes) -> bytes == null ? null : decode(bytes, in -> new ScoringTask(
            readRecord(in, PreferencePair.class), readRecord(in, Lineage.class), in.readUTF(),
            in.readBoolean() ? readRecord(in, ModelRef.class) : null,
            in.readBoolean() ? in.readFloat() : null)));
    }

    public static Serde<PartialScores> partialScores() {
        return Serdes.serdeFrom((topic, partial) -> partial == null ? null : encode(out -> {
            writeRecord(out, partial.pair());
            writeRecord(out, partial.lineage());
            out.writeInt(partial.rewards().size());
            for (ModelReward reward : partial.rewards()) {
                writeRecord(out, reward);
            }
        }), (topic, bytes) -> bytes == null ? null : decode(bytes, in -> {
            PreferencePair pair = readRecord(in, PreferencePair.class);
            Lineage lineage = readRecord(in, Lineage.class);
            int n = in.readInt();
            List<ModelReward> rewards = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                rewards.add(readRecord(in, ModelReward.class));
            }
            return new PartialScores(pair, lineage, rewards);
        }));
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] encode(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writer.write(out);
        } catch (IOException e) {
            throw new SerializationException("cannot encode internal record", e);
        }
        return bytes.toByteArray();
    }

    private static <T> T decode(byte[] bytes, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new SerializationException("internal record has encoding version " + version
                    + "; this build reads version " + VERSION);
            }
            return reader.read(in);
        } catch (IOException e) {
            throw new SerializationException("corrupt internal record", e);
        }
    }

    private static void writeRecord(DataOutputStream out, SpecificRecord record) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(buffer, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        out.writeInt(buffer.size());
        buffer.writeTo(out);
    }

    private static <T extends SpecificRecord> T readRecord(DataInputStream in, Class<T> type) throws IOException {
        byte[] bytes = in.readNBytes(in.readInt());
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(type);
        return reader.read(null, decoder);
    }

}
