package io.prefstream.registry.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefstream.registry.CompatibilityLevel;
import io.prefstream.registry.SchemaVersion;

/**
 * Keys and values of the {@code _schemas} topic, in Confluent Schema Registry's JSON format, so a
 * topic written here can be read by Confluent's registry and the other way round.
 *
 * <pre>
 * {"keytype":"SCHEMA","subject":"s","version":1,"magic":1} -> {"subject":"s","version":1,"id":7,"schema":"...","deleted":false}
 * {"keytype":"CONFIG","subject":null,"magic":0}             -> {"compatibilityLevel":"FULL"}   (global level)
 * {"keytype":"CONFIG","subject":"s","magic":0}              -> {"compatibilityLevel":"NONE"}   (subject level)
 * {"keytype":"DELETE_SUBJECT","subject":"s","magic":0}      -> {"subject":"s","version":3}     (read only)
 * {"keytype":"NOOP","magic":0}                              -> null                           (sync marker)
 * </pre>
 * A null value (tombstone) permanently deletes a schema version or a config.
 * Keys are written field by field in a fixed order: compaction matches keys byte for byte.
 */
public final class StoreRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A decoded record key. */
    public sealed interface Key permits SchemaKey, ConfigKey, DeleteSubjectKey, NoopKey, OtherKey {}

    public record SchemaKey(String subject, int version) implements Key {}

    /** {@code subject} is null for the global config. */
    public record ConfigKey(String subject) implements Key {}

    public record DeleteSubjectKey(String subject) implements Key {}

    public record NoopKey() implements Key {}

    /** A key type this registry does not use (Confluent's MODE, CONTEXT, ...): skipped on replay. */
    public record OtherKey(String keytype) implements Key {}

    private StoreRecords() {}

    public static String encodeKey(Key key) {
        ObjectNode node = JSON.createObjectNode();
        if (key instanceof SchemaKey k) {
            node.put("keytype", "SCHEMA").put("subject", k.subject()).put("version", k.version()).put("magic", 1);
        } else if (key instanceof ConfigKey k) {
            node.put("keytype", "CONFIG").put("subject", k.subject()).put("magic", 0);
        } else if (key instanceof DeleteSubjectKey k) {
            node.put("keytype", "DELETE_SUBJECT").put("subject", k.subject()).put("magic", 0);
        } else if (key instanceof NoopKey) {
            node.put("keytype", "NOOP").put("magic", 0);
        } else {
            throw new IllegalArgumentException("this registry never writes " + key);
        }
        return node.toString();
    }

    public static Key decodeKey(String text) {
        JsonNode node = read(text, "key");
        String keytype = node.path("keytype").asText("");
        return switch (keytype) {
            case "SCHEMA" -> new SchemaKey(requiredText(node, "subject"), node.path("version").asInt());
            case "CONFIG" -> new ConfigKey(node.hasNonNull("subject") ? node.get("subject").asText() : null);
            case "DELETE_SUBJECT" -> new DeleteSubjectKey(requiredText(node, "subject"));
            case "NOOP" -> new NoopKey();
            default -> new OtherKey(keytype);
        };
    }

    public static String encodeSchema(SchemaVersion version) {
        return JSON.createObjectNode()
            .put("subject", version.subject())
            .put("version", version.version())
            .put("id", version.id())
            .put("schema", version.schema())
            .put("deleted", version.deleted())
            .toString();
    }

    public static SchemaVersion decodeSchema(String text) {
        JsonNode node = read(text, "schema value");
        String type = node.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new IllegalArgumentException("schemaType " + type + " is not supported (Avro only)");
        }
        return new SchemaVersion(requiredText(node, "subject"), node.path("version").asInt(), node.path("id").asInt(),
            requiredText(node, "schema"), node.path("deleted").asBoolean(false));
    }

    /** The id of a schema value of any schema type, so ids used by types this registry skips are never reissued. */
    public static int schemaIdOf(String text) {
        return read(text, "schema value").path("id").asInt();
    }

    public static String encodeConfig(CompatibilityLevel level) {
        return JSON.createObjectNode().put("compatibilityLevel", level.name()).toString();
    }

    public static CompatibilityLevel decodeConfig(String text) {
        return CompatibilityLevel.parse(requiredText(read(text, "config value"), "compatibilityLevel"));
    }

    /** The highest version a DELETE_SUBJECT record soft-deletes. */
    public static int decodeDeleteSubjectVersion(String text) {
        return read(text, "delete-subject value").path("version").asInt();
    }

    private static JsonNode read(String text, String what) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(what + " is not a JSON object: " + text);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + text, e);
        }
    }

    private static String requiredText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("missing text field '" + field + "' in " + node);
        }
        return value.asText();
    }
}
