package io.prefstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.prefstream.schemas.Lineage;
import io.prefstream.schemas.registry.ConfluentShapedServer.Answer;

/** The HTTP client against a real HTTP server answering as a Confluent registry would. */
class HttpSchemaRegistryClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = Lineage.getClassSchema();
    private static final String SUBJECT = "prefstream.pairs.raw-value";
    private static final String VERSIONS_PATH = "/subjects/" + SUBJECT + "/versions";

    private ConfluentShapedServer server;

    @BeforeEach
    void start() throws IOException {
        server = new ConfluentShapedServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpSchemaRegistryClient client(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>();
        config.put(SchemaRegistryClientConfig.URL, server.url());
        config.put(SchemaRegistryClientConfig.RETRY_BACKOFF_MS, 1L);
        config.put(SchemaRegistryClientConfig.RETRY_BACKOFF_MAX_MS, 10L);
        config.putAll(extra);
        return new HttpSchemaRegistryClient(config);
    }

    private static String schemaJson(Schema schema) throws IOException {
        return JSON.writeValueAsString(Map.of("schema", schema.toString()));
    }

    @Test
    void registerSendsTheConfluentRequestAndCachesTheIdBothWays() throws IOException {
        server.answer("POST", VERSIONS_PATH, new Answer(200, "{\"id\":42}"));
        HttpSchemaRegistryClient client = client(Map.of());

        assertThat(client.register(SUBJECT, SCHEMA)).isEqualTo(42);
        assertThat(client.register(SUBJECT, SCHEMA)).isEqualTo(42);
        assertThat(client.getSchemaById(42)).isEqualTo(SCHEMA);
        assertThat(client.getId(SUBJECT, SCHEMA)).isEqualTo(42);

        assertThat(server.requests()).as("one request; everything else from the cache").hasSize(1);
        ConfluentShapedServer.Request request = server.requests().get(0);
        assertThat(request.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.header("Accept")).startsWith("application/vnd.schemaregistry.v1+json");
        assertThat(JSON.readTree(request.body()).get("schema").asText()).isEqualTo(SCHEMA.toString());
        assertThat(request.header("Authorization")).as("no credentials configured").isNull();
    }

    @Test
    void schemasFetchedByIdAreCached() throws IOException {
        server.answer("GET", "/schemas/ids/7", new Answer(200, schemaJson(SCHEMA)));
        HttpSchemaRegistryClient client = client(Map.of());

        assertThat(client.getSchemaById(7)).isEqualTo(SCHEMA);
        assertThat(client.getSchemaById(7)).isEqualTo(SCHEMA);
        assertThat(server.count("GET", "/schemas/ids/7")).isEqualTo(1);
    }

    @Test
    void lookupLatestVersionsSubjectsAndCompatibilityAreParsed() throws IOException {
        String versionAnswer = JSON.writeValueAsString(Map.of("subject", SUBJECT, "version", 3, "id", 9,
            "schema", SCHEMA.toString()));
        server.answer("GET", VERSIONS_PATH + "/latest", new Answer(200, versionAnswer))
            .answer("GET", VERSIONS_PATH, new Answer(200, "[1,2,3]"))
            .answer("GET", "/subjects", new Answer(200, "[\"a-value\",\"" + SUBJECT + "\"]"))
            .answer("POST", "/subjects/" + SUBJECT, new Answer(200, versionAnswer))
            .answer("POST", "/compatibility/subjects/" + SUBJECT + "/versions/latest",
                new Answer(200, "{\"is_compatible\":false}"))
            .answer("POST", "/compatibility/subjects/new-value/versions/latest",
                new Answer(404, "{\"error_code\":40401,\"message\":\"Subject 'new-value' not found.\"}"));
        HttpSchemaRegistryClient client = client(Map.of());

        assertThat(client.getLatest(SUBJECT)).isEqualTo(new RegisteredSchema(SUBJECT, 3, 9, SCHEMA));
        assertThat(client.getVersions(SUBJECT)).containsExactly(1, 2, 3);
        assertThat(client.getSubjects()).containsExactly("a-value", SUBJECT);
        assertThat(client.getId(SUBJECT, SCHEMA)).isEqualTo(9);
        assertThat(client.testCompatibility(SUBJECT, SCHEMA)).isFalse();
        assertThat(client.testCompatibility("new-value", SCHEMA)).as("nothing registered yet").isTrue();
        assertThat(client.getSchemaById(9)).as("cached from the latest-version answer").isEqualTo(SCHEMA);
        assertThat(server.count("GET", "/schemas/ids/9")).isZero();
    }

    @Test
    void basicAuthCredentialsAreSentOnEveryRequest() {
        server.answer("GET", "/subjects", new Answer(200, "[]"));
        client(Map.of(SchemaRegistryClientConfig.BASIC_AUTH_USER_INFO, "alice:s3cret:with-colon")).getSubjects();
        client(Map.of(SchemaRegistryClientConfig.PREFIXED_BASIC_AUTH_USER_INFO, "bob:pw")).getSubjects();

        String alice = Base64.getEncoder().encodeToString("alice:s3cret:with-colon".getBytes(StandardCharsets.UTF_8));
        String bob = Base64.getEncoder().encodeToString("bob:pw".getBytes(StandardCharsets.UTF_8));
        assertThat(server.requests()).extracting(r -> r.header("Authorization"))
            .containsExactly("Basic " + alice, "Basic " + bob);
    }

    @Test
    void serverErrorsAreRetriedUntilSuccess() {
        server.answer("POST", VERSIONS_PATH,
            new Answer(503, "{\"error_code\":50003,\"message\":\"Error while forwarding the request to the leader\"}"),
            new Answer(500, "<html>proxy error</html>"),
            new Answer(200, "{\"id\":5}"));

        assertThat(client(Map.of()).register(SUBJECT, SCHEMA)).isEqualTo(5);
        assertThat(server.count("POST", VERSIONS_PATH)).isEqualTo(3);
    }

    @Test
    void persistentServerErrorsGiveUpAfterTheConfiguredRetries() {
        server.answer("GET", "/schemas/ids/1",
            new Answer(503, "{\"error_code\":50001,\"message\":\"Error in the backend data store\"}"));
        HttpSchemaRegistryClient client = client(Map.of(SchemaRegistryClientConfig.MAX_RETRIES, 2));

        assertThatThrownBy(() -> client.getSchemaById(1))
            .isInstanceOfSatisfying(SchemaRegistryUnavailableException.class, e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.errorCode()).isEqualTo(50001);
                assertThat(e.getMessage()).contains("after 3 attempts").contains("Error in the backend data store");
            });
        assertThat(server.count("GET", "/schemas/ids/1")).isEqualTo(3);
    }

    @Test
    void clientErrorsFailAtOnceWithStatusCodeAndMessage() {
        server.answer("GET", "/schemas/ids/404", new Answer(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}"))
            .answer("POST", VERSIONS_PATH, new Answer(409, "{\"error_code\":409,\"message\":\"Schema being registered "
                + "is incompatible with an earlier schema\"}"))
            .answer("GET", "/subjects/nope/versions/latest",
                new Answer(404, "{\"error_code\":40401,\"message\":\"Subject 'nope' not found.\"}"))
            .answer("GET", "/subjects", new Answer(401, "Unauthorized"));
        HttpSchemaRegistryClient client = client(Map.of());

        assertThatThrownBy(() -> client.getSchemaById(404)).isExactlyInstanceOf(SchemaRegistryException.class)
            .satisfies(e -> {
                SchemaRegistryException error = (SchemaRegistryException) e;
                assertThat(error.status()).isEqualTo(404);
                assertThat(error.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
                assertThat(error.isNotFound()).isTrue();
                assertThat(error.getMessage()).contains("GET " + server.url() + "/schemas/ids/404")
                    .contains("HTTP 404").contains("40403").contains("Schema not found");
            });
        assertThatThrownBy(() -> client.register(SUBJECT, SCHEMA))
            .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                assertThat(e.status()).isEqualTo(409);
                assertThat(e.getMessage()).contains("incompatible");
            });
        assertThatThrownBy(() -> client.getLatest("nope"))
            .isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
        assertThatThrownBy(client::getSubjects)
            .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.getMessage()).contains("Unauthorized");
            });
        assertThat(server.requests()).as("4xx answers are not retried").hasSize(4);
    }

    @Test
    void connectionErrorsMoveToTheNextUrl() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        server.answer("GET", "/subjects", new Answer(200, "[\"x-value\"]"));
        HttpSchemaRegistryClient client = client(Map.of(SchemaRegistryClientConfig.URL,
            "http://127.0.0.1:" + deadPort + "," + server.url()));

        assertThat(client.getSubjects()).containsExactly("x-value");
    }

    @Test
    void anUnreachableRegistryIsReportedAsUnavailable() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        HttpSchemaRegistryClient client = client(Map.of(SchemaRegistryClientConfig.URL, "http://127.0.0.1:" + deadPort,
            SchemaRegistryClientConfig.MAX_RETRIES, 1));

        assertThatThrownBy(client::getSubjects)
            .isInstanceOfSatisfying(SchemaRegistryUnavailableException.class, e -> {
                assertThat(e.status()).isEqualTo(SchemaRegistryException.NONE);
                assertThat(e.getMessage()).contains("after 2 attempts").contains("ConnectException");
            });
    }

    @Test
    void nonAvroSchemasAreRefused() throws IOException {
        server.answer("GET", "/schemas/ids/3", new Answer(200,
            JSON.writeValueAsString(Map.of("schema", "syntax = \"proto3\";", "schemaType", "PROTOBUF"))));

        assertThatThrownBy(() -> client(Map.of()).getSchemaById(3))
            .isInstanceOf(SchemaRegistryException.class).hasMessageContaining("PROTOBUF schema, not AVRO");
    }

    @Test
    void subjectsAreEscapedInPaths() {
        server.answer("GET", "/subjects/a%20b%2Fc/versions", new Answer(200, "[1]"));
        assertThat(client(Map.of()).getVersions("a b/c")).isEqualTo(List.of(1));
    }
}
