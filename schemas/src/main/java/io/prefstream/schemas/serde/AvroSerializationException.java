package io.prefstream.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that cannot be turned into a record, or a record that cannot be turned into bytes. The message
 * names the topic and the {@link Reason}; stages catch it to send the record to their dead-letter topic.
 * A registry that is down is not the record's fault and is reported as
 * {@link io.prefstream.schemas.registry.SchemaRegistryUnavailableException} instead.
 */
public class AvroSerializationException extends SerializationException {
    private static final long serialVersionUID = 1L;

    /** Why the bytes or the record were refused. */
    public enum Reason {
        /** The first byte is not the Confluent wire format's magic byte 0. */
        WRONG_MAGIC_BYTE,
        /** The schema id in the header is not known to the registry. */
        UNKNOWN_SCHEMA_ID,
        /** Fewer bytes than the 5-byte header, or the Avro body ends early. */
        TRUNCATED_PAYLOAD,
        /** The writer schema cannot be read with the reader schema. */
        INCOMPATIBLE_SCHEMA,
        /** The Avro body does not match its writer schema (bad values or bytes left over). */
        MALFORMED_PAYLOAD,
        /** Serializing: the registry refused the schema, or it is not registered and auto-registration is off. */
        SCHEMA_NOT_REGISTERED,
        /** Serializing: the object is not an Avro record or does not match its schema. */
        INVALID_RECORD
    }

    private final String topic;
    private final Reason reason;

    public AvroSerializationException(String topic, Reason reason, String detail, Throwable cause) {
        super("topic " + topic + ": " + reason + ": " + detail, cause);
        this.topic = topic;
        this.reason = reason;
    }

    public String topic() {
        return topic;
    }

    public Reason reason() {
        return reason;
    }
}
