package io.prefstream.labeler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.prefstream.inference.reference.ReferenceInferenceServer;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.RegistryOptions;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.LabeledPair;
import io.prefstream.schemas.ScoredPair;
import io.prefstream.schemas.topic.Topics;

/**
 * The stage in a child JVM ({@code RunLabelerCommand --config FILE}, as {@code prefstream run labeler} runs
 * it), killed with SIGKILL (destroyForcibly) mid-stream three times and restarted
 * each time: read_committed, pairs.labeled holds exactly one record per input pair, and the judge calls
 * the reference server counted stay within the expected calls plus what can be in flight at each kill.
 */
@ExtendWith(SharedKafkaBroker.class)
class LabelerCrashTest {
    private static final int PAIRS = 5_000;
    private static final int KILLS = 3;
    private static final int PARTITIONS = 3;
    private static final int SAMPLES = 3;
    private static final int MAX_PENDING = 64;

    @Test
    void exactlyOneLabelPerPairAcrossRepeatedSigkills(EmbeddedKafkaBroker broker, @TempDir Path dir)
        throws IOException, InterruptedException {
        String id = SharedKafkaBroker.uniqueName("labeler-crash");
        String bootstrap = broker.bootstrapServers();
        ReferenceServerSettings serverSettings = ReferenceServerSettings.defaults().withLatency(2, 0).withCapacity(64, 4);
        try (ReferenceInferenceServer server = ReferenceInferenceServer.start(serverSettings);
             SchemaRegistryServer registry = SchemaRegistryServer.start(bootstrap, 0,
                 RegistryOptions.defaults().withTopic("_schemas-" + id))) {
            Properties settings = new Properties();
            settings.put("bootstrap.servers", bootstrap);
            settings.put("schema.registry.url", registry.url());
            settings.put("topic.prefix", id + ".");
            settings.put("topic.partitions", Integer.toString(PARTITIONS));
            settings.put("inference.endpoints", server.address());
            settings.put(LabelerConfig.SAMPLES_PER_JUDGE, Integer.toString(SAMPLES));
            settings.put(LabelerConfig.MAX_PENDING_RECORDS, Integer.toString(MAX_PENDING));
            settings.put(StreamsConfig.APPLICATION_ID_CONFIG, id);
            // the bound below counts the calls in flight at a kill; answers received but not yet committed
            // are redone too, so keep that window small (the stage's default is 500 ms, see LabelerConfig)
            settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
            settings.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
            settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "6000");
            settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), "1000");
            settings.put("metrics.port", "0");
            Path configFile = dir.resolve("labeler.properties");
            try (Writer out = Files.newBufferedWriter(configFile)) {
                settings.store(out, "labeler crash test");
            }
            Map<String, String> asMap = new HashMap<>();
            settings.forEach((k, v) -> asMap.put((String) k, (String) v));
            LabelerConfig config = new LabelerConfig(asMap);
            Topics topics = Topics.from(config);
            try (Admin admin = Admin.create(config.kafkaClientProperties())) {
                topics.createMissing(admin, Duration.ofSeconds(30));
            }
            List<ScoredPair> pairs = RealPairs.alpacaEval(PAIRS);
            assertThat(pairs).hasSize(PAIRS);
            KafkaTestIo.produce(bootstrap, topics.pairsAdjudicate(), pairs);

            Path logs = Files.createDirectories(Path.of("target", "labeler-crash-logs"));
            long start = System.nanoTime();
            try (KafkaConsumer<byte[], byte[]> progress = uncommittedReader(bootstrap, topics.pairsLabeled().name())) {
                long seen = 0;
                for (int kill = 1; kill <= KILLS; kill++) {
                    Process child = startChild(configFile, logs.resolve("child-" + kill + ".log"));
                    long target = seen + 900;
                    long[] count = {seen};
                    Await.until(Duration.ofSeconds(120), "run " + kill + " to write past " + target + " records", () -> {
                        count[0] += progress.poll(Duration.ofMillis(100)).count();
                        return count[0] >= target || !child.isAlive();
                    });
                    assertThat(child.isAlive()).as("child " + kill + " still running when killed").isTrue();
                    child.destroyForcibly();
                    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    seen = count[0];
                    System.out.printf("labeler crash test: SIGKILL %d after %d records written (aborted ones included)%n",
                        kill, seen);
                    assertThat(seen).as("killed mid-stream").isLessThan(PAIRS);
                }
            }

            Process last = startChild(configFile, logs.resolve("child-final.log"));
            List<ConsumerRecord<String, LabeledPair>> labeled;
            try {
                labeled = KafkaTestIo.readCommitted(bootstrap, topics.pairsLabeled(), PAIRS, Duration.ofSeconds(300),
                    Duration.ofSeconds(3));
            } finally {
                last.destroy();
                last.waitFor(30, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - start) / 1e9;

            Map<String, Long> perPair = labeled.stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
            assertThat(perPair.keySet()).containsExactlyInAnyOrderElementsOf(
                pairs.stream().map(p -> p.getPair().getPairId()).toList());
            assertThat(perPair.values()).as("exactly one labelled record per pair").containsOnly(1L);
            assertThat(labeled).hasSize(PAIRS);

            int callsPerPair = 1 + SAMPLES;
            long expected = (long) PAIRS * callsPerPair;
            long inFlightBound = (long) KILLS * PARTITIONS * MAX_PENDING * callsPerPair;
            long calls = LabelerIntegrationTest.judgeRequests(server);
            System.out.printf("labeler crash test: %d pairs, %d SIGKILLs, %d labelled records (read_committed), "
                    + "judge calls %d = expected %d + %d repeated (bound %d), %.1f s%n", PAIRS, KILLS, labeled.size(),
                calls, expected, calls - expected, inFlightBound, seconds);
            assertThat(calls).isBetween(expected, expected + inFlightBound);
        }
    }

    private static KafkaConsumer<byte[], byte[]> uncommittedReader(String bootstrap, String topic) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG, SharedKafkaBroker.uniqueName("progress"),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static Process startChild(Path configFile, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx384m", "-cp", System.getProperty("java.class.path"), RunLabelerCommand.class.getName(),
            "--config", configFile.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
