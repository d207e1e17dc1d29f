package io.prefstream.labeler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.inference.client.InferenceClient;
import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.judge.JudgeContract;
import io.prefstream.inference.proto.ModelStatistics;
import io.prefstream.inference.reference.ReferenceInferenceServer;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.schemas.LabeledPair;
import io.prefstream.schemas.Preference;
import io.prefstream.schemas.ScoredPair;
import io.prefstream.schemas.Vote;
import io.prefstream.schemas.topic.Topics;

/** The stage on the shared in-process broker, judged by the reference server over a real socket. */
@ExtendWith(SharedKafkaBroker.class)
class LabelerIntegrationTest {
    private static final int PAIRS = 200;
    private static final int SAMPLES = 3;

    /** Labels {@code pairs} with the stage started from its config, against {@code server}; returns pairs.labeled. */
    private static List<ConsumerRecord<String, LabeledPair>> label(EmbeddedKafkaBroker broker, Path stateDir,
                                                                  ReferenceInferenceServer server, List<ScoredPair> pairs,
                                                                  SimpleMeterRegistry registry, Topics[] topicsOut,
                                                                  Map<String, String> extraSettings) {
        String id = SharedKafkaBroker.uniqueName("labeler-it");
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put("schema.registry.url", "mock://" + id);
        settings.put("topic.prefix", id + ".");
        settings.put("topic.partitions", "2");
        settings.put("inference.endpoints", server.address());
        settings.put(LabelerConfig.SAMPLES_PER_JUDGE, Integer.toString(SAMPLES));
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, id);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.putAll(extraSettings);
        LabelerConfig config = new LabelerConfig(settings);
        Topics topics = Topics.from(config);
        topicsOut[0] = topics;
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            topics.createMissing(admin, Duration.ofSeconds(30));
        }
        KafkaTestIo.produce(broker.bootstrapServers(), topics.pairsAdjudicate(), pairs);
        try (LabelerService service = LabelerService.start(config, registry)) {
            return KafkaTestIo.readCommitted(broker.bootstrapServers(), topics.pairsLabeled(), pairs.size(),
                Duration.ofSeconds(90), Duration.ofSeconds(1));
        }
    }

    private static void assertOnePerPair(List<ConsumerRecord<String, LabeledPair>> out, List<ScoredPair> pairs) {
        Map<String, Long> perPair = out.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertThat(perPair.keySet()).containsExactlyInAnyOrderElementsOf(
            pairs.stream().map(p -> p.getPair().getPairId()).toList());
        assertThat(perPair.values()).as("exactly one labelled record per pair").containsOnly(1L);
    }

    @Test
    void labelsRealHhRlhfPairsThroughTheReferenceJudge(EmbeddedKafkaBroker broker, @TempDir Path stateDir) {
        try (ReferenceInferenceServer server = ReferenceInferenceServer.start(ReferenceServerSettings.defaults())) {
            List<ScoredPair> pairs = RealPairs.hhRlhf(PAIRS);
            assertThat(pairs).hasSize(PAIRS);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            List<ConsumerRecord<String, LabeledPair>> out = label(broker, stateDir, server, pairs, registry, new Topics[1],
                Map.of());

            assertOnePerPair(out, pairs);
            Map<String, ScoredPair> byId = pairs.stream()
                .collect(Collectors.toMap(p -> p.getPair().getPairId(), Function.identity()));
            for (ConsumerRecord<String, LabeledPair> record : out) {
                LabeledPair labeled = record.value();
                assertThat(labeled.getScored()).isEqualTo(byId.get(record.key()));
                assertThat(JudgeContract.CATEGORIES).contains(labeled.getAttributes().getTaskCategory());
                assertThat(labeled.getVotes()).hasSize(SAMPLES).extracting(Vote::getJudgeModel).containsOnly("judge");
                assertThat(labeled.getLlmMajority()).isIn(Preference.CHOSEN, Preference.REJECTED);
                assertThat(labeled.getTemplateVersion()).startsWith("v1@");
            }
            long harmful = out.stream().filter(r -> r.value().getAttributes().getTaskCategory().equals("harmful_request"))
                .count();
            long agree = out.stream().filter(r -> r.value().getLlmMajority() == Preference.CHOSEN).count();
            System.out.printf("labeler IT: %d HH-RLHF pairs labelled; majority agrees with the human label on %d "
                + "(%.1f%%); %d tagged harmful_request%n", PAIRS, agree, 100.0 * agree / PAIRS, harmful);

            long judgeRequests = judgeRequests(server);
            assertThat(judgeRequests).as("one attribute and " + SAMPLES + " vote generations per pair, no more")
                .isEqualTo((long) PAIRS * (1 + SAMPLES));
            assertThat(registry.get("prefstream.labeler.records.out").counter().count()).isEqualTo(PAIRS);
            assertThat(registry.get("prefstream.labeler.judge.latency").tag("question", "vote").timer().count())
                .isEqualTo((long) PAIRS * SAMPLES);
        }
    }

    @Test
    void ridesOutAFlakyJudgeEndpointWithoutDeadLetters(EmbeddedKafkaBroker broker, @TempDir Path stateDir) {
        ReferenceServerSettings flaky = ReferenceServerSettings.defaults().withErrorRate(0.3);
        try (ReferenceInferenceServer server = ReferenceInferenceServer.start(flaky)) {
            List<ScoredPair> pairs = RealPairs.hhRlhf(60).subList(20, 60);
            Topics[] topics = new Topics[1];
            // a judge call fails for good only after 11 failures in a row: 0.3^11, about 2e-6
            List<ConsumerRecord<String, LabeledPair>> out = label(broker, stateDir, server, pairs,
                new SimpleMeterRegistry(), topics, Map.of(LabelerConfig.JUDGE_ERROR_RETRIES, "10"));

            assertOnePerPair(out, pairs);
            assertThat(KafkaTestIo.readCommitted(broker.bootstrapServers(), topics[0].dlq(topics[0].pairsAdjudicate()), 0,
                Duration.ofSeconds(5), Duration.ofSeconds(1))).as("no dead letters").isEmpty();
            assertThat(judgeRequests(server)).isEqualTo((long) pairs.size() * (1 + SAMPLES));
            long failed = judgeStatistics(server).stream().mapToLong(s -> s.getInferenceStats().getFail().getCount()).sum();
            System.out.printf("labeler IT (error rate 0.3): %d pairs labelled, %d judge requests failed and were retried%n",
                pairs.size(), failed);
            assertThat(failed).as("the server did fail requests").isPositive();
        }
    }

    /** Successful judge requests, as the server counts them (ModelStatistics, like Triton's). */
    static long judgeRequests(ReferenceInferenceServer server) {
        return judgeStatistics(server).stream().mapToLong(s -> s.getInferenceStats().getSuccess().getCount()).sum();
    }

    private static List<ModelStatistics> judgeStatistics(ReferenceInferenceServer server) {
        try (InferenceClient client = new InferenceClient(
            new InferenceConfig(Map.of("inference.endpoints", server.address())), new SimpleMeterRegistry())) {
            return client.statistics(ReferenceInferenceServer.JUDGE);
        }
    }
}
