package io.prefstream.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.produce.PrefProducer;
import io.prefstream.ingest.produce.TopicProvisioner;
import io.prefstream.ingest.testing.SharedRegistry;
import io.prefstream.ingest.testing.TopicReader;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.topic.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka unavailable: the endpoint answers 503 with Retry-After, never 202, and every id it did
 * answer 202 for is on the topic once the broker is back. The stop/restart needs a broker of its
 * own (the shared one must stay up); the registry stays on the shared broker.
 */
@ExtendWith({SharedKafkaBroker.class, SharedRegistry.class})
class KafkaOutageHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static HttpResponse<String> post(String url, String ndjson) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/generations"))
            .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(ndjson)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static String batch(int request, int size) {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < size; i++) {
            ndjson.append("{\"instruction\":\"prompt ").append(request).append("\",\"output\":\"answer ").append(i)
                .append("\",\"generator\":\"m\"}\n");
        }
        return ndjson.toString();
    }

    @Test
    void unreachableKafkaGets503WithRetryAfter(SchemaRegistryServer registry) throws Exception {
        IngestConfig config = new IngestConfig(Map.of("bootstrap.servers", "127.0.0.1:1", "schema.registry.url", registry.url(),
            "ingest.http.ack.timeout.ms", "1500", "ingest.http.retry.after.seconds", "7"));
        Topics topics = Topics.from(config);
        try (PrefProducer producer = IngestServer.producer(config, topics);
             IngestServer server = IngestServer.start(config, producer, "127.0.0.1", 0)) {
            long start = System.nanoTime();
            HttpResponse<String> response = post(server.url(), batch(0, 3));

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(JSON.readTree(response.body()).get("error").asText()).startsWith("Kafka unavailable");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        } finally {
            topics.registry().close();
        }
    }

    @Test
    void brokerStoppedMidTrafficGives503NeverALostAcknowledgement(SchemaRegistryServer registry) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        EmbeddedKafkaBroker own = new EmbeddedKafkaBroker(dir.resolve("kafka"), port).start();
        IngestConfig config = new IngestConfig(Map.of("bootstrap.servers", own.bootstrapServers(),
            "schema.registry.url", registry.url(), "topic.prefix", SharedKafkaBroker.uniqueName("o") + ".",
            "topic.partitions", "1", "ingest.http.ack.timeout.ms", "2000", "ingest.http.retry.after.seconds", "1"));
        Topics topics = Topics.from(config);
        TopicProvisioner.ensure(config.kafkaClientProperties(), List.of(topics.generations()), config.startupTimeout());
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try (PrefProducer producer = IngestServer.producer(config, topics);
             IngestServer server = IngestServer.start(config, producer, "127.0.0.1", 0)) {
            HttpResponse<String> before = post(server.url(), batch(-1, 5));
            assertThat(before.statusCode()).isEqualTo(202);

            List<Future<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int request = 0; request < 12; request++) {
                String body = batch(request, 40);
                inFlight.add(clients.submit(() -> post(server.url(), body)));
            }
            own.close(); // while those requests are being served
            HttpResponse<String> whileDown = post(server.url(), batch(100, 5));
            assertThat(whileDown.statusCode()).isEqualTo(503);
            assertThat(whileDown.headers().firstValue("Retry-After")).hasValue("1");

            Set<String> acknowledged = new HashSet<>(responseIds(before));
            List<String> toRetry = new ArrayList<>();
            for (int request = 0; request < inFlight.size(); request++) {
                HttpResponse<String> response = inFlight.get(request).get();
                assertThat(response.statusCode()).isIn(202, 503);
                if (response.statusCode() == 202) {
                    acknowledged.addAll(responseIds(response));
                } else {
                    toRetry.add(batch(request, 40));
                }
            }
            toRetry.add(batch(100, 5));

            own.start();
            for (String body : toRetry) {
                HttpResponse<String> retried = Await.until(Duration.ofSeconds(60), "a 202 after the broker is back",
                    () -> {
                        try {
                            return post(server.url(), body);
                        } catch (IOException | InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    }, response -> response.statusCode() == 202);
                acknowledged.addAll(responseIds(retried));
            }

            Set<String> onTopic = new HashSet<>();
            TopicReader.readAll(own.bootstrapServers(), topics.generations()).forEach(r -> onTopic.add(r.value().getResponseId()));
            assertThat(onTopic).containsAll(acknowledged);
            assertThat(acknowledged).hasSize(5 + 12 * 40 + 5);
        } finally {
            clients.shutdownNow();
            topics.registry().close();
            own.close();
        }
    }

    private static List<String> responseIds(HttpResponse<String> response) throws IOException {
        JsonNode body = JSON.readTree(response.body());
        return body.get("accepted").findValuesAsText("response_id");
    }
}
