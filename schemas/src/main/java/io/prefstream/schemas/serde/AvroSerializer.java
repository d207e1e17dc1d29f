package io.prefstream.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

import io.prefstream.schemas.registry.RegisteredSchema;
import io.prefstream.schemas.registry.SchemaRegistryClient;
import io.prefstream.schemas.registry.SchemaRegistryClients;
import io.prefstream.schemas.registry.SchemaRegistryException;
import io.prefstream.schemas.registry.SchemaRegistryUnavailableException;
import io.prefstream.schemas.serde.AvroSerializationException.Reason;

/**
 * Writes Avro records, generated ({@link SpecificRecord}) or generic ({@link org.apache.avro.generic.GenericRecord}),
 * in the Confluent wire format, under the subject {@code <topic>-key|value}. By default the record's schema
 * is registered (idempotently, cached by the client); see {@link AvroSerdeConfig} for the alternatives.
 */
public class AvroSerializer<T> implements Serializer<T> {
    private SchemaRegistryClient registry;
    private boolean isKey;
    private boolean autoRegister = true;
    private boolean useLatestVersion;
    private final Map<Schema, DatumWriter<Object>> specificWriters = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> genericWriters = new ConcurrentHashMap<>();
    private final Map<String, RegisteredSchema> latestBySubject = new ConcurrentHashMap<>();

    /** For Kafka to instantiate by class name; {@link #configure} then creates the registry client. */
    public AvroSerializer() {
    }

    /** A serializer using {@code registry}; call {@link #configure} to change the defaults (auto-register on). */
    public AvroSerializer(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        if (registry == null) {
            registry = SchemaRegistryClients.create(config);
        }
        this.isKey = isKey;
        this.autoRegister = config.autoRegisterSchemas();
        this.useLatestVersion = config.useLatestVersion();
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroSerializer used before configure(): no schema.registry.url");
        }
        if (!(data instanceof GenericContainer record)) {
            throw new AvroSerializationException(topic, Reason.INVALID_RECORD,
                "not an Avro record: " + data.getClass().getName(), null);
        }
        Schema schema = record.getSchema();
        String subject = TopicNameStrategy.subject(topic, isKey);
        if (!autoRegister && useLatestVersion) {
            RegisteredSchema latest = latest(topic, subject);
            Object converted = latest.schema().equals(schema) ? data : convert(topic, record, latest.schema());
            return encode(topic, latest.id(), latest.schema(), converted, false);
        }
        int id = schemaId(topic, subject, schema);
        return encode(topic, id, schema, data, data instanceof SpecificRecord);
    }

    private int schemaId(String topic, String subject, Schema schema) {
        try {
            return autoRegister ? registry.register(subject, schema) : registry.getId(subject, schema);
        } catch (SchemaRegistryUnavailableException e) {
            throw e;
        } catch (SchemaRegistryException e) {
            String what = autoRegister ? "the registry refused to register the schema under subject "
                : "the schema is not registered under subject (and auto.register.schemas=false) ";
            throw new AvroSerializationException(topic, Reason.SCHEMA_NOT_REGISTERED,
                what + subject + ": " + e.getMessage(), e);
        }
    }

    private RegisteredSchema latest(String topic, String subject) {
        RegisteredSchema cached = latestBySubject.get(subject);
        if (cached != null) {
            return cached;
        }
        try {
            RegisteredSchema latest = registry.getLatest(subject);
            latestBySubject.put(subject, latest);
            return latest;
        } catch (SchemaRegistryUnavailableException e) {
            throw e;
        } catch (SchemaRegistryException e) {
            throw new AvroSerializationException(topic, Reason.SCHEMA_NOT_REGISTERED,
                "use.latest.version is set but subject " + subject + " has no version: " + e.getMessage(), e);
        }
    }

    /** Rewrites {@code record} in {@code target} by Avro schema resolution, as a reader of {@code target} would see it. */
    private Object convert(String topic, GenericContainer record, Schema target) {
        Schema own = record.getSchema();
        SchemaResolution.problems(target, own).ifPresent(problems -> {
            throw new AvroSerializationException(topic, Reason.INCOMPATIBLE_SCHEMA,
                "the latest registered schema cannot represent this record: " + problems, null);
        });
        byte[] ownBytes = encode(topic, 0, own, record, record instanceof SpecificRecord);
        try {
            return new GenericDatumReader<Object>(own, target).read(null, DecoderFactory.get()
                .binaryDecoder(ownBytes, WireFormat.HEADER_SIZE, ownBytes.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException | AvroRuntimeException e) {
            throw new AvroSerializationException(topic, Reason.INVALID_RECORD,
                "cannot convert the record to the latest registered schema: " + e.getMessage(), e);
        }
    }

    private byte[] encode(String topic, int id, Schema schema, Object datum, boolean specific) {
        DatumWriter<Object> writer = specific
            ? specificWriters.computeIfAbsent(schema,
                s -> new SpecificDatumWriter<>(s, SpecificData.getForClass(datum.getClass())))
            : genericWriters.computeIfAbsent(schema, s -> new GenericDatumWriter<>(s, GenericData.get()));
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        WireFormat.writeHeader(out, id);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(datum, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new AvroSerializationException(topic, Reason.INVALID_RECORD,
                "record does not match its schema " + schema.getFullName() + ": " + e, e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        // nothing to release: registry clients are shared by every serde of a process and hold no connections
        // that outlive a request
    }
}
