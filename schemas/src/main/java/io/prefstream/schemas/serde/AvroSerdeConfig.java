package io.prefstream.schemas.serde;

import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

import io.prefstream.schemas.registry.SchemaRegistryClientConfig;

/**
 * Serde settings, with Confluent's key names so a Confluent serde configuration works unchanged:
 * the registry client's keys plus {@code auto.register.schemas}, {@code use.latest.version} and
 * {@code specific.avro.reader}. Subjects always follow the TopicNameStrategy.
 */
public class AvroSerdeConfig extends SchemaRegistryClientConfig {
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    private static final String AUTO_REGISTER_SCHEMAS_DOC = "Register the record's schema under the topic's subject "
        + "when serializing. When false the schema must already be registered (or use.latest.version be set), "
        + "otherwise serializing fails.";

    public static final String USE_LATEST_VERSION = "use.latest.version";
    private static final String USE_LATEST_VERSION_DOC = "When auto.register.schemas is false: write records with the "
        + "latest schema registered under the subject (the record is converted to it by Avro schema resolution), "
        + "instead of looking up the record's own schema. The latest version is looked up once per subject and "
        + "kept for the serializer's lifetime.";

    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    private static final String SPECIFIC_AVRO_READER_DOC = "For a deserializer created without a record class: return "
        + "the generated class named by the writer schema when it is on the class path, instead of a GenericRecord.";

    public static ConfigDef definition() {
        return addTo(new ConfigDef())
            .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM, AUTO_REGISTER_SCHEMAS_DOC)
            .define(USE_LATEST_VERSION, Type.BOOLEAN, false, Importance.LOW, USE_LATEST_VERSION_DOC)
            .define(SPECIFIC_AVRO_READER, Type.BOOLEAN, false, Importance.LOW, SPECIFIC_AVRO_READER_DOC);
    }

    public AvroSerdeConfig(Map<String, ?> originals) {
        super(definition(), originals);
    }

    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS);
    }

    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION);
    }

    public boolean specificAvroReader() {
        return getBoolean(SPECIFIC_AVRO_READER);
    }
}
