package io.prefstream.schemas.serde;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

import io.prefstream.schemas.AvroTrust;
import io.prefstream.schemas.registry.SchemaRegistryClient;
import io.prefstream.schemas.registry.SchemaRegistryClients;
import io.prefstream.schemas.registry.SchemaRegistryException;
import io.prefstream.schemas.registry.SchemaRegistryUnavailableException;
import io.prefstream.schemas.serde.AvroSerializationException.Reason;

/**
 * Reads the Confluent wire format. The writer schema is fetched by the id in the header (cached by the
 * client) and resolved against the reader schema: the generated class's schema for a specific
 * deserializer, so a consumer built against a newer schema reads data written with an older one.
 * A generic deserializer reads with the writer schema itself (timestamps stay {@code long} millis).
 * Every malformed payload raises {@link AvroSerializationException} with the topic and the reason.
 */
public class AvroDeserializer<T> implements Deserializer<T> {
    static {
        AvroTrust.install();
    }

    private final Class<T> recordClass;
    private SchemaRegistryClient registry;
    private boolean specificByWriterName;
    private final Map<Integer, Reading> readingsBySchemaId = new ConcurrentHashMap<>();

    /**
     * For Kafka to instantiate by class name: returns GenericRecords, or generated classes found by the
     * writer schema's name when {@code specific.avro.reader=true}.
     */
    public AvroDeserializer() {
        this(null, null);
    }

    /** Reads {@code recordClass} records (a generated class) through {@code registry}. */
    public AvroDeserializer(Class<T> recordClass, SchemaRegistryClient registry) {
        this.recordClass = recordClass;
        this.registry = registry;
    }

    /** A deserializer of {@link GenericRecord}s, read with their writer schema. */
    public static AvroDeserializer<GenericRecord> generic(SchemaRegistryClient registry) {
        return new AvroDeserializer<>(null, registry);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        if (registry == null) {
            registry = SchemaRegistryClients.create(config);
        }
        this.specificByWriterName = config.specificAvroReader();
    }

    @Override
    public T deserialize(String topic, byte[] payload) {
        if (payload == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroDeserializer used before configure(): no schema.registry.url");
        }
        if (payload.length < WireFormat.HEADER_SIZE) {
            throw new AvroSerializationException(topic, Reason.TRUNCATED_PAYLOAD, "payload has " + payload.length
                + " bytes, fewer than the " + WireFormat.HEADER_SIZE + "-byte wire-format header", null);
        }
        if (payload[0] != WireFormat.MAGIC_BYTE) {
            throw new AvroSerializationException(topic, Reason.WRONG_MAGIC_BYTE, String.format(
                "first byte is 0x%02x, expected 0x00 (not Confluent wire format)", payload[0] & 0xff), null);
        }
        int id = WireFormat.schemaId(payload);
        Reading reading = readingsBySchemaId.get(id);
        if (reading == null) {
            reading = reading(topic, id);
            readingsBySchemaId.putIfAbsent(id, reading);
        }
        if (reading.reader == null) {
            throw new AvroSerializationException(topic, Reason.INCOMPATIBLE_SCHEMA,
                "schema id " + id + ": " + reading.incompatibility, null);
        }
        return read(topic, id, reading.reader, payload);
    }

    @SuppressWarnings("unchecked") // the reader was built for T: the record class, or GenericRecord
    private T read(String topic, int id, DatumReader<?> reader, byte[] payload) {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(payload, WireFormat.HEADER_SIZE,
            payload.length - WireFormat.HEADER_SIZE, null);
        T record;
        try {
            record = (T) reader.read(null, decoder);
        } catch (EOFException e) {
            throw new AvroSerializationException(topic, Reason.TRUNCATED_PAYLOAD,
                "Avro body of schema id " + id + " ends early (" + payload.length + " bytes in all)", e);
        } catch (IOException | RuntimeException e) {
            throw new AvroSerializationException(topic, Reason.MALFORMED_PAYLOAD,
                "bytes are not valid Avro for schema id " + id + ": " + e, e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new AvroSerializationException(topic, Reason.MALFORMED_PAYLOAD,
                    "bytes left over after the record of schema id " + id + " (wrong schema id?)", null);
            }
        } catch (IOException e) {
            throw new AvroSerializationException(topic, Reason.MALFORMED_PAYLOAD, e.toString(), e);
        }
        return record;
    }

    /**
     * How to read payloads of one writer schema id, or why the reader schema cannot read them. Cached per id:
     * both answers are final once the id exists. Unknown ids are not cached, since a registry replica that
     * lags behind may know the id a moment later.
     */
    private record Reading(DatumReader<?> reader, String incompatibility) {
    }

    private Reading reading(String topic, int id) {
        Schema writer;
        try {
            writer = registry.getSchemaById(id);
        } catch (SchemaRegistryUnavailableException e) {
            throw e; // the data may be fine: do not blame the record
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new AvroSerializationException(topic, Reason.UNKNOWN_SCHEMA_ID,
                    "schema id " + id + " is not known to the registry (" + e.getMessage() + ")", e);
            }
            throw e;
        }
        Class<?> target = recordClass;
        if (target == null && specificByWriterName) {
            target = SpecificData.get().getClass(writer);
        }
        if (target == null || !SpecificRecord.class.isAssignableFrom(target)) {
            return new Reading(new GenericDatumReader<>(writer, writer, GenericData.get()), null);
        }
        SpecificData model = SpecificData.getForClass(target);
        Schema reader = model.getSchema(target);
        Optional<String> problems = SchemaResolution.problems(reader, writer);
        if (problems.isPresent()) {
            return new Reading(null, "writer schema " + writer.getFullName() + " cannot be read as "
                + target.getName() + ": " + problems.get());
        }
        return new Reading(new SpecificDatumReader<>(writer, reader, model), null);
    }
}
