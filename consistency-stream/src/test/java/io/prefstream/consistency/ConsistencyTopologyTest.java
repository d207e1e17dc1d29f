package io.prefstream.consistency;

import static io.prefstream.consistency.Fixtures.BEST;
import static io.prefstream.consistency.Fixtures.GOLD;
import static io.prefstream.consistency.Fixtures.pair;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.prefstream.consistency.policy.CurationPolicy;
import io.prefstream.consistency.scoring.RewardModels;
import io.prefstream.consistency.scoring.ScoreJoinProcessor;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.schemas.CurationPath;
import io.prefstream.schemas.DeadLetter;
import io.prefstream.schemas.Decision;
import io.prefstream.schemas.LabelSource;
import io.prefstream.schemas.LabeledPair;
import io.prefstream.schemas.ModelRef;
import io.prefstream.schemas.Lineage;
import io.prefstream.schemas.Preference;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.ReviewItem;
import io.prefstream.schemas.ScoredPair;
import io.prefstream.schemas.Verdict;
import io.prefstream.schemas.registry.InMemorySchemaRegistryClient;
import io.prefstream.schemas.topic.Topic;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.streams.async.AsyncSettings;

/** The whole consistency topology on the TopologyTestDriver, with reward models given as a table. */
class ConsistencyTopologyTest {
    private static final String PROMPT = "How do I boil an egg?";
    private static final Map<String, float[]> REWARDS = Map.of(
        "Put it in boiling water for 8 minutes.", new float[] {2.0f, 2.0f},
        "Eggs are for breakfast.", new float[] {-1.0f, -1.0f},
        "Microwave it.", new float[] {1.0f, -2.0f},
        "Steam it for 12 minutes.", new float[] {1.5f, 1.0f});
    private static final String GOOD = "Put it in boiling water for 8 minutes.";
    private static final String BAD = "Eggs are for breakfast.";
    private static final String RISKY = "Microwave it.";
    private static final String STEAM = "Steam it for 12 minutes.";

    private final String scope = "consistency-" + UUID.randomUUID();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final TableRewards rewards = new TableRewards(REWARDS);
    private final CurationPolicy policy = new CurationPolicy("dual-rm", "1", 0.1, true);
    private Topics topics;
    private TopologyTestDriver driver;
    private TestInputTopic<String, PreferencePair> raw;
    private TestInputTopic<String, LabeledPair> labeled;
    private TestInputTopic<String, Verdict> humanVerdicts;

    @BeforeEach
    void start() {
        topics = new Topics(Map.of(PrefStreamConfig.TOPIC_PREFIX, "t.",
            PrefStreamConfig.SCHEMA_REGISTRY_URL, InMemorySchemaRegistryClient.SCHEME + scope));
        var topology = ConsistencyTopology.build(topics, policy, new RewardModels(BEST, GOLD), rewards,
            new AsyncSettings(100, 1 << 20, Duration.ofSeconds(5), Duration.ofMillis(10)), metrics);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "consistency-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, PoisonPillHandler.class);
        props.put(PoisonPillHandler.ROUTING, PoisonPillHandler.routing(topics));
        driver = new TopologyTestDriver(topology, props);
        raw = input(topics.pairsRaw());
        labeled = input(topics.pairsLabeled());
        humanVerdicts = input(topics.reviewVerdicts());
    }

    @AfterEach
    void stop() {
        driver.close();
        InMemorySchemaRegistryClient.dropScope(scope);
    }

    @Test
    void pairsTheRmsAgreeOnAreCuratedByConsensusWithEvidenceAndLineage() {
        PreferencePair agreed = pair(PROMPT, GOOD, BAD, LabelSource.DATASET);
        send(agreed);

        List<TestRecord<String, Verdict>> curated = read(topics.pairsCurated());
        assertThat(curated).hasSize(1);
        Verdict verdict = curated.get(0).value();
        assertThat(curated.get(0).key()).isEqualTo(agreed.getPairId());
        assertThat(verdict.getDecision()).isEqualTo(Decision.ACCEPT);
        assertThat(verdict.getPath()).isEqualTo(CurationPath.RM_CONSENSUS);
        assertThat(verdict.getPair()).isEqualTo(agreed);
        assertThat(verdict.getEvidence().getPBest()).isCloseTo(CurationPolicy.agreement(2, -1), within(1e-9));
        assertThat(verdict.getEvidence().getPGold()).isCloseTo(CurationPolicy.agreement(2, -1), within(1e-9));
        assertThat(verdict.getEvidence().getRewards()).hasSize(4);
        assertThat(verdict.getEvidence().getModels()).containsExactly(BEST, GOLD);
        assertThat(verdict.getPolicyName()).isEqualTo("dual-rm");
        assertThat(verdict.getPolicyVersion()).isEqualTo("1 (delta=0.1, flip=on)");
        assertThat(verdict.getLineage()).isEqualTo(new Lineage("t.pairs.raw", 0, 0L));
        assertThat(read(topics.pairsAdjudicate())).isEmpty();
    }

    @Test
    void pairsTheRmsDisagreeOnGoToAdjudicationScoredAndWithLineage() {
        send(pair(PROMPT, GOOD, BAD, LabelSource.DATASET));
        PreferencePair doubtful = pair(PROMPT, RISKY, STEAM, LabelSource.HUMAN);
        send(doubtful);

        List<TestRecord<String, ScoredPair>> adjudicate = read(topics.pairsAdjudicate());
        assertThat(adjudicate).hasSize(1);
        ScoredPair scored = adjudicate.get(0).value();
        assertThat(adjudicate.get(0).key()).isEqualTo(doubtful.getPairId());
        assertThat(scored.getPair()).isEqualTo(doubtful);
        assertThat(scored.getPBest()).isCloseTo(CurationPolicy.agreement(1.0, 1.5), within(1e-9));
        assertThat(scored.getPGold()).isCloseTo(CurationPolicy.agreement(-2.0, 1.0), within(1e-9));
        assertThat(scored.getBestModel()).isEqualTo(BEST);
        assertThat(scored.getGoldModel()).isEqualTo(GOLD);
        assertThat(scored.getLineage()).isEqualTo(new Lineage("t.pairs.raw", 0, 1L));
        assertThat(read(topics.pairsCurated())).hasSize(1);
    }

    @Test
    void anUnlabelledPairGetsItsLabelFromTheBestRm() {
        PreferencePair unlabelled = pair(PROMPT, BAD, GOOD, LabelSource.NONE);
        send(unlabelled);

        Verdict verdict = read(topics.pairsCurated()).get(0).value();
        assertThat(verdict.getPair().getLabelSource()).isEqualTo(LabelSource.RM);
        assertThat(verdict.getPair().getChosen()).isEqualTo(unlabelled.getRejected());
        assertThat(verdict.getPair().getRejected()).isEqualTo(unlabelled.getChosen());
        assertThat(verdict.getPair().getPairId()).isEqualTo(unlabelled.getPairId());
        assertThat(verdict.getEvidence().getPBest()).isGreaterThan(0.5);
    }

    @Test
    void eachDistinctResponseCostsOneCallPerModelAndASecondPassCostsNone() {
        List<String> responses = List.of(GOOD, BAD, RISKY, STEAM);
        List<PreferencePair> pairs = new ArrayList<>();
        for (int i = 0; i < responses.size(); i++) {
            for (int j = i + 1; j < responses.size(); j++) {
                pairs.add(pair(PROMPT, responses.get(i), responses.get(j), LabelSource.NONE));
            }
        }
        pairs.forEach(this::send);
        assertThat(decided()).isEqualTo(6);
        assertThat(rewards.calls(BEST.getName())).isEqualTo(4);
        assertThat(rewards.calls(GOLD.getName())).isEqualTo(4);

        pairs.forEach(this::send);
        assertThat(decided()).as("the second pass is decided too").isEqualTo(6);
        assertThat(rewards.calls(BEST.getName())).as("second pass: memo only").isEqualTo(4);
        assertThat(rewards.calls(GOLD.getName())).isEqualTo(4);
        double answeredWithoutCall = metrics.get("prefstream.async.memo.hits").counter().count()
            + metrics.get("prefstream.async.coalesced").counter().count();
        assertThat(answeredWithoutCall).as("48 scoring requests, 8 calls").isEqualTo(40.0);
        assertThat(metrics.get("prefstream.async.calls").counter().count()).isEqualTo(8.0);
    }

    @Test
    void aNewModelVersionIsANewMemoKey() {
        send(pair(PROMPT, GOOD, BAD, LabelSource.DATASET));
        driver.close();
        // A new deployment whose gold model is version 8; its memo holds a version 7 score.
        var upgraded = new RewardModels(BEST, new ModelRef(GOLD.getName(), "8"));
        TableRewards upgradedRewards = new TableRewards(REWARDS);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "consistency-test-upgraded");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(ConsistencyTopology.build(topics, policy, upgraded, upgradedRewards,
            new AsyncSettings(100, 1 << 20, Duration.ofSeconds(5), Duration.ofMillis(10)), metrics), props);
        raw = input(topics.pairsRaw());
        var memo = driver.<String, Float>getKeyValueStore(ConsistencyTopology.SCORING + "-memo");
        PreferencePair again = pair(PROMPT, GOOD, BAD, LabelSource.DATASET);
        memo.put(again.getChosen().getResponseId() + "@rm-gold@7", 99f);
        send(again);
        assertThat(upgradedRewards.calls(GOLD.getName())).as("version 8 is not served version 7's score").isEqualTo(2);
        assertThat(upgradedRewards.calls(BEST.getName())).isEqualTo(2);
        assertThat(memo.get(again.getChosen().getResponseId() + "@rm-gold@8")).isEqualTo(2.0f);
    }

    @Test
    void aPairWhoseRewardCallsFailedIsDeadLetteredOnceAsReadWithTheReasonAndLeavesNothingInTheJoin() {
        PreferencePair unscorable = pair(PROMPT, GOOD, "no reward for this text", LabelSource.DATASET);
        send(unscorable);

        List<TestRecord<byte[], DeadLetter>> dead = read(topics.dlq(topics.pairsRaw()));
        assertThat(dead).as("both models failed on the rejected response: one dead letter for the pair").hasSize(1);
        DeadLetter letter = dead.get(0).value();
        assertThat(new String(dead.get(0).key())).isEqualTo(unscorable.getPairId());
        assertThat(letter.getSourceTopic()).isEqualTo("t.pairs.raw");
        assertThat(letter.getOffset()).isEqualTo(0L);
        assertThat(letter.getStage()).isEqualTo("consistency");
        assertThat(letter.getMessage()).contains("failed on response " + unscorable.getRejected().getResponseId(),
            "endpoint gave up after 3 retries");
        PreferencePair replayable = topics.pairsRaw().valueSerde().deserializer()
            .deserialize(topics.pairsRaw().name(), letter.getOriginalValue().array());
        assertThat(replayable).isEqualTo(unscorable);
        assertThat(read(topics.pairsCurated())).isEmpty();
        assertThat(read(topics.pairsAdjudicate())).isEmpty();
        try (var entries = driver.<String, Object>getKeyValueStore(ScoreJoinProcessor.STORE).all()) {
            assertThat(entries.hasNext()).as("join entries left behind").isFalse();
        }
    }

    @Test
    void aPairWhoseTwoResponsesAreTheSameIsDeadLettered() {
        PreferencePair same = pair(PROMPT, GOOD, GOOD, LabelSource.DATASET);
        send(same);
        List<TestRecord<byte[], DeadLetter>> dead = read(topics.dlq(topics.pairsRaw()));
        assertThat(dead).singleElement().satisfies(d ->
            assertThat(d.value().getMessage()).contains("chosen and rejected are the same response"));
        assertThat(rewards.calls(BEST.getName())).isZero();
    }

    @Test
    void labelledPairsGetTheirVerdictAndFlippedPairsAreCuratedSwapped() {
        Lineage origin = new Lineage("t.pairs.raw", 2, 17L);
        PreferencePair accepted = pair(PROMPT, GOOD, BAD, LabelSource.DATASET);
        PreferencePair flipped = pair(PROMPT, BAD, GOOD, LabelSource.DATASET);
        PreferencePair tied = pair(PROMPT, RISKY, BAD, LabelSource.DATASET);
        PreferencePair rejected = pair(PROMPT, STEAM, BAD, LabelSource.DATASET);
        labeled.pipeInput(accepted.getPairId(), Fixtures.labeled(Fixtures.scored(accepted, 0.3, 0.8, origin), Preference.CHOSEN));
        labeled.pipeInput(flipped.getPairId(), Fixtures.labeled(Fixtures.scored(flipped, 0.3, 0.2, origin), Preference.REJECTED));
        labeled.pipeInput(tied.getPairId(), Fixtures.labeled(Fixtures.scored(tied, 0.3, 0.8, origin), Preference.TIE));
        labeled.pipeInput(rejected.getPairId(), Fixtures.labeled(Fixtures.scored(rejected, 0.3, 0.8, null), Preference.REJECTED));

        List<TestRecord<String, Verdict>> curated = read(topics.pairsCurated());
        assertThat(curated).extracting(TestRecord::key).containsExactly(accepted.getPairId(), flipped.getPairId());
        Verdict accept = curated.get(0).value();
        assertThat(accept.getPath()).isEqualTo(CurationPath.LLM_ADJUDICATED);
        assertThat(accept.getLineage()).isEqualTo(origin);
        assertThat(accept.getEvidence().getVotes()).hasSize(1);
        assertThat(accept.getEvidence().getAttributes().getTaskCategory()).isEqualTo("chat");
        assertThat(accept.getEvidence().getLlmMajority()).isEqualTo(Preference.CHOSEN);
        assertThat(accept.getEvidence().getModels()).extracting(m -> m.getName()).containsExactly("rm-best", "rm-gold", "judge");
        Verdict flip = curated.get(1).value();
        assertThat(flip.getPath()).isEqualTo(CurationPath.FLIPPED);
        assertThat(flip.getFlipped()).isTrue();
        assertThat(flip.getDecision()).isEqualTo(Decision.ACCEPT);
        assertThat(flip.getPair().getChosen()).isEqualTo(flipped.getRejected());
        assertThat(flip.getPair().getRejected()).isEqualTo(flipped.getChosen());

        List<TestRecord<String, Verdict>> rejectedOut = read(topics.pairsRejected());
        assertThat(rejectedOut).extracting(TestRecord::key).containsExactly(flipped.getPairId(), rejected.getPairId());
        assertThat(rejectedOut.get(1).value().getLineage())
            .as("a pair that lost its lineage is traced to the labelled record").isEqualTo(new Lineage("t.pairs.labeled", 0, 3L));

        List<TestRecord<String, ReviewItem>> review = read(topics.pairsReview());
        assertThat(review).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo(tied.getPairId());
            assertThat(r.value().getReason()).contains("no LLM majority (TIE)");
            assertThat(r.value().getLineage()).isEqualTo(origin);
        });
        assertThat(metrics.get("prefstream.consistency.decisions").tag("route", "FLIPPED").counter().count()).isEqualTo(1.0);
        assertThat(metrics.get("prefstream.consistency.decisions").tag("route", "REJECTED").counter().count()).isEqualTo(1.0);
    }

    @Test
    void humanVerdictsAreRoutedAndCloseTheReviewItem() {
        PreferencePair accepted = pair(PROMPT, GOOD, BAD, LabelSource.DATASET);
        PreferencePair rejected = pair(PROMPT, RISKY, BAD, LabelSource.DATASET);
        PreferencePair undecided = pair(PROMPT, STEAM, BAD, LabelSource.DATASET);
        humanVerdicts.pipeInput(accepted.getPairId(), Fixtures.humanVerdict(accepted, Decision.ACCEPT));
        humanVerdicts.pipeInput(rejected.getPairId(), Fixtures.humanVerdict(rejected, Decision.REJECT));
        humanVerdicts.pipeInput(undecided.getPairId(), Fixtures.humanVerdict(undecided, Decision.REVIEW));

        assertThat(read(topics.pairsCurated())).extracting(TestRecord::key).containsExactly(accepted.getPairId());
        assertThat(read(topics.pairsRejected())).extracting(TestRecord::key).containsExactly(rejected.getPairId());
        assertThat(read(topics.pairsReview())).extracting(r -> KeyValue.pair(r.key(), r.value()))
            .containsExactlyInAnyOrder(KeyValue.pair(accepted.getPairId(), null), KeyValue.pair(rejected.getPairId(), null));
        assertThat(read(topics.dlq(topics.reviewVerdicts()))).singleElement().satisfies(d ->
            assertThat(d.value().getMessage()).contains("must be ACCEPT or REJECT, got REVIEW"));
    }

    @Test
    void anUndeserializableRecordIsDeadLetteredByteForByteAndTheNextOneIsProcessed() {
        TestInputTopic<byte[], byte[]> rawBytes = driver.createInputTopic(topics.pairsRaw().name(),
            new ByteArraySerializer(), new ByteArraySerializer());
        byte[] poison = "not avro".getBytes(StandardCharsets.UTF_8);
        rawBytes.pipeInput("p0".getBytes(StandardCharsets.UTF_8), poison);
        send(pair(PROMPT, GOOD, BAD, LabelSource.DATASET));

        assertThat(read(topics.dlq(topics.pairsRaw()))).singleElement().satisfies(d -> {
            assertThat(new String(d.key(), StandardCharsets.UTF_8)).isEqualTo("p0");
            assertThat(d.value().getOriginalValue().array()).isEqualTo(poison);
            assertThat(d.value().getOffset()).isEqualTo(0L);
            assertThat(d.value().getMessage()).startsWith("cannot deserialize the record");
        });
        assertThat(read(topics.pairsCurated())).hasSize(1);
    }

    private void send(PreferencePair pair) {
        raw.pipeInput(pair.getPairId(), pair);
        driver.advanceWallClockTime(Duration.ofMillis(20));
    }

    private int decided() {
        return read(topics.pairsCurated()).size() + read(topics.pairsAdjudicate()).size();
    }

    private <K, V> TestInputTopic<K, V> input(Topic<K, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <K, V> List<TestRecord<K, V>> read(Topic<K, V> topic) {
        TestOutputTopic<K, V> out = driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
            topic.valueSerde().deserializer());
        return out.readRecordsToList();
    }
}
