package io.prefstream.labeler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiFunction;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.labeler.judge.JudgeAnswerRejectedException;
import io.prefstream.labeler.judge.JudgeEndpoint;
import io.prefstream.labeler.judge.LabelingSettings;
import io.prefstream.labeler.judge.PairLabeler;
import io.prefstream.labeler.judge.UndecodableInputException;
import io.prefstream.labeler.prompt.CandidateOrders;
import io.prefstream.labeler.prompt.PromptTemplates;
import io.prefstream.schemas.CandidateOrder;
import io.prefstream.schemas.Controversiality;
import io.prefstream.schemas.DeadLetter;
import io.prefstream.schemas.LabeledPair;
import io.prefstream.schemas.Preference;
import io.prefstream.schemas.PreferenceObjectivity;
import io.prefstream.schemas.ScoredPair;
import io.prefstream.schemas.Vote;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.streams.async.AsyncSettings;

/** The labelling topology driven by TopologyTestDriver, with scripted judges. */
class LabelerTopologyTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final AsyncSettings ASYNC = new AsyncSettings(100, 1 << 24, Duration.ofSeconds(5), Duration.ofMillis(10));
    private static final ScoredPair PAIR = TestPairs.scored("How do I calm down before an exam?",
        "GOOD: breathe slowly, sleep well and review your notes.", "Just skip it.");

    @TempDir
    Path stateDir;

    private final Topics topics = new Topics(Map.of("schema.registry.url", "mock://labeler-topology-test",
        "topic.prefix", "ttd."));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** What one driver run produced. */
    private record Run(List<LabeledPair> labeled, List<DeadLetter> deadLetters) {
    }

    private Run run(List<JudgeEndpoint> judges, int samples, int retries, List<ScoredPair> pairs, List<byte[]> rawValues) {
        LabelingSettings settings = new LabelingSettings(judges, samples, 0.7, 0.0, 0.5, 256, retries, 40);
        PairLabeler labeler = new PairLabeler(settings, PromptTemplates.bundled("v1"), new LabelerMetrics(registry),
            Clock.fixed(NOW, ZoneOffset.UTC));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "labeler-ttd");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(
            LabelerService.topology(topics, labeler, ASYNC, new LabelerMetrics(registry)), props)) {
            String input = topics.pairsAdjudicate().name();
            TestInputTopic<String, ScoredPair> in = driver.createInputTopic(input, new StringSerializer(),
                topics.pairsAdjudicate().valueSerde().serializer());
            TestInputTopic<String, byte[]> rawIn = driver.createInputTopic(input, new StringSerializer(),
                new ByteArraySerializer());
            pairs.forEach(p -> in.pipeInput(p.getPair().getPairId(), p));
            rawValues.forEach(v -> rawIn.pipeInput("raw", v));
            driver.advanceWallClockTime(Duration.ofMillis(50));
            TestOutputTopic<String, LabeledPair> out = driver.createOutputTopic(topics.pairsLabeled().name(),
                new StringDeserializer(), topics.pairsLabeled().valueSerde().deserializer());
            TestOutputTopic<byte[], DeadLetter> dlq = driver.createOutputTopic(topics.dlq(topics.pairsAdjudicate()).name(),
                new ByteArrayDeserializer(), topics.dlq(topics.pairsAdjudicate()).valueSerde().deserializer());
            return new Run(out.readValuesToList(), dlq.readValuesToList());
        }
    }

    private Run run(ScriptedJudge judge, int samples, int retries, ScoredPair... pairs) {
        return run(List.of(judge.endpoint("judge-a")), samples, retries, List.of(pairs), List.of());
    }

    @Test
    void labelsAPairWithAttributesEveryVoteAndTheirProvenance() {
        ScriptedJudge judge = ScriptedJudge.prefersGood();
        Run run = run(judge, 3, 2, PAIR);

        assertThat(run.deadLetters()).isEmpty();
        assertThat(run.labeled()).hasSize(1);
        LabeledPair labeled = run.labeled().get(0);
        assertThat(labeled.getScored()).isEqualTo(PAIR);
        assertThat(labeled.getAttributes().getTaskCategory()).isEqualTo("advice");
        assertThat(labeled.getAttributes().getPreferenceObjectivity()).isEqualTo(PreferenceObjectivity.SUBJECTIVE);
        assertThat(labeled.getAttributes().getControversiality()).isEqualTo(Controversiality.LOW);
        assertThat(labeled.getAttributes().getDesiredAttributes()).containsExactly("helpfulness", "honesty");
        assertThat(labeled.getVotes()).extracting(Vote::getSample).containsExactly(0, 1, 2);
        assertThat(labeled.getVotes()).allSatisfy(vote -> {
            assertThat(vote.getJudgeModel()).isEqualTo("judge-a");
            assertThat(vote.getJudgeVersion()).isEqualTo("7");
            assertThat(vote.getPreferred()).as("the judge always picks the GOOD text, wherever it is shown")
                .isEqualTo(Preference.CHOSEN);
            assertThat(vote.getRationale()).isEqualTo("It is the GOOD one.");
        });
        assertThat(labeled.getLlmMajority()).isEqualTo(Preference.CHOSEN);
        assertThat(labeled.getTemplateVersion()).isEqualTo(PromptTemplates.bundled("v1").version()).startsWith("v1@");
        assertThat(labeled.getJudges()).extracting(m -> m.getName() + ":" + m.getVersion()).containsExactly("judge-a:7");
        assertThat(labeled.getPromptTokens()).as("the scripted judge reports no token counts").isNull();
        assertThat(labeled.getLabeledAt()).isEqualTo(NOW);
        assertThat(judge.calls()).hasSize(4);
        assertThat(registry.get("prefstream.labeler.records.out").counter().count()).isEqualTo(1);
        assertThat(registry.get("prefstream.labeler.votes").tag("preferred", "chosen").counter().count()).isEqualTo(3);
    }

    @Test
    void candidatesAreShownInTheOrderFixedByPairJudgeAndSampleAndARetryAsksTheSameQuestions() {
        ScriptedJudge first = ScriptedJudge.prefersGood();
        ScriptedJudge second = ScriptedJudge.prefersGood();
        LabeledPair labeled = run(first, 8, 0, PAIR).labeled().get(0);
        run(second, 8, 0, PAIR);

        String pairId = PAIR.getPair().getPairId();
        List<ScriptedJudge.Call> votes = first.calls().stream().filter(ScriptedJudge.Call::isVote).toList();
        assertThat(votes).hasSize(8);
        for (Vote vote : labeled.getVotes()) {
            CandidateOrder expected = CandidateOrders.order(pairId, "judge-a", vote.getSample());
            assertThat(vote.getCandidateOrder()).isEqualTo(expected);
            ScriptedJudge.Call asked = votes.stream()
                .filter(c -> c.seed() == CandidateOrders.seed(pairId, "judge-a", "vote/" + vote.getSample(), 0))
                .findFirst().orElseThrow();
            String shownFirst = expected == CandidateOrder.CHOSEN_FIRST ? PAIR.getPair().getChosen().getText()
                : PAIR.getPair().getRejected().getText();
            assertThat(asked.candidate1()).isEqualTo(shownFirst);
        }
        assertThat(labeled.getVotes()).extracting(Vote::getCandidateOrder)
            .as("8 samples of one pair show both orders").contains(CandidateOrder.CHOSEN_FIRST, CandidateOrder.REJECTED_FIRST);
        assertThat(second.calls()).as("the same pair asked again: identical prompts and sampling parameters")
            .containsExactlyInAnyOrderElementsOf(first.calls());
    }

    /** A judge whose vote on sample s prefers the chosen response iff prefersChosen[s]. */
    private static ScriptedJudge votingBySample(String model, boolean... prefersChosen) {
        String pairId = PAIR.getPair().getPairId();
        String chosen = PAIR.getPair().getChosen().getText();
        return new ScriptedJudge((call, n) -> {
            if (!call.isVote()) {
                return ScriptedJudge.VALID_ATTRIBUTES;
            }
            for (int s = 0; s < prefersChosen.length; s++) {
                if (call.seed() == CandidateOrders.seed(pairId, model, "vote/" + s, 0)) {
                    return ScriptedJudge.vote(call.candidate1().equals(chosen) == prefersChosen[s], "sample " + s);
                }
            }
            throw new AssertionError("unexpected seed " + call.seed());
        });
    }

    @Test
    void votesAreMergedByMajorityAndAnEvenSplitIsATie() {
        Run majority = run(votingBySample("judge-a", true, false, true), 3, 0, PAIR);
        assertThat(majority.labeled().get(0).getVotes()).extracting(Vote::getPreferred)
            .containsExactly(Preference.CHOSEN, Preference.REJECTED, Preference.CHOSEN);
        assertThat(majority.labeled().get(0).getLlmMajority()).isEqualTo(Preference.CHOSEN);

        Run rejected = run(votingBySample("judge-a", false, false, true), 3, 0, PAIR);
        assertThat(rejected.labeled().get(0).getLlmMajority()).isEqualTo(Preference.REJECTED);

        Run tie = run(votingBySample("judge-a", true, false, false, true), 4, 0, PAIR);
        assertThat(tie.labeled().get(0).getLlmMajority()).isEqualTo(Preference.TIE);
    }

    @Test
    void votesOfSeveralJudgesCountAlikeAndAttributesMerge() {
        ScriptedJudge a = votingBySample("judge-a", true, true);
        ScriptedJudge b = votingBySample("judge-b", false, false);
        Run run = run(List.of(a.endpoint("judge-a"), b.endpoint("judge-b")), 2, 0, List.of(PAIR), List.of());
        LabeledPair labeled = run.labeled().get(0);
        assertThat(labeled.getVotes()).extracting(v -> v.getJudgeModel() + "/" + v.getSample() + "=" + v.getPreferred())
            .containsExactly("judge-a/0=CHOSEN", "judge-a/1=CHOSEN", "judge-b/0=REJECTED", "judge-b/1=REJECTED");
        assertThat(labeled.getLlmMajority()).as("2 against 2 across judges").isEqualTo(Preference.TIE);
        assertThat(labeled.getJudges()).extracting(m -> m.getName()).containsExactly("judge-a", "judge-b");
        assertThat(a.calls()).hasSize(3);
        assertThat(b.calls()).hasSize(3);
    }

    @Test
    void answersWrappedInProseAndMarkdownAreAccepted() {
        ScriptedJudge chatty = new ScriptedJudge((call, n) -> call.isVote()
            ? "Let me compare them.\n```json\n" + ScriptedJudge.vote(call.candidate1().contains("GOOD"), "clear {winner}")
                + "\n```\nI hope this helps {really}."
            : "Sure! Here are the attributes: " + ScriptedJudge.VALID_ATTRIBUTES + " -- done.");
        Run run = run(chatty, 3, 0, PAIR);
        assertThat(run.deadLetters()).isEmpty();
        assertThat(run.labeled().get(0).getLlmMajority()).isEqualTo(Preference.CHOSEN);
        assertThat(run.labeled().get(0).getVotes().get(0).getRationale()).isEqualTo("clear {winner}");
    }

    @Test
    void anInvalidAnswerIsAskedAgainWithANewSeed() {
        ScriptedJudge flaky = new ScriptedJudge((call, n) -> {
            if (call.isVote() && n == 1) {
                return "{\"preferred\": \"Candidate 3\", \"reason\": \"neither\"}";
            }
            return call.isVote() ? ScriptedJudge.vote(call.candidate1().contains("GOOD"), "ok") : ScriptedJudge.VALID_ATTRIBUTES;
        });
        Run run = run(flaky, 3, 2, PAIR);
        assertThat(run.deadLetters()).isEmpty();
        assertThat(run.labeled().get(0).getVotes()).hasSize(3);
        assertThat(flaky.calls()).as("1 attribute + 3 votes + 1 re-ask").hasSize(5);
        ScriptedJudge.Call rejected = flaky.calls().get(1);
        ScriptedJudge.Call reasked = flaky.calls().stream().skip(2)
            .filter(c -> c.prompt().equals(rejected.prompt())).findFirst().orElseThrow();
        assertThat(reasked.seed()).isNotEqualTo(rejected.seed());
        assertThat((Double) reasked.sampling().get("temperature")).isGreaterThanOrEqualTo(0.5);
        assertThat(registry.get("prefstream.labeler.invalid.answers").tag("reason", "wrong_enum").counter().count())
            .isEqualTo(1);
    }

    private DeadLetter deadLetteredWith(BiFunction<ScriptedJudge.Call, Integer, String> answers, int retries,
                                        int expectedCalls) {
        ScriptedJudge judge = new ScriptedJudge(answers);
        Run run = run(judge, 1, retries, PAIR);
        assertThat(run.labeled()).isEmpty();
        assertThat(run.deadLetters()).hasSize(1);
        assertThat(judge.calls()).hasSize(expectedCalls);
        DeadLetter letter = run.deadLetters().get(0);
        assertThat(letter.getStage()).isEqualTo("labeler");
        assertThat(letter.getErrorClass()).isEqualTo(JudgeAnswerRejectedException.class.getName());
        assertThat(letter.getSourceTopic()).isEqualTo(topics.pairsAdjudicate().name());
        assertThat(StandardCharsets.UTF_8.decode(letter.getOriginalKey()).toString()).isEqualTo(PAIR.getPair().getPairId());
        assertThat(topics.pairsAdjudicate().valueSerde().deserializer()
            .deserialize(topics.pairsAdjudicate().name(), bytes(letter))).isEqualTo(PAIR);
        return letter;
    }

    private static byte[] bytes(DeadLetter letter) {
        byte[] value = new byte[letter.getOriginalValue().remaining()];
        letter.getOriginalValue().duplicate().get(value);
        return value;
    }

    @Test
    void aVoteWithAWrongEnumIsDeadLetteredAfterNReasksWithTheRawOutputAndReason() {
        DeadLetter letter = deadLetteredWith((call, n) -> call.isVote()
            ? "{\"preferred\": \"Candidate 3\", \"reason\": \"both bad\"}" : ScriptedJudge.VALID_ATTRIBUTES, 2, 1 + 3);
        assertThat(letter.getMessage())
            .contains("vote/0 question", "3 attempts", "wrong_enum", "'preferred' must be one of",
                "raw output: «{\"preferred\": \"Candidate 3\", \"reason\": \"both bad\"}»");
        assertThat(registry.get("prefstream.labeler.dlq").tag("reason", "invalid_answer").counter().count()).isEqualTo(1);
    }

    @Test
    void anAttributeAnswerMissingAFieldIsDeadLettered() {
        DeadLetter letter = deadLetteredWith((call, n) -> call.isVote() ? ScriptedJudge.vote(true, "x")
            : ScriptedJudge.VALID_ATTRIBUTES.replace("\"guideline\": \"Prefer the helpful, honest answer.\"", "\"note\": 1"),
            1, 2);
        assertThat(letter.getMessage()).contains("attributes question", "missing_field", "'guideline' is missing");
    }

    @Test
    void aTruncatedAnswerIsDeadLetteredAsTruncated() {
        String cut = "{\"preferred\": \"Candidate 1\", \"confidence\": 0.9, \"reason\": \"The first one is more";
        DeadLetter letter = deadLetteredWith((call, n) -> call.isVote() ? cut : ScriptedJudge.VALID_ATTRIBUTES, 0, 2);
        assertThat(letter.getMessage()).contains("1 attempt;", "truncated", cut);
    }

    @Test
    void anUndecodableInputIsDeadLetteredByteForByteWithoutAskingAnyJudge() {
        ScriptedJudge judge = ScriptedJudge.prefersGood();
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        Run run = run(List.of(judge.endpoint("judge-a")), 3, 2, List.of(PAIR), List.of(garbage));
        assertThat(run.labeled()).hasSize(1);
        assertThat(run.deadLetters()).hasSize(1);
        DeadLetter letter = run.deadLetters().get(0);
        assertThat(letter.getErrorClass()).isEqualTo(UndecodableInputException.class.getName());
        assertThat(letter.getMessage()).contains("not a readable ScoredPair");
        assertThat(bytes(letter)).isEqualTo(garbage);
        assertThat(letter.getOffset()).isEqualTo(1L);
        assertThat(judge.calls()).as("only the good pair was asked about").hasSize(4);
        assertThat(registry.get("prefstream.labeler.dlq").tag("reason", "undecodable_input").counter().count()).isEqualTo(1);
    }

    @Test
    void manyPairsEachGiveExactlyOneOutput() {
        List<ScoredPair> pairs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            pairs.add(TestPairs.scored("question " + i, "GOOD answer " + i, "bad answer " + i));
        }
        Run run = run(List.of(ScriptedJudge.prefersGood().endpoint("judge-a")), 3, 0, pairs, List.of());
        assertThat(run.labeled()).extracting(l -> l.getScored().getPair().getPairId())
            .containsExactlyInAnyOrderElementsOf(pairs.stream().map(p -> p.getPair().getPairId()).toList());
        assertThat(run.labeled()).allSatisfy(l -> assertThat(l.getLlmMajority()).isEqualTo(Preference.CHOSEN));
    }
}
