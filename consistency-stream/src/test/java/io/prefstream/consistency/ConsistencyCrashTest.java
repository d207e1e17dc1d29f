package io.prefstream.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.prefstream.inference.client.InferenceClient;
import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.proto.ModelStatistics;
import io.prefstream.inference.reference.ReferenceInferenceServer;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.ops.OpsServerConfig;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.RegistryOptions;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.topic.Topic;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.schemas.topic.TopicsConfig;

/**
 * The stage in a child JVM, killed with SIGKILL ({@link Process#destroyForcibly()}) at least three
 * times mid-stream and restarted each time over the same state directory, as a pod would be. After
 * a last run to completion, read_committed consumers see exactly one decision (pairs.curated or
 * pairs.adjudicate) per input pair. RM calls are counted at the reference server.
 */
@ExtendWith(SharedKafkaBroker.class)
class ConsistencyCrashTest {
    private static final int KILLS = 3;
    private static final int MAX_PENDING = 200;

    @TempDir
    Path dir;

    @Test
    void exactlyOneDecisionPerPairAfterRepeatedSigkills(EmbeddedKafkaBroker broker) throws Exception {
        List<PreferencePair> pairs = new ArrayList<>(SharedPairs.hhRlhf());
        pairs.addAll(SharedPairs.alpacaEvalAllPairs().subList(0, 3_000));
        long distinctResponses = SharedPairs.distinctResponses(pairs);
        String bootstrap = broker.bootstrapServers();

        try (SchemaRegistryServer registry = SchemaRegistryServer.start(bootstrap, 0,
                 RegistryOptions.defaults().withTopic(SharedKafkaBroker.uniqueName("_schemas")));
             ReferenceInferenceServer server = ReferenceInferenceServer.start(
                 // Slow enough (about 1,000 responses/s) that the kills land while reward calls are in flight.
                 ReferenceServerSettings.defaults().withLatency(30, 0).withCapacity(16, 2));
             InferenceClient statistics = new InferenceClient(
                 new InferenceConfig(Map.of(PrefStreamConfig.INFERENCE_ENDPOINTS, server.address())),
                 new SimpleMeterRegistry())) {
            Properties settings = new Properties();
            settings.put(PrefStreamConfig.BOOTSTRAP_SERVERS, bootstrap);
            settings.put(PrefStreamConfig.SCHEMA_REGISTRY_URL, registry.url());
            settings.put(PrefStreamConfig.INFERENCE_ENDPOINTS, server.address());
            settings.put(PrefStreamConfig.TOPIC_PREFIX, SharedKafkaBroker.uniqueName("crash") + ".");
            settings.put(TopicsConfig.PARTITIONS, "3");
            settings.put(TopicsConfig.REPLICATION_FACTOR, "1");
            settings.put(StreamsConfig.APPLICATION_ID_CONFIG, SharedKafkaBroker.uniqueName("consistency-crash"));
            settings.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
            settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
            // Static membership: a restarted child takes its partitions back without waiting out the session.
            settings.put("group.instance.id", "consistency-crash-child");
            settings.put(ConsistencyConfig.MAX_PENDING_RECORDS, Integer.toString(MAX_PENDING));
            // each child serves its ops endpoint on a free port, never the deployment default 9400
            settings.put(OpsServerConfig.PORT, "0");
            Path configFile = dir.resolve("consistency.properties");
            try (OutputStream out = Files.newOutputStream(configFile)) {
                settings.store(out, "crash test child");
            }
            Map<String, Object> asMap = new HashMap<>();
            settings.forEach((k, v) -> asMap.put((String) k, v));
            Topics topics = Topics.from(new ConsistencyConfig(asMap));

            // The first child creates the topics; the pairs go in once they exist.
            List<Integer> killedAt = new ArrayList<>();
            Process child = startChild(configFile, 0);
            Await.until(Duration.ofSeconds(60), "the topics", () -> topicExists(bootstrap, topics.pairsRaw().name()));
            TopicIO.send(bootstrap, topics.pairsRaw(), pairs);
            for (int kill = 1; kill <= KILLS; kill++) {
                long target = (long) pairs.size() * kill / (KILLS + 2);
                Process running = child;
                Await.until(Duration.ofMinutes(3), "progress past " + target + " decisions before kill " + kill,
                    () -> {
                        assertThat(running.isAlive()).as("child alive (see target/crash-child-*.log)").isTrue();
                        return decisionsWritten(bootstrap, topics) >= target;
                    });
                killedAt.add((int) decisionsWritten(bootstrap, topics));
                child.destroyForcibly().waitFor();
                child = startChild(configFile, kill);
            }
            Map<String, Integer> perPair;
            try {
                perPair = Await.until(Duration.ofMinutes(4), "every pair decided", () -> decisions(bootstrap, topics),
                    decided -> decided.total() >= pairs.size()).perPair();
            } finally {
                child.destroyForcibly().waitFor();
            }

            long bestCalls = items(statistics, ReferenceInferenceServer.RM_BEST);
            long goldCalls = items(statistics, ReferenceInferenceServer.RM_GOLD);
            System.out.printf("crash test: %d pairs, %d distinct responses, %d SIGKILLs at ~%s records written; "
                    + "decided pairs %d, max decisions per pair %d; RM calls %s %d (+%d repeated), %s %d (+%d repeated)%n",
                pairs.size(), distinctResponses, KILLS, killedAt, perPair.size(),
                perPair.values().stream().mapToInt(Integer::intValue).max().orElse(0),
                ReferenceInferenceServer.RM_BEST, bestCalls, bestCalls - distinctResponses,
                ReferenceInferenceServer.RM_GOLD, goldCalls, goldCalls - distinctResponses);
            assertThat(perPair).hasSize(pairs.size());
            assertThat(perPair.values()).as("exactly one decision per pair").containsOnly(1);
            assertThat(pairs).allSatisfy(p -> assertThat(perPair).containsKey(p.getPairId()));
            // Each kill can repeat the calls pending in each of the 3 scoring tasks (at most MAX_PENDING
            // records each) plus those completed since the last commit (100 ms): far less than this bound.
            long repeatBound = (long) KILLS * 3 * MAX_PENDING;
            assertThat(bestCalls).isBetween(distinctResponses, distinctResponses + repeatBound);
            assertThat(goldCalls).isBetween(distinctResponses, distinctResponses + repeatBound);
        }
    }

    private Process startChild(Path configFile, int run) throws IOException {
        Path log = Path.of("target", "crash-child-" + run + ".log");
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m", "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
            "--config", configFile.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Pair id to the number of read_committed records about it on pairs.curated and pairs.adjudicate. */
    record Decisions(Map<String, Integer> perPair) {
        int total() {
            return perPair.values().stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public String toString() {
            return total() + " decisions about " + perPair.size() + " pairs";
        }
    }

    private static Decisions decisions(String bootstrap, Topics topics) {
        Map<String, Integer> perPair = new HashMap<>();
        for (ConsumerRecord<String, ?> r : TopicIO.readCommitted(bootstrap, topics.pairsCurated())) {
            perPair.merge(r.key(), 1, Integer::sum);
        }
        for (ConsumerRecord<String, ?> r : TopicIO.readCommitted(bootstrap, topics.pairsAdjudicate())) {
            perPair.merge(r.key(), 1, Integer::sum);
        }
        return new Decisions(perPair);
    }

    /** Cheap progress signal: end offsets of the two decision topics (aborted records and markers included). */
    private static long decisionsWritten(String bootstrap, Topics topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (Topic<?, ?> topic : List.of(topics.pairsCurated(), topics.pairsAdjudicate())) {
                for (int p = 0; p < topic.partitions(); p++) {
                    request.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
                }
            }
            return admin.listOffsets(request).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end offsets of the decision topics", e);
        }
    }

    private static boolean topicExists(String bootstrap, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.listTopics().names().get().contains(topic);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long items(InferenceClient client, String model) {
        return client.statistics(model).stream().mapToLong(ModelStatistics::getInferenceCount).sum();
    }
}
