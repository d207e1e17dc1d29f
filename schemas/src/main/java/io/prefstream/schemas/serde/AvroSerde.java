package io.prefstream.schemas.serde;

import java.util.Map;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

import io.prefstream.schemas.registry.SchemaRegistryClient;

/** An {@link AvroSerializer} and {@link AvroDeserializer} pair, for Kafka Streams. */
public class AvroSerde<T> implements Serde<T> {
    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;

    /** For Kafka to instantiate by class name: generic, or specific with {@code specific.avro.reader=true}. */
    public AvroSerde() {
        this(new AvroSerializer<>(), new AvroDeserializer<>());
    }

    private AvroSerde(AvroSerializer<T> serializer, AvroDeserializer<T> deserializer) {
        this.serializer = serializer;
        this.deserializer = deserializer;
    }

    /** A configured serde of generated records of {@code recordClass}. */
    public static <T extends SpecificRecord> AvroSerde<T> specific(Class<T> recordClass, SchemaRegistryClient registry,
                                                                   Map<String, ?> config, boolean isKey) {
        AvroSerde<T> serde = new AvroSerde<>(new AvroSerializer<>(registry), new AvroDeserializer<>(recordClass, registry));
        serde.configure(config, isKey);
        return serde;
    }

    /** A configured serde of generic records, read with their writer schema. */
    public static AvroSerde<GenericRecord> generic(SchemaRegistryClient registry, Map<String, ?> config, boolean isKey) {
        AvroSerde<GenericRecord> serde = new AvroSerde<>(new AvroSerializer<>(registry), AvroDeserializer.generic(registry));
        serde.configure(config, isKey);
        return serde;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public AvroSerializer<T> serializer() {
        return serializer;
    }

    @Override
    public AvroDeserializer<T> deserializer() {
        return deserializer;
    }
}
