package io.prefstream.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.prefstream.consistency.policy.CurationPolicy;
import io.prefstream.consistency.policy.Route;
import io.prefstream.inference.client.InferenceClient;
import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.proto.ModelStatistics;
import io.prefstream.inference.reference.ReferenceInferenceServer;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.schemas.CurationPath;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.ScoredPair;
import io.prefstream.schemas.Verdict;
import io.prefstream.schemas.registry.InMemorySchemaRegistryClient;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.schemas.topic.TopicsConfig;

/**
 * The stage against the in-process broker and the reference inference server over a socket, on the
 * shared real data: every pair decided exactly once, the RM-consensus share on HH-RLHF, and one RM
 * call per distinct response per model on the AlpacaEval generations, with a second pass costing none.
 */
@ExtendWith(SharedKafkaBroker.class)
class ConsistencyIntegrationTest {
    private static ReferenceInferenceServer server;
    private static InferenceClient statistics;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startInferenceServer() {
        server = ReferenceInferenceServer.start(ReferenceServerSettings.defaults());
        statistics = new InferenceClient(new InferenceConfig(Map.of(PrefStreamConfig.INFERENCE_ENDPOINTS, server.address())),
            new SimpleMeterRegistry());
    }

    @AfterAll
    static void stopInferenceServer() {
        statistics.close();
        server.close();
    }

    @Test
    void hhRlhfPairsAreEachDecidedOnceAndMostlyByRmConsensus(EmbeddedKafkaBroker broker) {
        List<PreferencePair> pairs = SharedPairs.hhRlhf();
        Stage stage = new Stage(broker, "hh");
        try (ConsistencyService service = stage.start()) {
            TopicIO.send(broker.bootstrapServers(), stage.topics.pairsRaw(), pairs);
            byte[] poison = "not a pair".getBytes(StandardCharsets.UTF_8);
            TopicIO.sendBytes(broker.bootstrapServers(), stage.topics.pairsRaw().name(), null, poison);
            Decided decided = stage.awaitDecided(pairs.size());
            var deadLetters = Await.until(Duration.ofSeconds(60), "the poison pill dead-lettered",
                () -> TopicIO.readCommitted(broker.bootstrapServers(), stage.topics.dlq(stage.topics.pairsRaw())),
                list -> !list.isEmpty());
            assertThat(deadLetters).singleElement().satisfies(d -> {
                assertThat(d.value().getOriginalValue().array()).isEqualTo(poison);
                assertThat(d.value().getMessage()).startsWith("cannot deserialize the record");
            });

            assertThat(decided.perPair()).hasSize(pairs.size());
            assertThat(decided.perPair().values()).as("one verdict or adjudication per pair").containsOnly(1);
            assertThat(decided.curated()).allSatisfy(v -> {
                assertThat(v.getPath()).isEqualTo(CurationPath.RM_CONSENSUS);
                assertThat(v.getLineage().getSourceTopic()).isEqualTo(stage.topics.pairsRaw().name());
                assertThat(v.getEvidence().getRewards()).hasSize(4);
            });
            assertThat(decided.adjudicate()).allSatisfy(s -> assertThat(s.getLineage()).isNotNull());
            double share = decided.curated().size() / (double) pairs.size();
            System.out.printf("HH-RLHF harmless-base test: %d pairs, %d by RM consensus (%.1f%%), %d to adjudication, "
                    + "policy %s%n", pairs.size(), decided.curated().size(), 100 * share, decided.adjudicate().size(),
                stage.config.policy());
            assertThat(share).isBetween(0.0, 1.0);
            printConsensusShareByDelta(decided, pairs.size());
        }
    }

    @Test
    void eachDistinctAlpacaResponseCostsOneRmCallPerModelAndASecondPassCostsNone(EmbeddedKafkaBroker broker) {
        List<PreferencePair> pairs = SharedPairs.alpacaEvalAllPairs();
        long distinct = SharedPairs.distinctResponses(pairs);
        Stage stage = new Stage(broker, "alpaca");
        long bestBefore = rmItems(ReferenceInferenceServer.RM_BEST);
        long goldBefore = rmItems(ReferenceInferenceServer.RM_GOLD);
        try (ConsistencyService service = stage.start()) {
            TopicIO.send(broker.bootstrapServers(), stage.topics.pairsRaw(), pairs);
            Decided first = stage.awaitDecided(pairs.size());
            long bestCalls = rmItems(ReferenceInferenceServer.RM_BEST) - bestBefore;
            long goldCalls = rmItems(ReferenceInferenceServer.RM_GOLD) - goldBefore;
            System.out.printf("AlpacaEval: %d pairs over %d distinct responses; RM calls: %s %d, %s %d; "
                    + "RM consensus %d, to adjudication %d%n", pairs.size(), distinct, ReferenceInferenceServer.RM_BEST,
                bestCalls, ReferenceInferenceServer.RM_GOLD, goldCalls, first.curated().size(), first.adjudicate().size());
            assertThat(bestCalls).isEqualTo(distinct);
            assertThat(goldCalls).isEqualTo(distinct);
            assertThat(first.perPair().values()).containsOnly(1);
            assertThat(first.curated()).allSatisfy(v -> assertThat(v.getPair().getLabelSource().name()).isEqualTo("RM"));

            TopicIO.send(broker.bootstrapServers(), stage.topics.pairsRaw(), pairs);
            Decided second = stage.awaitDecided(2 * pairs.size());
            System.out.printf("AlpacaEval second pass: %d more RM calls to %s, %d to %s%n",
                rmItems(ReferenceInferenceServer.RM_BEST) - bestBefore - bestCalls, ReferenceInferenceServer.RM_BEST,
                rmItems(ReferenceInferenceServer.RM_GOLD) - goldBefore - goldCalls, ReferenceInferenceServer.RM_GOLD);
            assertThat(rmItems(ReferenceInferenceServer.RM_BEST) - bestBefore).isEqualTo(bestCalls);
            assertThat(rmItems(ReferenceInferenceServer.RM_GOLD) - goldBefore).isEqualTo(goldCalls);
            assertThat(second.perPair().values()).containsOnly(2);
        }
    }

    /** What the RM-consensus share would be at other margins, from the p's the stage computed. */
    private static void printConsensusShareByDelta(Decided decided, int pairs) {
        List<double[]> ps = new ArrayList<>();
        decided.curated().forEach(v -> ps.add(new double[] {v.getEvidence().getPBest(), v.getEvidence().getPGold()}));
        decided.adjudicate().forEach(s -> ps.add(new double[] {s.getPBest(), s.getPGold()}));
        StringBuilder table = new StringBuilder("HH-RLHF RM-consensus share by delta:");
        for (double delta : new double[] {0.0, 0.05, 0.1, 0.2, 0.3}) {
            CurationPolicy policy = new CurationPolicy("what-if", "1", delta, true);
            long consensus = ps.stream().filter(p -> policy.afterScoring(p[0], p[1]) == Route.RM_CONSENSUS).count();
            table.append(String.format(" delta=%.2f: %.1f%%;", delta, 100.0 * consensus / pairs));
        }
        System.out.println(table);
    }

    /** Items the reference server scored for {@code model} so far (Triton's inference_count). */
    private static long rmItems(String model) {
        return statistics.statistics(model).stream().mapToLong(ModelStatistics::getInferenceCount).sum();
    }

    /** What the stage wrote for the pairs: RM-consensus verdicts and pairs sent to adjudication. */
    record Decided(List<Verdict> curated, List<ScoredPair> adjudicate, Map<String, Integer> perPair) {
        @Override
        public String toString() {
            return curated.size() + " curated, " + adjudicate.size() + " to adjudication, " + perPair.size()
                + " distinct pairs";
        }
    }

    /** One deployment of the stage with its own topics, registry scope and application id. */
    private final class Stage {
        final Topics topics;
        final ConsistencyConfig config;
        final String bootstrap;

        Stage(EmbeddedKafkaBroker broker, String name) {
            bootstrap = broker.bootstrapServers();
            Map<String, Object> settings = new HashMap<>();
            settings.put(PrefStreamConfig.BOOTSTRAP_SERVERS, bootstrap);
            settings.put(PrefStreamConfig.SCHEMA_REGISTRY_URL,
                InMemorySchemaRegistryClient.SCHEME + SharedKafkaBroker.uniqueName(name));
            settings.put(PrefStreamConfig.INFERENCE_ENDPOINTS, server.address());
            settings.put(PrefStreamConfig.TOPIC_PREFIX, SharedKafkaBroker.uniqueName(name) + ".");
            settings.put(TopicsConfig.PARTITIONS, "3");
            settings.put(TopicsConfig.REPLICATION_FACTOR, "1");
            settings.put(StreamsConfig.APPLICATION_ID_CONFIG, SharedKafkaBroker.uniqueName("consistency-" + name));
            settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(name).toString());
            settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
            config = new ConsistencyConfig(settings);
            topics = Topics.from(config);
        }

        ConsistencyService start() {
            ConsistencyService service = new ConsistencyService(config, new SimpleMeterRegistry());
            service.start(null);
            return service;
        }

        Decided awaitDecided(int expected) {
            return Await.until(Duration.ofMinutes(4), expected + " pairs decided", () -> {
                List<Verdict> curated = values(TopicIO.readCommitted(bootstrap, topics.pairsCurated()));
                List<ScoredPair> adjudicate = values(TopicIO.readCommitted(bootstrap, topics.pairsAdjudicate()));
                Map<String, Integer> perPair = new HashMap<>();
                curated.forEach(v -> perPair.merge(v.getPair().getPairId(), 1, Integer::sum));
                adjudicate.forEach(s -> perPair.merge(s.getPair().getPairId(), 1, Integer::sum));
                return new Decided(curated, adjudicate, perPair);
            }, d -> d.curated().size() + d.adjudicate().size() >= expected);
        }
    }

    private static <V> List<V> values(List<? extends ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
