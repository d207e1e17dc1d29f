package io.prefstream.registry;

import static io.prefstream.registry.TestSchemas.field;
import static io.prefstream.registry.TestSchemas.record;
import static io.prefstream.registry.TestSchemas.v1;
import static io.prefstream.registry.TestSchemas.v2;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.RegistryHttp.Reply;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every endpoint and error code of the Confluent REST API, over real HTTP, against a registry on a real broker. */
@ExtendWith(SharedKafkaBroker.class)
class RegistryConformanceTest {
    private static SchemaRegistryServer server;
    private static RegistryHttp http;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker) {
        server = SchemaRegistryServer.start(broker.bootstrapServers(), 0,
            RegistryOptions.defaults().withTopic(SharedKafkaBroker.uniqueName("_schemas")));
        http = new RegistryHttp(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String subject() {
        return SharedKafkaBroker.uniqueName("conformance") + "-value";
    }

    @Test
    void registrationIsIdempotentAndIgnoresLayout() {
        String subject = subject();
        int id = http.register(subject, v1("Idem"));
        assertThat(http.register(subject, v1("Idem"))).isEqualTo(id);
        // Same schema, other whitespace and attribute order: still the same schema.
        String relaidOut = "{ \"fields\" : [ {\"type\":\"string\",\"name\":\"id\"}, {\"name\":\"text\",\"type\":{\"type\":\"string\"}} ],"
            + "\n \"doc\":\"test record\", \"namespace\":\"io.prefstream.test\", \"name\":\"Idem\", \"type\":\"record\" }";
        assertThat(http.register(subject, relaidOut)).isEqualTo(id);
        assertThat(http.get("/subjects/" + subject + "/versions").body()).isEqualTo("[1]");
    }

    @Test
    void equalSchemasShareOneIdAcrossSubjects() {
        String first = subject();
        String second = subject();
        String schema = v1("Shared" + System.nanoTime());
        int id = http.register(first, schema);
        assertThat(http.register(second, schema)).isEqualTo(id);

        JsonNode versions = http.get("/schemas/ids/" + id + "/versions").json();
        assertThat(versions).hasSize(2);
        assertThat(versions.findValuesAsText("subject")).containsExactlyInAnyOrder(first, second);
        assertThat(versions.findValues("version")).allMatch(v -> v.asInt() == 1);
        assertThat(http.get("/schemas/ids/" + id + "/subjects").json().toString())
            .contains(first).contains(second);
        assertThat(http.get("/subjects").json().toString()).contains(first).contains(second);
    }

    @Test
    void newSchemaGetsNextVersionAndNewId() {
        String subject = subject();
        int id1 = http.register(subject, v1("Evolving"));
        int id2 = http.register(subject, v2("Evolving"));
        assertThat(id2).isGreaterThan(id1);
        assertThat(http.get("/subjects/" + subject + "/versions").body()).isEqualTo("[1,2]");

        Reply latest = http.get("/subjects/" + subject + "/versions/latest");
        assertThat(latest.status()).isEqualTo(200);
        assertThat(latest.contentType()).isEqualTo(RegistryHttp.CONTENT_TYPE);
        assertThat(latest.json().get("subject").asText()).isEqualTo(subject);
        assertThat(latest.json().get("version").asInt()).isEqualTo(2);
        assertThat(latest.json().get("id").asInt()).isEqualTo(id2);
        String canonical = new Schema.Parser().parse(v2("Evolving")).toString();
        assertThat(latest.json().get("schema").asText()).isEqualTo(canonical);

        assertThat(http.get("/subjects/" + subject + "/versions/1").json().get("id").asInt()).isEqualTo(id1);
        assertThat(http.get("/subjects/" + subject + "/versions/-1").json().get("version").asInt()).isEqualTo(2);
        assertThat(http.get("/subjects/" + subject + "/versions/1/schema").body())
            .isEqualTo(new Schema.Parser().parse(v1("Evolving")).toString());
        assertThat(http.get("/subjects/" + subject + "/versions/latest/referencedby").body()).isEqualTo("[]");
    }

    @Test
    void schemasByIdAndTypes() {
        String subject = subject();
        int id = http.register(subject, v1("ById"));
        String canonical = new Schema.Parser().parse(v1("ById")).toString();

        Reply byId = http.get("/schemas/ids/" + id);
        assertThat(byId.status()).isEqualTo(200);
        assertThat(byId.json().get("schema").asText()).isEqualTo(canonical);
        assertThat(http.get("/schemas/ids/" + id + "/schema").body()).isEqualTo(canonical);
        assertThat(http.get("/schemas/types").body()).isEqualTo("[\"AVRO\"]");

        assertError(http.get("/schemas/ids/987654"), 404, Errors.SCHEMA_NOT_FOUND);
        assertError(http.get("/schemas/ids/987654/versions"), 404, Errors.SCHEMA_NOT_FOUND);
        assertError(http.get("/schemas/ids/not-a-number"), 404, Errors.SCHEMA_NOT_FOUND);
    }

    @Test
    void lookupFindsRegisteredSchemaOnly() {
        String subject = subject();
        int id = http.register(subject, v1("Lookup"));
        http.register(subject, v2("Lookup"));

        Reply found = http.post("/subjects/" + subject, RegistryHttp.schemaBody(v1("Lookup")));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().get("subject").asText()).isEqualTo(subject);
        assertThat(found.json().get("version").asInt()).isEqualTo(1);
        assertThat(found.json().get("id").asInt()).isEqualTo(id);

        assertError(http.post("/subjects/" + subject, RegistryHttp.schemaBody(v1("NeverRegistered"))), 404,
            Errors.SCHEMA_NOT_FOUND);
        assertError(http.post("/subjects/" + subject(), RegistryHttp.schemaBody(v1("Lookup"))), 404,
            Errors.SUBJECT_NOT_FOUND);
        assertError(http.post("/subjects/" + subject, RegistryHttp.schemaBody("{\"type\": \"recrod\"}")), 422,
            Errors.INVALID_SCHEMA);
    }

    @Test
    void invalidSchemasAreRejectedWithTheReason() {
        String subject = subject();
        String versions = "/subjects/" + subject + "/versions";
        Reply notJson = http.post(versions, RegistryHttp.schemaBody("not json at all"));
        assertError(notJson, 422, Errors.INVALID_SCHEMA);
        assertThat(notJson.json().get("message").asText()).startsWith("Invalid schema");

        Reply badDefault = http.post(versions, RegistryHttp.schemaBody(
            record("BadDefault", TestSchemas.fieldWithDefault("n", "int", "\"not an int\""))));
        assertError(badDefault, 422, Errors.INVALID_SCHEMA);
        assertThat(badDefault.json().get("message").asText()).contains("n");

        assertError(http.post(versions, "{\"schema\": \"syntax = 'proto3';\", \"schemaType\": \"PROTOBUF\"}"), 422,
            Errors.INVALID_SCHEMA);
        assertError(http.post(versions, "{\"schemaType\": \"AVRO\"}"), 422, Errors.INVALID_SCHEMA);
        assertError(http.post(versions, "{\"schema\": \"\\\"string\\\"\", \"references\": [{\"name\": \"x\", "
            + "\"subject\": \"y\", \"version\": 1}]}"), 422, Errors.INVALID_SCHEMA);
        assertError(http.post(versions, "{not json"), 400, 400);
        // Nothing was registered by any of these.
        assertError(http.get(versions), 404, Errors.SUBJECT_NOT_FOUND);
    }

    @Test
    void versionErrors() {
        String subject = subject();
        http.register(subject, v1("Versions"));
        assertError(http.get("/subjects/" + subject + "/versions/abc"), 422, Errors.INVALID_VERSION);
        assertError(http.get("/subjects/" + subject + "/versions/0"), 422, Errors.INVALID_VERSION);
        assertError(http.get("/subjects/" + subject + "/versions/99"), 404, Errors.VERSION_NOT_FOUND);
        assertError(http.get("/subjects/" + subject + "/versions/99/schema"), 404, Errors.VERSION_NOT_FOUND);
        String missing = subject();
        assertError(http.get("/subjects/" + missing + "/versions"), 404, Errors.SUBJECT_NOT_FOUND);
        assertError(http.get("/subjects/" + missing + "/versions/1"), 404, Errors.SUBJECT_NOT_FOUND);
        assertError(http.get("/subjects/" + missing + "/versions/latest"), 404, Errors.SUBJECT_NOT_FOUND);
    }

    @Test
    void compatibilityEndpoint() {
        String subject = subject();
        http.register(subject, v1("Compat"));
        String path = "/compatibility/subjects/" + subject + "/versions/";
        String addsRequiredField = record("Compat", field("id", "string"), field("text", "string"),
            field("score", "double"));

        assertThat(http.post(path + "latest", RegistryHttp.schemaBody(v2("Compat"))).body())
            .isEqualTo("{\"is_compatible\":true}");
        assertThat(http.post(path + "1", RegistryHttp.schemaBody(v2("Compat"))).json().get("is_compatible").asBoolean())
            .isTrue();
        Reply incompatible = http.post(path + "latest?verbose=true", RegistryHttp.schemaBody(addsRequiredField));
        assertThat(incompatible.json().get("is_compatible").asBoolean()).isFalse();
        assertThat(incompatible.json().get("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE")
            .contains("score");
        assertThat(http.post("/compatibility/subjects/" + subject + "/versions",
            RegistryHttp.schemaBody(addsRequiredField)).json().get("is_compatible").asBoolean()).isFalse();

        // Nothing registered yet: anything goes against "latest".
        assertThat(http.post("/compatibility/subjects/" + subject() + "/versions/latest",
            RegistryHttp.schemaBody(v1("Any"))).json().get("is_compatible").asBoolean()).isTrue();
        assertError(http.post(path + "7", RegistryHttp.schemaBody(v2("Compat"))), 404, Errors.VERSION_NOT_FOUND);
        assertError(http.post("/compatibility/subjects/" + subject() + "/versions/1",
            RegistryHttp.schemaBody(v2("Compat"))), 404, Errors.VERSION_NOT_FOUND);
        assertError(http.post(path + "first", RegistryHttp.schemaBody(v2("Compat"))), 422, Errors.INVALID_VERSION);
        assertError(http.post(path + "latest", RegistryHttp.schemaBody("{")), 422, Errors.INVALID_SCHEMA);
    }

    @Test
    void incompatibleRegistrationIs409() {
        String subject = subject();
        http.register(subject, v1("Strict"));
        Reply reply = http.post("/subjects/" + subject + "/versions", RegistryHttp.schemaBody(
            record("Strict", field("id", "string"), field("text", "int"))));
        assertError(reply, 409, Errors.INCOMPATIBLE_SCHEMA);
        assertThat(reply.json().get("message").asText()).contains("BACKWARD").contains("TYPE_MISMATCH at /fields/1/type");
        assertThat(http.get("/subjects/" + subject + "/versions").body()).isEqualTo("[1]");
    }

    @Test
    void subjectConfig() {
        String subject = subject();
        String config = "/config/" + subject;
        assertError(http.get(config), 404, Errors.SUBJECT_COMPATIBILITY_NOT_CONFIGURED);
        assertThat(http.get(config + "?defaultToGlobal=true").body()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");

        assertThat(http.put(config, "{\"compatibility\": \"FULL_TRANSITIVE\"}").body())
            .isEqualTo("{\"compatibility\":\"FULL_TRANSITIVE\"}");
        assertThat(http.get(config).body()).isEqualTo("{\"compatibilityLevel\":\"FULL_TRANSITIVE\"}");
        assertError(http.put(config, "{\"compatibility\": \"SIDEWAYS\"}"), 422, Errors.INVALID_COMPATIBILITY_LEVEL);

        assertThat(http.delete(config).body()).isEqualTo("{\"compatibilityLevel\":\"FULL_TRANSITIVE\"}");
        assertError(http.get(config), 404, Errors.SUBJECT_COMPATIBILITY_NOT_CONFIGURED);
        assertError(http.delete(config), 404, Errors.SUBJECT_NOT_FOUND);
    }

    @Test
    void globalConfig() {
        assertThat(http.get("/config").body()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
        try {
            assertThat(http.put("/config", "{\"compatibility\": \"forward\"}").body())
                .isEqualTo("{\"compatibility\":\"FORWARD\"}");
            assertThat(http.get("/config").body()).isEqualTo("{\"compatibilityLevel\":\"FORWARD\"}");
            String subject = subject();
            assertThat(http.get("/config/" + subject + "?defaultToGlobal=true").json().get("compatibilityLevel").asText())
                .isEqualTo("FORWARD");
            assertError(http.put("/config", "{\"compatibility\": \"\"}"), 422, Errors.INVALID_COMPATIBILITY_LEVEL);
            assertError(http.put("/config", "{}"), 422, Errors.INVALID_COMPATIBILITY_LEVEL);
        } finally {
            assertThat(http.delete("/config").body()).isEqualTo("{\"compatibilityLevel\":\"FORWARD\"}");
        }
        assertThat(http.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void softDeleteOfVersions() {
        String subject = subject();
        int id1 = http.register(subject, v1("SoftVersion"));
        http.register(subject, v2("SoftVersion"));
        String versions = "/subjects/" + subject + "/versions";

        assertError(http.delete(versions + "/1?permanent=true"), 404, Errors.VERSION_NOT_SOFT_DELETED);
        assertThat(http.delete(versions + "/1").body()).isEqualTo("1");
        assertThat(http.get(versions).body()).isEqualTo("[2]");
        assertThat(http.get(versions + "?deleted=true").body()).isEqualTo("[1,2]");
        assertError(http.get(versions + "/1"), 404, Errors.VERSION_NOT_FOUND);
        assertThat(http.get(versions + "/1?deleted=true").json().get("id").asInt()).isEqualTo(id1);
        // Records written with a soft-deleted schema stay readable.
        assertThat(http.get("/schemas/ids/" + id1).status()).isEqualTo(200);
        assertThat(http.get("/schemas/ids/" + id1 + "/versions").body()).isEqualTo("[]");
        assertThat(http.get("/schemas/ids/" + id1 + "/versions?deleted=true").json()).hasSize(1);
        assertError(http.delete(versions + "/1"), 404, Errors.VERSION_SOFT_DELETED);
        assertError(http.delete(versions + "/5"), 404, Errors.VERSION_NOT_FOUND);
        assertError(http.delete(versions + "/five"), 422, Errors.INVALID_VERSION);
        assertError(http.delete("/subjects/" + subject() + "/versions/1"), 404, Errors.SUBJECT_NOT_FOUND);

        assertThat(http.delete(versions + "/1?permanent=true").body()).isEqualTo("1");
        assertThat(http.get(versions + "?deleted=true").body()).isEqualTo("[2]");
        assertError(http.get("/schemas/ids/" + id1), 404, Errors.SCHEMA_NOT_FOUND);
        // A soft-deleted schema registered again is a new version with its old id.
        assertThat(http.delete(versions + "/latest").body()).isEqualTo("2");
        int again = http.register(subject, v2("SoftVersion"));
        assertThat(http.get(versions).body()).isEqualTo("[3]");
        assertThat(http.get(versions + "/3").json().get("id").asInt()).isEqualTo(again);
    }

    @Test
    void softThenPermanentDeleteOfSubject() {
        String subject = subject();
        http.register(subject, v1("SoftSubject"));
        int id2 = http.register(subject, v2("SoftSubject"));
        http.put("/config/" + subject, "{\"compatibility\": \"NONE\"}");

        assertError(http.delete("/subjects/" + subject + "?permanent=true"), 404, Errors.SUBJECT_NOT_SOFT_DELETED);
        assertThat(http.delete("/subjects/" + subject).body()).isEqualTo("[1,2]");
        assertThat(http.get("/subjects").json().toString()).doesNotContain(subject);
        assertThat(http.get("/subjects?deleted=true").json().toString()).contains(subject);
        assertError(http.get("/subjects/" + subject + "/versions"), 404, Errors.SUBJECT_NOT_FOUND);
        assertThat(http.get("/subjects/" + subject + "/versions?deleted=true").body()).isEqualTo("[1,2]");
        assertError(http.get("/config/" + subject), 404, Errors.SUBJECT_COMPATIBILITY_NOT_CONFIGURED);
        assertError(http.post("/subjects/" + subject, RegistryHttp.schemaBody(v2("SoftSubject"))), 404,
            Errors.SUBJECT_NOT_FOUND);
        assertThat(http.post("/subjects/" + subject + "?deleted=true", RegistryHttp.schemaBody(v2("SoftSubject")))
            .json().get("version").asInt()).isEqualTo(2);
        assertThat(http.get("/schemas/ids/" + id2).status()).isEqualTo(200);
        assertError(http.delete("/subjects/" + subject), 404, Errors.SUBJECT_SOFT_DELETED);

        assertThat(http.delete("/subjects/" + subject + "?permanent=true").body()).isEqualTo("[1,2]");
        assertThat(http.get("/subjects?deleted=true").json().toString()).doesNotContain(subject);
        assertError(http.get("/schemas/ids/" + id2), 404, Errors.SCHEMA_NOT_FOUND);
        assertError(http.delete("/subjects/" + subject), 404, Errors.SUBJECT_NOT_FOUND);
        assertError(http.delete("/subjects/" + subject + "?permanent=true"), 404, Errors.SUBJECT_NOT_FOUND);
    }

    @Test
    void contentTypesAndRouting() {
        String subject = subject();
        String body = RegistryHttp.schemaBody(v1("Types"));
        int id = http.register(subject, v1("Types"));
        for (String type : List.of("application/json", "application/octet-stream",
            "application/vnd.schemaregistry+json", "application/vnd.schemaregistry.v1+json; charset=utf-8")) {
            Reply reply = http.post("/subjects/" + subject + "/versions", body, type);
            assertThat(reply.status()).as(type).isEqualTo(200);
            assertThat(reply.json().get("id").asInt()).isEqualTo(id);
        }
        assertError(http.post("/subjects/" + subject + "/versions", body, "text/plain"), 415, 415);
        assertError(http.get("/no/such/path"), 404, 404);
        assertError(http.put("/subjects/" + subject + "/versions", body), 405, 405);
        assertThat(http.get("/").body()).isEqualTo("{}");
        assertThat(http.get("/mode").body()).isEqualTo("{\"mode\":\"READWRITE\"}");
    }

    @Test
    void subjectNamesWithReservedCharactersRoundTrip() {
        String subject = "team/alpha " + SharedKafkaBroker.uniqueName("x") + "+value";
        String encoded = java.net.URLEncoder.encode(subject, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        int id = http.register(encoded, v1("Reserved"));
        assertThat(http.get("/subjects/" + encoded + "/versions/1").json().get("subject").asText()).isEqualTo(subject);
        List<String> subjects = new ArrayList<>();
        http.get("/subjects").json().forEach(node -> subjects.add(node.asText()));
        assertThat(subjects).contains(subject);
        assertThat(http.get("/schemas/ids/" + id + "/subjects").json().get(0).asText()).isEqualTo(subject);
    }

    /**
     * Guards against the JDK server's Nagle delay (~40 ms per answer, 4 s for 100): sequential
     * client lookups must stay fast. The bound is 20 times what it takes here.
     */
    @Test
    void sequentialReadsAreNotDelayedByNagle() {
        int id = http.register(subject(), v1("Fast"));
        long started = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            assertThat(http.get("/schemas/ids/" + id).status()).isEqualTo(200);
        }
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(2));
    }

    static void assertError(Reply reply, int status, int errorCode) {
        assertThat(reply.status()).as("status of %s", reply).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo(RegistryHttp.CONTENT_TYPE);
        assertThat(reply.errorCode()).as("error_code of %s", reply).isEqualTo(errorCode);
        assertThat(reply.json().get("message").asText()).isNotBlank();
    }
}
