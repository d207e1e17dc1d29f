package io.prefstream.registry;

/** Avro schemas with real evolution steps, written as users write them. */
final class TestSchemas {
    private TestSchemas() {}

    /** A record named {@code name} with the given field declarations (JSON objects). */
    static String record(String name, String... fields) {
        return "{\"type\": \"record\", \"name\": \"" + name + "\", \"namespace\": \"io.prefstream.test\","
            + " \"doc\": \"test record\", \"fields\": [" + String.join(", ", fields) + "]}";
    }

    static String field(String name, String type) {
        return "{\"name\": \"" + name + "\", \"type\": \"" + type + "\"}";
    }

    static String fieldWithDefault(String name, String type, String defaultJson) {
        return "{\"name\": \"" + name + "\", \"type\": \"" + type + "\", \"default\": " + defaultJson + "}";
    }

    /** v1: id and text. */
    static String v1(String name) {
        return record(name, field("id", "string"), field("text", "string"));
    }

    /** v2: v1 plus a field with a default (compatible both ways). */
    static String v2(String name) {
        return record(name, field("id", "string"), field("text", "string"), fieldWithDefault("lang", "string", "\"en\""));
    }
}
