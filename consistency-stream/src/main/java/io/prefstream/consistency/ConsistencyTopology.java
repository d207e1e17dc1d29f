package io.prefstream.consistency;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

import io.prefstream.consistency.Verdicts.Output;
import io.prefstream.consistency.policy.CurationPolicy;
import io.prefstream.consistency.policy.Route;
import io.prefstream.consistency.scoring.InternalSerdes;
import io.prefstream.consistency.scoring.JoinedPair;
import io.prefstream.consistency.scoring.RewardCall;
import io.prefstream.consistency.scoring.RewardModels;
import io.prefstream.consistency.scoring.RewardRequest;
import io.prefstream.consistency.scoring.ScoreJoinProcessor;
import io.prefstream.consistency.scoring.ScoringFailure;
import io.prefstream.consistency.scoring.ScoringTask;
import io.prefstream.schemas.DeadLetter;
import io.prefstream.schemas.Decision;
import io.prefstream.schemas.LabeledPair;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.ReviewItem;
import io.prefstream.schemas.ScoredPair;
import io.prefstream.schemas.Verdict;
import io.prefstream.schemas.topic.Topic;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.streams.async.AsyncCall;
import io.prefstream.streams.async.AsyncOutcome;
import io.prefstream.streams.async.AsyncProcessorSupplier;
import io.prefstream.streams.async.AsyncSettings;

/**
 * The consistency stage as one Kafka Streams topology, built by a pure function of its parts. Read
 * {@link #build} top to bottom: it is the data flow.
 * <pre>
 * pairs.raw ─► lineage ─► invalid? ─────────────────────────────────────────────► pairs.raw.dlq
 *                  └─► one request per response ─► [repartition by response_id]
 *                        ─► one per reward model ─► memo hit? / RM call (async, coalesced)
 *                        ─► [repartition by pair_id] ─► join: 2 responses x 2 models ─► ScoredPair
 *                                                           first failed call ─► pairs.raw.dlq (once per pair)
 *                        ─► policy: RM consensus ─► Verdict ─► pairs.curated
 *                                    otherwise    ─► pairs.adjudicate
 * pairs.labeled ─► lineage ─► policy verdict ─► pairs.curated (accept, flipped) / pairs.rejected / pairs.review
 * review.verdicts ─► ACCEPT ─► pairs.curated, REJECT ─► pairs.rejected; tombstone on pairs.review
 * </pre>
 */
public final class ConsistencyTopology {
    /** Name of the scoring processor; its stores are {@code reward-scores-pending} and {@code reward-scores-memo}. */
    public static final String SCORING = "reward-scores";
    public static final String REQUESTS_BY_RESPONSE = "scoring-by-response";
    public static final String REWARDS_BY_PAIR = "rewards-by-pair";

    private ConsistencyTopology() {
    }

    /**
     * @param topics   the pipeline's topics and serdes
     * @param policy   the curation rule
     * @param models   the best and gold reward models (names and versions key the memo)
     * @param rewards  the reward-model call (the inference client in production)
     * @param async    bounds of the scoring processor
     * @param metrics  where decisions per path and the scoring processor's meters are reported
     */
    public static Topology build(Topics topics, CurationPolicy policy, RewardModels models,
                                 AsyncCall<RewardRequest, Float> rewards, AsyncSettings async, MeterRegistry metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        Verdicts verdicts = new Verdicts(policy);
        DecisionCounter decisions = new DecisionCounter(metrics);
        Serde<ScoringTask> taskSerde = InternalSerdes.scoringTask();
        Topic<String, PreferencePair> raw = topics.pairsRaw();
        Topic<byte[], DeadLetter> rawDlq = topics.dlq(raw);

        // 1. Intake: every pair with the offset it was read at; pairs that cannot be scored are dead letters.
        Map<String, KStream<String, Sourced<PreferencePair>>> intake = builder
            .stream(raw.name(), Consumed.with(raw.keySerde(), raw.valueSerde()).withName("pairs-raw"))
            .filter((pairId, pair) -> pair != null, Named.as("skip-tombstones"))
            .processValues(WithLineage<PreferencePair>::new, Named.as("raw-lineage"))
            .split(Named.as("intake-"))
            .branch((pairId, pair) -> PairCheck.problem(pair.value()) != null, Branched.as("invalid"))
            .defaultBranch(Branched.as("valid"));
        intake.get("intake-invalid")
            .map((pairId, pair) -> toDeadLetter(raw, pair, IllegalArgumentException.class.getName(),
                "cannot score pair: " + PairCheck.problem(pair.value()), 1), Named.as("invalid-to-dead-letter"))
            .to(rawDlq.name(), produced(rawDlq));

        // 2. One scoring request per response, re-keyed by response_id so each response lives on one partition.
        KStream<String, ScoringTask> requests = intake.get("intake-valid")
            .flatMap((pairId, pair) -> List.of(
                request(pair, pair.value().getChosen().getResponseId()),
                request(pair, pair.value().getRejected().getResponseId())), Named.as("request-per-response"))
            .repartition(Repartitioned.with(Serdes.String(), taskSerde).withName(REQUESTS_BY_RESPONSE))
            .flatMapValues(task -> models.both().stream().map(task::forModel).toList(), Named.as("request-per-model"));

        // 3. Memo store keyed response_id@model@version; only misses reach the RM, one call per key in flight.
        AsyncProcessorSupplier<String, ScoringTask, RewardRequest, Float> scoring = AsyncProcessorSupplier
            .builder(SCORING, rewards, Serdes.String(), taskSerde)
            .request(task -> new RewardRequest(task.model(), RewardCall.conversation(task)))
            .requestKey(ScoringTask::memoKey)
            .memo(Serdes.Float())
            .settings(async)
            .stage(DeadLetters.STAGE)
            .metrics(metrics)
            .build();

        // 4. Rewards back by pair_id (the pair's text with one of its four rewards only, or with the
        //    failure of its call); a ScoredPair once the pair and both responses' rewards from both models
        //    are in, or one dead letter per pair at its first call that failed for good.
        Map<String, KStream<String, JoinedPair>> joined = requests
            .process(scoring, Named.as(SCORING))
            .map((responseId, outcome) -> KeyValue.pair(outcome.input().pairId(), backToPair(outcome, models)),
                Named.as("reward-by-pair"))
            .repartition(Repartitioned.with(Serdes.String(), taskSerde).withName(REWARDS_BY_PAIR))
            .process(ScoreJoinProcessor.supplier(models), Named.as("join-rewards"))
            .split(Named.as("joined-"))
            .branch((pairId, result) -> result instanceof JoinedPair.Failed, Branched.as("failed"))
            .defaultBranch(Branched.as("scored"));
        joined.get("joined-failed")
            .map((pairId, result) -> failedScoring(raw, ((JoinedPair.Failed) result).task()),
                Named.as("failed-to-dead-letter"))
            .to(rawDlq.name(), produced(rawDlq));
        KStream<String, ScoredPair> scoredPairs = joined.get("joined-scored")
            .mapValues(result -> ((JoinedPair.Scored) result).pair(), Named.as("scored-pairs"));

        // 5. Policy, step 1: RM consensus is accepted with no LLM call; the rest goes to the labeller.
        Map<String, KStream<String, ScoredPair>> firstPass = scoredPairs
            .split(Named.as("first-pass-"))
            .branch((pairId, pair) -> verdicts.afterScoring(pair) == Route.RM_CONSENSUS, Branched.as("consensus"))
            .defaultBranch(Branched.as("uncertain"));
        firstPass.get("first-pass-consensus")
            .mapValues(pair -> decisions.count(Route.RM_CONSENSUS, verdicts.consensus(pair, Instant.now())),
                Named.as("consensus-verdict"))
            .to(topics.pairsCurated().name(), produced(topics.pairsCurated()));
        firstPass.get("first-pass-uncertain")
            .peek((pairId, pair) -> decisions.count(Route.ADJUDICATE, pair), Named.as("count-adjudicate"))
            .to(topics.pairsAdjudicate().name(), produced(topics.pairsAdjudicate()));

        // 6. Policy, step 3: the verdict on labelled pairs.
        Topic<String, LabeledPair> labeled = topics.pairsLabeled();
        Map<String, KStream<String, Output>> afterLabelling = builder
            .stream(labeled.name(), Consumed.with(labeled.keySerde(), labeled.valueSerde()).withName("pairs-labeled"))
            .filter((pairId, pair) -> pair != null, Named.as("skip-labeled-tombstones"))
            .processValues(WithLineage<LabeledPair>::new, Named.as("labeled-lineage"))
            .flatMapValues(pair -> {
                Verdicts.Labelled decided = verdicts.afterLabelling(pair.value(), pair.lineage(), Instant.now());
                return decisions.count(decided.route(), decided.outputs());
            }, Named.as("labeled-verdicts"))
            .split(Named.as("verdict-"))
            .branch((pairId, out) -> out instanceof Output.Curated, Branched.as("curated"))
            .branch((pairId, out) -> out instanceof Output.Rejected, Branched.as("rejected"))
            .defaultBranch(Branched.as("review"));
        afterLabelling.get("verdict-curated").mapValues(out -> ((Output.Curated) out).verdict(), Named.as("curated"))
            .to(topics.pairsCurated().name(), produced(topics.pairsCurated()));
        afterLabelling.get("verdict-rejected").mapValues(out -> ((Output.Rejected) out).verdict(), Named.as("rejected"))
            .to(topics.pairsRejected().name(), produced(topics.pairsRejected()));
        afterLabelling.get("verdict-review").mapValues(out -> ((Output.Review) out).item(), Named.as("review"))
            .to(topics.pairsReview().name(), produced(topics.pairsReview()));

        // 7. Human verdicts (gold labels): route them, and close the pair's open review item.
        Topic<String, Verdict> human = topics.reviewVerdicts();
        Map<String, KStream<String, Verdict>> humanVerdicts = builder
            .stream(human.name(), Consumed.with(human.keySerde(), human.valueSerde()).withName("review-verdicts"))
            .filter((pairId, verdict) -> verdict != null, Named.as("skip-verdict-tombstones"))
            .split(Named.as("human-"))
            .branch((pairId, verdict) -> verdict.getDecision() == Decision.ACCEPT, Branched.as("accept"))
            .branch((pairId, verdict) -> verdict.getDecision() == Decision.REJECT, Branched.as("reject"))
            .defaultBranch(Branched.as("undecided"));
        humanVerdicts.get("human-accept").to(topics.pairsCurated().name(), produced(topics.pairsCurated()));
        humanVerdicts.get("human-reject").to(topics.pairsRejected().name(), produced(topics.pairsRejected()));
        humanVerdicts.get("human-accept").merge(humanVerdicts.get("human-reject"), Named.as("human-decided"))
            .mapValues(verdict -> (ReviewItem) null, Named.as("close-review-item"))
            .to(topics.pairsReview().name(), produced(topics.pairsReview()));
        Topic<byte[], DeadLetter> humanDlq = topics.dlq(human);
        humanVerdicts.get("human-undecided")
            .processValues(WithLineage<Verdict>::new, Named.as("undecided-lineage"))
            .map((pairId, verdict) -> KeyValue.pair(pairId.getBytes(StandardCharsets.UTF_8), DeadLetters.of(pairId,
                human.valueSerde().serializer().serialize(human.name(), verdict.value()), verdict.lineage(),
                IllegalArgumentException.class.getName(), "a human verdict must be ACCEPT or REJECT, got "
                    + verdict.value().getDecision(), 1, Instant.now())), Named.as("undecided-to-dead-letter"))
            .to(humanDlq.name(), produced(humanDlq));

        return builder.build();
    }

    private static KeyValue<String, ScoringTask> request(Sourced<PreferencePair> pair, String responseId) {
        return KeyValue.pair(responseId, ScoringTask.of(pair.value(), pair.lineage(), responseId));
    }

    private static KeyValue<byte[], DeadLetter> toDeadLetter(Topic<String, PreferencePair> raw,
                                                             Sourced<PreferencePair> pair, String errorClass,
                                                             String reason, int attempts) {
        String pairId = pair.value().getPairId();
        byte[] value = raw.valueSerde().serializer().serialize(raw.name(), pair.value());
        return KeyValue.pair(pairId.getBytes(StandardCharsets.UTF_8),
            DeadLetters.of(pairId, value, pair.lineage(), errorClass, reason, attempts, Instant.now()));
    }

    /**
     * A scored task goes back to the join with its reward, and without the pair's text unless it is the
     * carrier; a failed one with its failure and the pair, so the pair can be dead-lettered as read.
     */
    private static ScoringTask backToPair(AsyncOutcome<ScoringTask, Float> outcome, RewardModels models) {
        ScoringTask task = outcome.input();
        if (outcome instanceof AsyncOutcome.Failure<ScoringTask, Float> failure) {
            return task.withFailure(new ScoringFailure(failure.deadLetter().getErrorClass(),
                "reward model " + task.model().getName() + " failed on response " + task.responseId() + ": "
                    + failure.deadLetter().getMessage(), failure.deadLetter().getAttempts()));
        }
        ScoringTask scored = task.withReward(((AsyncOutcome.Success<ScoringTask, Float>) outcome).result());
        return scored.carriesPairBack(models.best()) ? scored : scored.withoutPair();
    }

    /** A pair whose reward call failed for good goes to pairs.raw.dlq as it was read, so it can be replayed. */
    private static KeyValue<byte[], DeadLetter> failedScoring(Topic<String, PreferencePair> raw, ScoringTask task) {
        ScoringFailure failure = task.failure();
        return toDeadLetter(raw, new Sourced<>(task.pair(), task.lineage()), failure.errorClass(), failure.reason(),
            failure.attempts());
    }

    private static <K, V> Produced<K, V> produced(Topic<K, V> topic) {
        return Produced.with(topic.keySerde(), topic.valueSerde());
    }
}
