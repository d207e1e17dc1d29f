package io.prefstream.registry;

import static io.prefstream.registry.TestSchemas.field;
import static io.prefstream.registry.TestSchemas.fieldWithDefault;
import static io.prefstream.registry.TestSchemas.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.RegistryHttp.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each compatibility level accepts and refuses the schema changes it should, at registration time,
 * with real evolution steps: adding a field with or without a default, removing one, changing a type.
 */
@ExtendWith(SharedKafkaBroker.class)
class CompatibilityLevelsTest {
    private static final String BASE = record("Item", field("id", "string"), field("text", "string"));
    /** Adds a field with a default: readable both ways. */
    private static final String ADD_WITH_DEFAULT = record("Item", field("id", "string"), field("text", "string"),
        fieldWithDefault("lang", "string", "\"en\""));
    /** Adds a required field: new readers cannot read old data. */
    private static final String ADD_REQUIRED = record("Item", field("id", "string"), field("text", "string"),
        field("score", "double"));
    /** Drops a required field: old readers cannot read new data. */
    private static final String DROP_REQUIRED = record("Item", field("id", "string"));
    /** Changes a type: nobody can read anybody. */
    private static final String RETYPE = record("Item", field("id", "string"), field("text", "int"));

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

    /** A fresh subject at {@code level} holding {@link #BASE} as version 1. */
    private static String subjectAt(String level) {
        String subject = SharedKafkaBroker.uniqueName("levels-" + level);
        assertThat(http.put("/config/" + subject, "{\"compatibility\": \"" + level + "\"}").status()).isEqualTo(200);
        http.register(subject, BASE);
        return subject;
    }

    private static int statusOf(String subject, String schema) {
        Reply reply = http.post("/subjects/" + subject + "/versions", RegistryHttp.schemaBody(schema));
        if (reply.status() == 409) {
            assertThat(reply.errorCode()).isEqualTo(409);
        }
        return reply.status();
    }

    @Test
    void backwardAcceptsNewReadersOfOldData() {
        assertThat(statusOf(subjectAt("BACKWARD"), ADD_REQUIRED)).isEqualTo(409);
        assertThat(statusOf(subjectAt("BACKWARD"), RETYPE)).isEqualTo(409);
        assertThat(statusOf(subjectAt("BACKWARD"), DROP_REQUIRED)).isEqualTo(200);
        assertThat(statusOf(subjectAt("BACKWARD"), ADD_WITH_DEFAULT)).isEqualTo(200);
    }

    @Test
    void forwardAcceptsOldReadersOfNewData() {
        assertThat(statusOf(subjectAt("FORWARD"), ADD_REQUIRED)).isEqualTo(200);
        assertThat(statusOf(subjectAt("FORWARD"), DROP_REQUIRED)).isEqualTo(409);
        assertThat(statusOf(subjectAt("FORWARD"), RETYPE)).isEqualTo(409);
        assertThat(statusOf(subjectAt("FORWARD"), ADD_WITH_DEFAULT)).isEqualTo(200);
    }

    @Test
    void fullNeedsBoth() {
        assertThat(statusOf(subjectAt("FULL"), ADD_REQUIRED)).isEqualTo(409);
        assertThat(statusOf(subjectAt("FULL"), DROP_REQUIRED)).isEqualTo(409);
        assertThat(statusOf(subjectAt("FULL"), ADD_WITH_DEFAULT)).isEqualTo(200);
    }

    @Test
    void noneAcceptsAnything() {
        String subject = subjectAt("NONE");
        assertThat(statusOf(subject, RETYPE)).isEqualTo(200);
        assertThat(statusOf(subject, DROP_REQUIRED)).isEqualTo(200);
        assertThat(http.get("/subjects/" + subject + "/versions").body()).isEqualTo("[1,2,3]");
    }

    /**
     * v1 {id, text}, v2 adds lang with a default, v3 makes lang required. v3 reads v2 data (lang is
     * there) but not v1 data (lang is missing and has no default): only the transitive level sees it.
     */
    @Test
    void transitiveLevelsCompareWithEveryLiveVersion() {
        String requireLang = record("Item", field("id", "string"), field("text", "string"), field("lang", "string"));
        String plain = subjectAt("BACKWARD");
        assertThat(statusOf(plain, ADD_WITH_DEFAULT)).isEqualTo(200);
        assertThat(statusOf(plain, requireLang)).isEqualTo(200);

        String transitive = subjectAt("BACKWARD_TRANSITIVE");
        assertThat(statusOf(transitive, ADD_WITH_DEFAULT)).isEqualTo(200);
        Reply refused = http.post("/subjects/" + transitive + "/versions", RegistryHttp.schemaBody(requireLang));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("message").asText()).contains("version 1").doesNotContain("version 2");
        // The compatibility endpoint agrees: fine against version 2 alone, not against the whole history.
        String check = "/compatibility/subjects/" + transitive + "/versions/";
        assertThat(http.post(check + "2", RegistryHttp.schemaBody(requireLang)).json().get("is_compatible").asBoolean())
            .isTrue();
        assertThat(http.post(check + "latest", RegistryHttp.schemaBody(requireLang)).json().get("is_compatible")
            .asBoolean()).isFalse();

        // Once version 1 is soft-deleted it no longer constrains the subject.
        assertThat(http.delete("/subjects/" + transitive + "/versions/1").status()).isEqualTo(200);
        assertThat(statusOf(transitive, requireLang)).isEqualTo(200);
    }

    /**
     * v1 requires text, v2 gives it a default, v3 drops it. A v2 reader copes with v3 data (default),
     * a v1 reader does not: plain FORWARD and FULL accept v3, their transitive forms refuse it.
     */
    @Test
    void forwardAndFullTransitiveCompareWithEveryLiveVersion() {
        String textWithDefault = record("Item", field("id", "string"), fieldWithDefault("text", "string", "\"\""));
        String dropText = record("Item", field("id", "string"));
        String plain = subjectAt("FORWARD");
        assertThat(statusOf(plain, textWithDefault)).isEqualTo(200);
        assertThat(statusOf(plain, dropText)).isEqualTo(200);

        String forward = subjectAt("FORWARD_TRANSITIVE");
        assertThat(statusOf(forward, textWithDefault)).isEqualTo(200);
        assertThat(statusOf(forward, dropText)).isEqualTo(409);

        String full = subjectAt("FULL");
        assertThat(statusOf(full, textWithDefault)).isEqualTo(200);
        assertThat(statusOf(full, dropText)).isEqualTo(200);

        String fullTransitive = subjectAt("FULL_TRANSITIVE");
        assertThat(statusOf(fullTransitive, textWithDefault)).isEqualTo(200);
        assertThat(statusOf(fullTransitive, dropText)).isEqualTo(409);
    }

    @Test
    void globalLevelAppliesWhereNoSubjectLevelIsSet() {
        String subject = SharedKafkaBroker.uniqueName("levels-global");
        http.register(subject, BASE);
        try {
            http.put("/config", "{\"compatibility\": \"NONE\"}");
            assertThat(statusOf(subject, RETYPE)).isEqualTo(200);
        } finally {
            http.put("/config", "{\"compatibility\": \"BACKWARD\"}");
        }
        assertThat(statusOf(subject, record("Item", field("id", "string"), field("text", "boolean")))).isEqualTo(409);
    }
}
