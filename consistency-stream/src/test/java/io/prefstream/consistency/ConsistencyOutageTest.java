package io.prefstream.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.reference.ReferenceInferenceServer;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.schemas.DeadLetter;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.registry.InMemorySchemaRegistryClient;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.schemas.topic.TopicsConfig;

/**
 * The reward-model endpoint going away while pairs are scored (issue 9): calls failing with
 * UNAVAILABLE or an open circuit are retried until {@code consistency.inference.outage.timeout.ms},
 * so a brief outage costs no dead letter and needs no restart, and a longer one dead-letters every
 * pair with the reason and the attempts made.
 */
@ExtendWith(SharedKafkaBroker.class)
class ConsistencyOutageTest {
    private static final int PAIRS = 40;

    @TempDir
    Path stateDir;

    @Test
    void pairsScoredDuringABriefOutageAreAllDecidedAfterItWithoutDeadLetters(EmbeddedKafkaBroker broker) {
        List<PreferencePair> pairs = SharedPairs.hhRlhf().subList(0, PAIRS);
        ReferenceInferenceServer server = ReferenceInferenceServer.start(ReferenceServerSettings.defaults());
        int port = server.port();
        String endpoint = server.address();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Map<String, Object> settings = settings(broker, "brief", endpoint, Duration.ofSeconds(60));
        Topics topics = Topics.from(new ConsistencyConfig(settings));
        try (ConsistencyService service = new ConsistencyService(new ConsistencyConfig(settings), registry)) {
            service.start(null);
            server.close();
            TopicIO.send(broker.bootstrapServers(), topics.pairsRaw(), pairs);
            long requests = 2 * SharedPairs.distinctResponses(pairs);
            long start = System.nanoTime();
            Await.until(Duration.ofSeconds(30), "every reward request tried again while the endpoint is down",
                () -> rmCalls(registry), calls -> calls >= 2 * requests);
            assertThat(deadLetters(broker, topics)).as("nothing dead-lettered during the outage").isEmpty();

            try (ReferenceInferenceServer back = ReferenceInferenceServer.start(
                ReferenceServerSettings.defaults().withPort(port))) {
                long down = System.nanoTime() - start;
                Map<String, Integer> decided = Await.until(Duration.ofSeconds(40), PAIRS + " pairs decided",
                    () -> decidedPerPair(broker, topics), perPair -> perPair.size() >= PAIRS);
                System.out.printf("brief outage: endpoint down %.1f s after the pairs were sent, %.0f RM calls for "
                        + "%d requests; all %d pairs decided %.1f s after it came back, %d dead letters%n",
                    down / 1e9, rmCalls(registry), requests, decided.size(),
                    (System.nanoTime() - start - down) / 1e9, deadLetters(broker, topics).size());
                assertThat(decided.keySet()).isEqualTo(pairs.stream().map(PreferencePair::getPairId)
                    .collect(Collectors.toSet()));
                assertThat(decided.values()).as("one verdict or adjudication per pair").containsOnly(1);
                assertThat(deadLetters(broker, topics)).as("no dead letter for an outage that ended in time").isEmpty();
            }
        }
    }

    @Test
    void anOutageLongerThanTheTimeoutDeadLettersEveryPairWithTheReasonAndAttempts(EmbeddedKafkaBroker broker) {
        List<PreferencePair> pairs = SharedPairs.hhRlhf().subList(0, 5);
        ReferenceInferenceServer gone = ReferenceInferenceServer.start(ReferenceServerSettings.defaults());
        String endpoint = gone.address();
        Map<String, Object> settings = settings(broker, "long", endpoint, Duration.ofMillis(2_000));
        Topics topics = Topics.from(new ConsistencyConfig(settings));
        try (ConsistencyService service = new ConsistencyService(new ConsistencyConfig(settings),
            new SimpleMeterRegistry())) {
            service.start(null);
            gone.close();
            TopicIO.send(broker.bootstrapServers(), topics.pairsRaw(), pairs);
            Set<String> expected = pairs.stream().map(PreferencePair::getPairId).collect(Collectors.toSet());
            List<DeadLetter> dead = Await.until(Duration.ofSeconds(40), "every pair dead-lettered",
                () -> deadLetters(broker, topics),
                list -> list.stream().map(d -> new String(d.getOriginalKey().array())).collect(Collectors.toSet())
                    .containsAll(expected));
            System.out.printf("long outage: %d dead letters for %d pairs, attempts %s; e.g. %s: %s%n", dead.size(),
                pairs.size(), dead.stream().map(DeadLetter::getAttempts).collect(Collectors.toSet()),
                dead.get(0).getErrorClass(), dead.get(0).getMessage());
            assertThat(dead).allSatisfy(d -> {
                assertThat(d.getErrorClass()).startsWith("io.prefstream.inference.client.");
                assertThat(d.getMessage()).startsWith("reward model ");
                assertThat(d.getAttempts()).as("retried through the outage timeout, then given up").isGreaterThan(1);
            });
            assertThat(decidedPerPair(broker, topics)).isEmpty();
        }
    }

    private Map<String, Object> settings(EmbeddedKafkaBroker broker, String name, String endpoint, Duration outage) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(PrefStreamConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        settings.put(PrefStreamConfig.SCHEMA_REGISTRY_URL,
            InMemorySchemaRegistryClient.SCHEME + SharedKafkaBroker.uniqueName(name));
        settings.put(PrefStreamConfig.INFERENCE_ENDPOINTS, endpoint);
        settings.put(PrefStreamConfig.TOPIC_PREFIX, SharedKafkaBroker.uniqueName(name) + ".");
        settings.put(TopicsConfig.PARTITIONS, "3");
        settings.put(TopicsConfig.REPLICATION_FACTOR, "1");
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, SharedKafkaBroker.uniqueName("consistency-" + name));
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(name).toString());
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        // The client gives up on a call quickly and its circuit reopens to probes within half a second,
        // so both the client's failures and CircuitOpenException reach the outage retries in seconds.
        settings.put(InferenceConfig.RETRIES, "1");
        settings.put(InferenceConfig.CIRCUIT_OPEN_MS, "500");
        settings.put(ConsistencyConfig.OUTAGE_TIMEOUT_MS, String.valueOf(outage.toMillis()));
        return settings;
    }

    /** Reward-model calls the stage made (every attempt counts). */
    private static double rmCalls(SimpleMeterRegistry registry) {
        return registry.find("prefstream.consistency.rm.calls").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static List<DeadLetter> deadLetters(EmbeddedKafkaBroker broker, Topics topics) {
        return TopicIO.readCommitted(broker.bootstrapServers(), topics.dlq(topics.pairsRaw())).stream()
            .map(ConsumerRecord::value).toList();
    }

    private static Map<String, Integer> decidedPerPair(EmbeddedKafkaBroker broker, Topics topics) {
        Map<String, Integer> perPair = new HashMap<>();
        TopicIO.readCommitted(broker.bootstrapServers(), topics.pairsCurated())
            .forEach(r -> perPair.merge(r.value().getPair().getPairId(), 1, Integer::sum));
        TopicIO.readCommitted(broker.bootstrapServers(), topics.pairsAdjudicate())
            .forEach(r -> perPair.merge(r.value().getPair().getPairId(), 1, Integer::sum));
        return perPair;
    }
}
