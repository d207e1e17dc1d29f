package io.prefstream.ingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.ingest.cli.IngestCommand;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.http.IngestServer;
import io.prefstream.ingest.pairing.PairingApp;
import io.prefstream.ingest.produce.PrefProducer;
import io.prefstream.ingest.testing.SharedRegistry;
import io.prefstream.ingest.testing.TopicReader;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedData;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The dedup of submitted pairs in the running ingest service on the in-process broker: the shared
 * HH-RLHF pairs sent over HTTP and then again through the command line, with the Streams app
 * restarted in between on an empty state directory, reach pairs.raw exactly once each.
 */
@ExtendWith({SharedKafkaBroker.class, SharedRegistry.class})
class PairDedupAppTest {
    private static final int HH_RLHF_VALID = 2303;

    @TempDir
    Path dir;

    @Test
    void theSharedPairsSentTwiceAcrossARestartReachPairsRawOnce(EmbeddedKafkaBroker broker, SchemaRegistryServer registry)
        throws Exception {
        Path file = SharedData.file(SharedData.HH_RLHF);
        Map<String, String> settings = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
            "schema.registry.url", registry.url(), "topic.prefix", SharedKafkaBroker.uniqueName("d") + ".",
            "topic.partitions", "3", IngestConfig.PAIRING_APPLICATION_ID, SharedKafkaBroker.uniqueName("dedup-app"),
            // Streams does not leave its group on close: the restarted member waits this long for the old one to expire
            "session.timeout.ms", "6000"));
        IngestConfig first = config(settings, "first");
        Topics topics = Topics.from(first);

        MeterRegistry firstMetrics = new SimpleMeterRegistry();
        Set<String> acceptedIds;
        byte[] poison = "not avro".getBytes(StandardCharsets.UTF_8);
        try (PairingApp app = PairingApp.start(first, topics, firstMetrics);
             PrefProducer producer = IngestServer.producer(first, topics);
             IngestServer server = IngestServer.start(first, producer, "127.0.0.1", 0)) {
            sendRaw(broker, topics.pairsSubmitted().name(), poison); // a foreign producer's record: dead-lettered
            JsonNode answer = postNdjson(server.url() + "/v1/pairs?format=hh-rlhf&partial=true", gunzip(file));
            acceptedIds = Set.copyOf(answer.get("accepted").findValuesAsText("pair_id"));
            assertThat(acceptedIds).hasSize(HH_RLHF_VALID);
            Await.until(Duration.ofSeconds(60), "the dedup under way", () -> forwarded(firstMetrics) > 0);
        } // closed as soon as it made progress, usually before it read every pair
        long forwardedBeforeRestart = forwarded(firstMetrics);

        // a new instance on an empty state directory: the seen ids come back from the store's changelog
        MeterRegistry secondMetrics = new SimpleMeterRegistry();
        IngestConfig second = config(settings, "second");
        try (PairingApp app = PairingApp.start(second, topics, secondMetrics)) {
            StringWriter out = new StringWriter();
            int code = new CommandLine(new IngestCommand()).setOut(new PrintWriter(out))
                .setErr(new PrintWriter(new StringWriter())).execute("--bootstrap", broker.bootstrapServers(),
                    "--registry", registry.url(), "--config", propertiesFile(settings).toString(), "--progress=off",
                    "--skip-invalid", "--format", "hh-rlhf", file.toString());
            assertThat(code).as(out.toString()).isZero();
            assertThat(out.toString()).contains("sent      2303");
            Await.until(Duration.ofSeconds(90), "every CLI copy judged a duplicate",
                () -> duplicates(secondMetrics), n -> n >= HH_RLHF_VALID);
        }

        List<ConsumerRecord<String, PreferencePair>> raw = TopicReader.readAll(broker.bootstrapServers(), topics.pairsRaw());
        assertThat(raw).as("read_committed records on pairs.raw").hasSize(HH_RLHF_VALID);
        assertThat(raw.stream().map(ConsumerRecord::key).collect(Collectors.toSet())).isEqualTo(acceptedIds);
        assertThat(TopicReader.readAll(broker.bootstrapServers(), topics.dlq(topics.pairsSubmitted())))
            .singleElement().satisfies(letter -> assertThat(letter.value().getOriginalValue().array()).isEqualTo(poison));
        assertThat(forwardedBeforeRestart + forwarded(secondMetrics))
            .as("forwarded before (%d) and after the restart", forwardedBeforeRestart).isEqualTo(HH_RLHF_VALID);
        assertThat(duplicates(firstMetrics)).isZero();
        assertThat(duplicates(secondMetrics)).isEqualTo(HH_RLHF_VALID);
        assertChangelogExpires(broker, settings.get(IngestConfig.PAIRING_APPLICATION_ID) + "-"
            + PairDedupProcessor.STORE + "-changelog", first.dedupRetention());
        topics.registry().close();
    }

    /** The store's changelog is compacted and expires with the retention (plus Streams' default extra day). */
    private static void assertChangelogExpires(EmbeddedKafkaBroker broker, String changelog, Duration retention)
        throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, changelog);
            Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact,delete");
            assertThat(Long.parseLong(config.get("retention.ms").value()))
                .isEqualTo(retention.plus(Duration.ofDays(1)).toMillis());
        }
    }

    private static void sendRaw(EmbeddedKafkaBroker broker, String topic, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
            broker.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private IngestConfig config(Map<String, String> settings, String stateDir) {
        Map<String, String> withState = new HashMap<>(settings);
        withState.put("state.dir", dir.resolve(stateDir).toString());
        return new IngestConfig(withState);
    }

    private Path propertiesFile(Map<String, String> settings) throws Exception {
        Path file = dir.resolve("cli.properties");
        Files.writeString(file, "topic.prefix=" + settings.get("topic.prefix") + "\ntopic.partitions=3\n");
        return file;
    }

    private static long forwarded(MeterRegistry metrics) {
        return (long) metrics.get(DedupMeters.SUBMITTED_PAIRS).tag("outcome", "forwarded").counter().count();
    }

    private static long duplicates(MeterRegistry metrics) {
        return (long) metrics.get(DedupMeters.SUBMITTED_PAIRS).tag("outcome", "duplicate").counter().count();
    }

    private static JsonNode postNdjson(String url, byte[] body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return new ObjectMapper().readTree(response.body());
    }

    private static byte[] gunzip(Path file) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }
}
