package io.prefstream.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefstream.ingest.cli.IngestCommand;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.produce.PrefProducer;
import io.prefstream.ingest.produce.TopicProvisioner;
import io.prefstream.ingest.testing.SharedRegistry;
import io.prefstream.ingest.testing.TopicReader;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.SharedData;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The HTTP endpoint over real HTTP, on the shared broker and registry, with what reached the topics
 * checked: generations, and pairs.submitted, where the endpoint writes pairs (their dedup into pairs.raw
 * by the ingest service's Streams app is tested in {@code PairDedupAppTest}).
 */
@ExtendWith({SharedKafkaBroker.class, SharedRegistry.class})
class IngestHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    /** A running endpoint with its own topics, closed by the test. */
    record Endpoint(IngestServer server, PrefProducer producer, Topics topics, IngestConfig config, String bootstrap)
        implements AutoCloseable {
        long records(boolean pairs) {
            return pairs ? TopicReader.readAll(bootstrap, topics.pairsSubmitted()).size()
                : TopicReader.readAll(bootstrap, topics.generations()).size();
        }

        @Override
        public void close() {
            server.close();
            producer.close();
            topics.registry().close();
        }
    }

    static Endpoint endpoint(EmbeddedKafkaBroker broker, SchemaRegistryServer registry, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
            "schema.registry.url", registry.url(), "topic.prefix", SharedKafkaBroker.uniqueName("h") + ".",
            "topic.partitions", "2"));
        settings.putAll(extra);
        IngestConfig config = new IngestConfig(settings);
        Topics topics = Topics.from(config);
        TopicProvisioner.ensure(config.kafkaClientProperties(), List.of(topics.generations(), topics.pairsSubmitted()),
            config.startupTimeout());
        PrefProducer producer = IngestServer.producer(config, topics);
        return new Endpoint(IngestServer.start(config, producer, "127.0.0.1", 0), producer, topics, config,
            broker.bootstrapServers());
    }

    record Answer(int status, JsonNode body, HttpResponse<String> raw) {}

    static Answer post(Endpoint endpoint, String pathAndQuery, String contentType, byte[] body, String... headers)
        throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.server().url() + pathAndQuery))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()), response);
    }

    static Answer post(Endpoint endpoint, String pathAndQuery, String contentType, String body, String... headers)
        throws IOException, InterruptedException {
        return post(endpoint, pathAndQuery, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    @Test
    void hhRlhfThroughNdjsonGivesTheSameRecordsAsTheCommandLine(EmbeddedKafkaBroker broker, SchemaRegistryServer registry)
        throws Exception {
        Path file = SharedData.file(SharedData.HH_RLHF);
        try (Endpoint http = endpoint(broker, registry, Map.of())) {
            byte[] ndjson = gunzip(file);
            Answer strict = post(http, "/v1/pairs?format=hh-rlhf", "application/x-ndjson", ndjson);
            assertThat(strict.status()).isEqualTo(400);
            assertThat(strict.body().get("rejected")).hasSize(9);
            assertThat(http.records(true)).as("nothing of a refused request is written").isZero();

            Answer partial = post(http, "/v1/pairs?format=hh-rlhf&partial=true&source=hh-rlhf-harmless-base-test",
                "application/x-ndjson", ndjson);
            assertThat(partial.status()).isEqualTo(202);
            assertThat(partial.body().get("accepted")).hasSize(2303);
            assertThat(partial.body().get("rejected")).hasSize(9);
            assertThat(partial.body().get("rejected").get(0).get("index").asInt()).as("line 87 is item 86").isEqualTo(86);
            assertThat(partial.body().get("rejected").get(0).get("field").asText()).isEqualTo("chosen");
            assertThat(partial.body().get("rejected").get(0).get("reason").asText()).isEqualTo("empty text");

            Map<String, String> cliSettings = Map.of("topic.prefix", SharedKafkaBroker.uniqueName("c") + ".");
            Path config = dir.resolve("cli.properties");
            Files.writeString(config, "topic.prefix=" + cliSettings.get("topic.prefix") + "\n");
            int code = new CommandLine(new IngestCommand()).setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(new StringWriter())).execute("--bootstrap", broker.bootstrapServers(),
                    "--registry", registry.url(), "--config", config.toString(), "--progress=off", "--skip-invalid",
                    "--format", "hh-rlhf", file.toString());
            assertThat(code).isZero();
            Topics cliTopics = Topics.from(new IngestConfig(Map.of("schema.registry.url", registry.url(),
                "topic.prefix", cliSettings.get("topic.prefix"))));
            Set<List<Object>> viaCli = comparable(TopicReader.readAll(broker.bootstrapServers(), cliTopics.pairsSubmitted()));
            Set<List<Object>> viaHttp = comparable(TopicReader.readAll(broker.bootstrapServers(), http.topics().pairsSubmitted()));
            cliTopics.registry().close();
            assertThat(viaHttp).hasSize(2303).isEqualTo(viaCli);
            Set<String> answeredIds = Set.copyOf(partial.body().get("accepted").findValuesAsText("pair_id"));
            assertThat(answeredIds).isEqualTo(viaHttp.stream().map(r -> (String) r.get(0)).collect(Collectors.toSet()));
        }
    }

    /** Everything but the creation time and the CLI's line number. */
    private static Set<List<Object>> comparable(List<ConsumerRecord<String, PreferencePair>> records) {
        return records.stream().map(r -> {
            PreferencePair p = r.value();
            return List.<Object>of(p.getPairId(), r.key(), p.getPromptId(), p.getPrompt(), p.getChosen(), p.getRejected(),
                p.getLabelSource(), p.getSource());
        }).collect(Collectors.toSet());
    }

    @Test
    void alpacaEvalThroughNdjsonGives4830Generations(EmbeddedKafkaBroker broker, SchemaRegistryServer registry) throws Exception {
        try (Endpoint http = endpoint(broker, registry, Map.of())) {
            Answer answer = post(http, "/v1/generations?source=alpaca-eval", "application/x-ndjson",
                gunzip(SharedData.file(SharedData.ALPACA_EVAL)));

            assertThat(answer.status()).isEqualTo(202);
            assertThat(answer.body().get("accepted")).hasSize(4830);
            assertThat(Set.copyOf(answer.body().get("accepted").findValuesAsText("response_id"))).hasSize(4819);
            assertThat(http.records(false)).isEqualTo(4830);
        }
    }

    @Test
    void badInputCorpusGetsAReasonForEveryClassAndWritesNothing(EmbeddedKafkaBroker broker, SchemaRegistryServer registry)
        throws Exception {
        try (Endpoint http = endpoint(broker, registry, Map.of("ingest.max.text.bytes", "1000",
            "ingest.http.max.request.bytes", "20000"))) {
            String pairs = "/v1/pairs";
            String json = "application/json";
            assertRefused(post(http, pairs, json, "{\"prompt\": \"q\", \"chosen\": "), 400, "record", "malformed JSON");
            assertRefused(post(http, pairs, json, "{\"prompt\":\"q\",\"chosen\":5,\"rejected\":\"b\"}"), 400, "chosen",
                "expected a string or a list of messages, got number");
            assertRefused(post(http, pairs, json, "{\"prompt\":\"q\",\"chosen\":\"a\"}"), 400, "rejected", "required");
            assertRefused(post(http, pairs, json, "{\"prompt\":\"q\",\"chosen\":\"  \",\"rejected\":\"b\"}"), 400, "chosen",
                "empty text");
            assertRefused(post(http, pairs, json, "{\"prompt\":\"q\",\"chosen\":\"" + "x".repeat(1001) + "\",\"rejected\":\"b\"}"),
                413, "chosen", "1001 bytes exceeds the limit of 1000 bytes per text");
            assertRefused(post(http, pairs, json, "{\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"a\"}"), 400, "rejected",
                "identical to chosen");
            assertRefused(post(http, pairs, json, "{\"prompt\":[{\"role\":\"bot\",\"content\":\"q\"}],\"chosen\":\"a\",\"rejected\":\"b\"}"),
                400, "prompt[0].role", "unknown role \"bot\" (known: system, user, assistant)");
            assertRefused(post(http, pairs, json, "{\"prompt\":\"q\\ud800\",\"chosen\":\"a\",\"rejected\":\"b\"}"), 400,
                "prompt[0].content", "not valid UTF-8: unpaired surrogate U+D800 at character 1");
            byte[] badUtf8 = "{\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
            assertRefused(post(http, pairs, json, badUtf8), 400, "record", "not valid UTF-8");
            Answer batch = post(http, pairs, "application/x-ndjson", "{\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
                + "{\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\n" + "[1]\n");
            assertRefused(batch, 400, "record", "malformed JSON");
            assertThat(batch.body().get("rejected")).extracting(p -> p.get("index").asInt() + " " + p.get("reason").asText())
                .containsExactly("1 " + batch.body().get("rejected").get(0).get("reason").asText(),
                    "2 expected a JSON object, got array");
            assertRefused(post(http, "/v1/generations", json, "{\"instruction\":\"q\",\"output\":\"a\"}"), 400, "generator|model",
                "required");

            Answer tooBig = post(http, pairs, "application/x-ndjson", "{\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\"}\n".repeat(500));
            assertThat(tooBig.status()).isEqualTo(413);
            assertThat(tooBig.body().get("error").asText()).contains("request body exceeds the limit of 20000 bytes");
            // over a megabyte: refused on its Content-Length, still read to its end so the client gets the 413
            Answer huge = post(http, pairs, "application/x-ndjson", "{\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\"}\n"
                .repeat(25_000));
            assertThat(huge.status()).isEqualTo(413);

            Answer text = post(http, pairs, "text/plain", "{}");
            assertThat(text.status()).isEqualTo(415);
            assertThat(text.body().get("error").asText()).contains("unsupported Content-Type text/plain");
            assertThat(post(http, pairs, "application/json; charset=latin1", "{}").status()).isEqualTo(415);
            assertThat(post(http, pairs, json, "").status()).isEqualTo(400);

            assertThat(http.records(true)).as("no refused request wrote anything").isZero();
            assertThat(http.records(false)).isZero();

            Answer unknownFields = post(http, pairs, json, "{\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\",\"score\":3,\"id\":\"x\"}");
            assertThat(unknownFields.status()).as("unknown fields are ignored").isEqualTo(202);
            assertThat(http.records(true)).isEqualTo(1);
        }
    }

    private static void assertRefused(Answer answer, int status, String field, String reason) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(status);
        assertThat(answer.body().get("error").asText()).contains("nothing was written");
        assertThat(answer.body().get("rejected")).anySatisfy(problem -> {
            assertThat(problem.get("field").asText()).isEqualTo(field);
            assertThat(problem.get("reason").asText()).contains(reason);
        });
    }

    @Test
    void partialWritesTheValidItemsAndNamesTheOthersByIndex(EmbeddedKafkaBroker broker, SchemaRegistryServer registry)
        throws Exception {
        try (Endpoint http = endpoint(broker, registry, Map.of())) {
            String body = "{\"instruction\":\"q\",\"output\":\"a\",\"generator\":\"m\"}\n\n"
                + "{\"instruction\":\"q\",\"output\":\"\",\"generator\":\"m\"}\n"
                + "{\"prompt\":[{\"role\":\"user\",\"content\":\"q\"}],\"response\":\"b\",\"model\":\"m2\"}\n";
            Answer answer = post(http, "/v1/generations?partial=true", "application/x-ndjson", body);

            assertThat(answer.status()).isEqualTo(202);
            assertThat(answer.body().get("accepted").findValuesAsText("index")).containsExactly("0", "2");
            assertThat(answer.body().get("accepted").get(0).get("prompt_id").asText())
                .isEqualTo(answer.body().get("accepted").get(1).get("prompt_id").asText());
            assertThat(answer.body().get("rejected")).singleElement().satisfies(p -> {
                assertThat(p.get("index").asInt()).isEqualTo(1);
                assertThat(p.get("field").asText()).isEqualTo("response");
                assertThat(p.get("reason").asText()).isEqualTo("empty text");
            });
            assertThat(http.records(false)).isEqualTo(2);
        }
    }

    @Test
    void bearerTokenHealthAndOpenApi(EmbeddedKafkaBroker broker, SchemaRegistryServer registry) throws Exception {
        try (Endpoint http = endpoint(broker, registry, Map.of("ingest.http.auth.token", "s3cret"))) {
            String pair = "{\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\"}";
            Answer none = post(http, "/v1/pairs", "application/json", pair);
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(post(http, "/v1/pairs", "application/json", pair, "Authorization", "Bearer wrong").status()).isEqualTo(403);
            Answer ok = post(http, "/v1/pairs", "application/json", pair, "Authorization", "Bearer s3cret");
            assertThat(ok.status()).isEqualTo(202);
            assertThat(ok.body().get("accepted").get(0).get("pair_id").asText()).hasSize(64);

            HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(http.server().url() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> openapi = HTTP.send(HttpRequest.newBuilder(URI.create(http.server().url() + "/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(openapi.statusCode()).isEqualTo(200);
            JsonNode document = JSON.readTree(openapi.body());
            assertThat(document.get("openapi").asText()).startsWith("3.");
            assertThat(document.get("paths").has("/v1/generations")).isTrue();
            assertThat(document.get("paths").has("/v1/pairs")).isTrue();

            HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(http.server().url() + "/v1/pairs"))
                .header("Authorization", "Bearer s3cret").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(405);
            HttpResponse<String> missing = HTTP.send(HttpRequest.newBuilder(URI.create(http.server().url() + "/v2/x")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
        }
    }
}
