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
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
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
    /**
     * Version 3: a task may carry its failure and a join entry counts its failed tasks (written last).
     * Version 2: the pair is optional and the pair id is written on its own (a scored task on its way
     * to the join carries its pair only when it is the carrier; a join entry has it once the carrier
     * arrived). Versions 1, where every task and entry held the pair, and 2 are still read, so that
     * records and changelogs written before an upgrade are not lost.
     */
    private static final byte VERSION = 3;
    private static final byte VERSION_WITH_PAIR_ALWAYS = 1;
    /*
     * One reader and one writer per record class, shared by all threads (Avro's datum readers and
     * writers are thread-safe once built). Building a reader resolves the schema and compiles Avro's
     * fast reader: doing that per record was a tenth of this stage's stream thread.
     */
    private static final ClassValue<DatumReader<?>> READERS = new ClassValue<>() {
        @Override
        protected DatumReader<?> computeValue(Class<?> type) {
            return new SpecificDatumReader<>(type);
        }
    };
    private static final ClassValue<DatumWriter<?>> WRITERS = new ClassValue<>() {
        @Override
        protected DatumWriter<?> computeValue(Class<?> type) {
            return new SpecificDatumWriter<>(type);
        }
    };

    static {
        AvroTrust.install();
    }

    private InternalSerdes() {
    }

    public static Serde<ScoringTask> scoringTask() {
        return Serdes.serdeFrom((topic, task) -> task == null ? null : encode(out -> {
            writeOptionalRecord(out, task.pair());
            out.writeUTF(task.pairId());
            writeRecord(out, task.lineage());
            out.writeUTF(task.responseId());
            writeOptionalRecord(out, task.model());
            out.writeBoolean(task.reward() != null);
            if (task.reward() != null) {
                out.writeFloat(task.reward());
            }
            out.writeBoolean(task.failure() != null);
            if (task.failure() != null) {
                out.writeUTF(task.failure().errorClass());
                out.writeUTF(task.failure().reason());
                out.writeInt(task.failure().attempts());
            }
        }), (topic, bytes) -> bytes == null ? null : decode(bytes, (version, in) -> {
            PreferencePair pair;
            String pairId;
            if (version == VERSION_WITH_PAIR_ALWAYS) {
                pair = readRecord(in, PreferencePair.class);
                pairId = pair.getPairId();
            } else {
                pair = readOptionalRecord(in, PreferencePair.class);
                pairId = in.readUTF();
            }
            Lineage lineage = readRecord(in, Lineage.class);
            String responseId = in.readUTF();
            ModelRef model = readOptionalRecord(in, ModelRef.class);
            Float reward = in.readBoolean() ? in.readFloat() : null;
            ScoringFailure failure = version == VERSION && in.readBoolean()
                ? new ScoringFailure(in.readUTF(), in.readUTF(), in.readInt()) : null;
            return new ScoringTask(pair, pairId, lineage, responseId, model, reward, failure);
        }));
    }

    public static Serde<PartialScores> partialScores() {
        return Serdes.serdeFrom((topic, partial) -> partial == null ? null : encode(out -> {
            writeOptionalRecord(out, partial.pair());
            writeRecord(out, partial.lineage());
            out.writeInt(partial.rewards().size());
            for (ModelReward reward : partial.rewards()) {
                writeRecord(out, reward);
            }
            out.writeInt(partial.failedTasks());
        }), (topic, bytes) -> bytes == null ? null : decode(bytes, (version, in) -> {
            PreferencePair pair = version == VERSION_WITH_PAIR_ALWAYS ? readRecord(in, PreferencePair.class)
                : readOptionalRecord(in, PreferencePair.class);
            Lineage lineage = readRecord(in, Lineage.class);
            int n = in.readInt();
            List<ModelReward> rewards = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                rewards.add(readRecord(in, ModelReward.class));
            }
            return new PartialScores(pair, lineage, rewards, version == VERSION ? in.readInt() : 0);
        }));
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(byte version, DataInputStream in) throws IOException;
    }

    private static byte[] encode(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
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
            if (version < VERSION_WITH_PAIR_ALWAYS || version > VERSION) {
                throw new SerializationException("internal record has encoding version " + version
                    + "; this build reads versions " + VERSION_WITH_PAIR_ALWAYS + " to " + VERSION);
            }
            return reader.read(version, in);
        } catch (IOException e) {
            throw new SerializationException("corrupt internal record", e);
        }
    }

    private static void writeOptionalRecord(DataOutputStream out, SpecificRecord record) throws IOException {
        out.writeBoolean(record != null);
        if (record != null) {
            writeRecord(out, record);
        }
    }

    private static <T extends SpecificRecord> T readOptionalRecord(DataInputStream in, Class<T> type)
        throws IOException {
        return in.readBoolean() ? readRecord(in, type) : null;
    }

    private static void writeRecord(DataOutputStream out, SpecificRecord record) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(buffer, null);
        @SuppressWarnings("unchecked")
        DatumWriter<SpecificRecord> writer = (DatumWriter<SpecificRecord>) WRITERS.get(record.getClass());
        writer.write(record, encoder);
        encoder.flush();
        out.writeInt(buffer.size());
        buffer.writeTo(out);
    }

    private static <T extends SpecificRecord> T readRecord(DataInputStream in, Class<T> type) throws IOException {
        byte[] bytes = in.readNBytes(in.readInt());
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        @SuppressWarnings("unchecked")
        DatumReader<T> reader = (DatumReader<T>) READERS.get(type);
        return reader.read(null, decoder);
    }

}
