package io.prefstream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefstream.registry.store.RegistryState;
import io.prefstream.registry.store.StoreRecords;
import io.prefstream.registry.store.StoreRecords.ConfigKey;
import io.prefstream.registry.store.StoreRecords.SchemaKey;
import org.junit.jupiter.api.Test;

/** The topic format, byte for byte, and replay of records as Confluent's registry writes them. */
class StoreRecordsTest {

    @Test
    void keysAreWrittenInConfluentsFormat() {
        assertThat(StoreRecords.encodeKey(new SchemaKey("pairs-value", 3)))
            .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"pairs-value\",\"version\":3,\"magic\":1}");
        assertThat(StoreRecords.encodeKey(new ConfigKey(null)))
            .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}");
        assertThat(StoreRecords.encodeKey(new ConfigKey("pairs-value")))
            .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":\"pairs-value\",\"magic\":0}");
        assertThat(StoreRecords.encodeKey(new StoreRecords.NoopKey())).isEqualTo("{\"keytype\":\"NOOP\",\"magic\":0}");
        assertThat(StoreRecords.encodeSchema(new SchemaVersion("s", 1, 7, "\"string\"", false)))
            .isEqualTo("{\"subject\":\"s\",\"version\":1,\"id\":7,\"schema\":\"\\\"string\\\"\",\"deleted\":false}");
    }

    /** A topic written by Confluent: extra fields, DELETE_SUBJECT watermarks, MODE records, other schema types. */
    @Test
    void replaysATopicWrittenByConfluent() {
        RegistryState state = new RegistryState();
        state.apply("{\"keytype\":\"SCHEMA\",\"subject\":\"a\",\"version\":1,\"magic\":1}",
            "{\"subject\":\"a\",\"version\":1,\"id\":1,\"schema\":\"\\\"string\\\"\",\"deleted\":false,\"references\":[]}");
        state.apply("{\"keytype\":\"SCHEMA\",\"subject\":\"a\",\"version\":2,\"magic\":1}",
            "{\"subject\":\"a\",\"version\":2,\"id\":2,\"schema\":\"\\\"long\\\"\",\"deleted\":false}");
        state.apply("{\"keytype\":\"SCHEMA\",\"subject\":\"p\",\"version\":1,\"magic\":1}",
            "{\"subject\":\"p\",\"version\":1,\"id\":3,\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax\",\"deleted\":false}");
        state.apply("{\"keytype\":\"MODE\",\"subject\":null,\"magic\":0}", "{\"mode\":\"READWRITE\"}");
        state.apply("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}", "{\"compatibilityLevel\":\"FULL\"}");
        state.apply("{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"a\",\"magic\":0}", "{\"subject\":\"a\",\"version\":1}");
        state.apply("not json", "{}");

        assertThat(state.versions("a", false)).extracting(SchemaVersion::version).containsExactly(2);
        assertThat(state.versions("a", true)).extracting(SchemaVersion::deleted).containsExactly(true, false);
        assertThat(state.subjects(true)).containsExactly("a");
        assertThat(state.globalLevel()).contains(CompatibilityLevel.FULL);
        // The Protobuf schema is not served, but its id is never given to another schema.
        assertThat(state.nextId()).isEqualTo(4);
        assertThat(state.schemaById(1)).contains("\"string\"");

        state.apply("{\"keytype\":\"SCHEMA\",\"subject\":\"a\",\"version\":1,\"magic\":1}", null);
        assertThat(state.schemaById(1)).isEmpty();
        assertThat(state.idOf("\"string\"")).hasValue(1);
    }
}
