package io.prefstream.schemas.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.schemas.DeadLetter;
import io.prefstream.schemas.Generation;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.ReviewItem;
import io.prefstream.schemas.ScoredPair;
import io.prefstream.schemas.LabeledPair;
import io.prefstream.schemas.Verdict;
import io.prefstream.schemas.registry.SchemaRegistryClient;
import io.prefstream.schemas.registry.SchemaRegistryClientConfig;
import io.prefstream.schemas.registry.SchemaRegistryClients;
import io.prefstream.schemas.serde.AvroSerde;
import io.prefstream.schemas.serde.AvroSerdeConfig;

/**
 * Every topic of the pipeline, declared once: name ({@code topic.prefix} + base name), key and value
 * serdes, partitions and topic configs. Pair topics are keyed by {@code pair_id} and generations by
 * {@code prompt_id}, so all records about one pair (or prompt) stay on one partition and in order.
 * Each topic has a dead-letter topic {@code <name>.dlq} for the records its consumers could not process.
 * All serdes share one registry client, so the schema caches are shared too.
 */
public final class Topics {
    public static final String GENERATIONS = "generations";
    public static final String PAIRS_SUBMITTED = "pairs.submitted";
    public static final String PAIRS_RAW = "pairs.raw";
    public static final String PAIRS_ADJUDICATE = "pairs.adjudicate";
    public static final String PAIRS_LABELED = "pairs.labeled";
    public static final String PAIRS_CURATED = "pairs.curated";
    public static final String PAIRS_REJECTED = "pairs.rejected";
    public static final String PAIRS_REVIEW = "pairs.review";
    public static final String REVIEW_VERDICTS = "review.verdicts";
    /** Suffix of a topic's dead-letter topic. */
    public static final String DLQ_SUFFIX = ".dlq";

    /** Compacted topics keep records this long before compaction, so slow readers still see every record. */
    private static final String MIN_COMPACTION_LAG_MS = Long.toString(Duration.ofDays(1).toMillis());

    private final SchemaRegistryClient registry;
    private final TopicsConfig config;
    private final Map<String, Object> serdeConfig;
    private final Optional<Short> replicationFactor;

    private final Topic<String, Generation> generations;
    private final Topic<String, PreferencePair> pairsSubmitted;
    private final Topic<String, PreferencePair> pairsRaw;
    private final Topic<String, ScoredPair> pairsAdjudicate;
    private final Topic<String, LabeledPair> pairsLabeled;
    private final Topic<String, Verdict> pairsCurated;
    private final Topic<String, Verdict> pairsRejected;
    private final Topic<String, ReviewItem> pairsReview;
    private final Topic<String, Verdict> reviewVerdicts;
    private final Map<String, Topic<byte[], DeadLetter>> deadLetters = new LinkedHashMap<>();

    /** The topics of a process configured with {@code config} (its prefix, registry and topic keys). */
    public static Topics from(PrefStreamConfig config) {
        return new Topics(config.originals());
    }

    /** The topics for these settings, with a registry client created from them. */
    public Topics(Map<String, ?> originals) {
        this(new TopicsConfig(originals), null);
    }

    /** The topics for these settings, serialized through {@code registry} (null: create one from the settings). */
    public Topics(TopicsConfig config, SchemaRegistryClient registry) {
        this.config = config;
        this.serdeConfig = serdeConfig(config);
        this.registry = registry != null ? registry : SchemaRegistryClients.create(serdeConfig);
        short rf = config.getShort(TopicsConfig.REPLICATION_FACTOR);
        this.replicationFactor = rf > 0 ? Optional.of(rf) : Optional.empty();
        String retention = Long.toString(config.getLong(TopicsConfig.RETENTION_MS));

        generations = topic(GENERATIONS, Generation.class, deleted(retention),
            "Model responses to prompts, not yet paired. Key: prompt_id, so all responses to a prompt meet on one "
                + "partition. Written by producers (ingest), read by the pairing stage.");
        pairsSubmitted = topic(PAIRS_SUBMITTED, PreferencePair.class, deleted(retention),
            "Ready-made preference pairs as producers sent them (ingest CLI, HTTP endpoint, PrefProducer), duplicates "
                + "included. Key: pair_id. Read by the ingest service's dedup, which drops pairs already submitted within "
                + "its retention and forwards the rest to pairs.raw.");
        pairsRaw = topic(PAIRS_RAW, PreferencePair.class, deleted(retention),
            "Preference pairs to curate, with or without a proposed label, each pair_id once (within the ingest dedup "
                + "retention). Key: pair_id. Written by the ingest service (deduplicated submitted pairs, and the "
                + "pairing of generations), read by the consistency (scoring) stage.");
        pairsAdjudicate = topic(PAIRS_ADJUDICATE, ScoredPair.class, deleted(retention),
            "Scored pairs the reward models did not agree on, to be labelled by LLM judges. Key: pair_id. Written by "
                + "the consistency stage, read by the labeler.");
        pairsLabeled = topic(PAIRS_LABELED, LabeledPair.class, deleted(retention),
            "Adjudicated pairs with LLM attributes and votes. Key: pair_id. Written by the labeler, read by the "
                + "consistency stage, which issues the verdict.");
        pairsCurated = topic(PAIRS_CURATED, Verdict.class, compacted(),
            "Accepted pairs (RM consensus, LLM-adjudicated, flipped, or accepted by a human) with their evidence: "
                + "the dataset. Key: pair_id; compacted, so the latest verdict per pair is kept forever. Read by the "
                + "dataset sink and by trainers.");
        pairsRejected = topic(PAIRS_REJECTED, Verdict.class,
            deleted(Long.toString(config.getLong(TopicsConfig.DLQ_RETENTION_MS))),
            "Rejected pairs with the evidence against them, kept for audits. Key: pair_id.");
        pairsReview = topic(PAIRS_REVIEW, ReviewItem.class, compacted(),
            "Pairs the policy could not decide (ties, no LLM majority), queued for human review. Key: pair_id; "
                + "compacted: one open item per pair. Read by the review export.");
        reviewVerdicts = topic(REVIEW_VERDICTS, Verdict.class, compacted(),
            "Human decisions on reviewed pairs (path HUMAN): gold labels. Key: pair_id; compacted, kept forever. "
                + "Written by the review import, read by the consistency stage.");
    }

    private static Map<String, Object> serdeConfig(TopicsConfig config) {
        Map<String, Object> serde = new HashMap<>(config.originals());
        serde.put(SchemaRegistryClientConfig.URL, config.schemaRegistryUrl());
        serde.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, config.getBoolean(TopicsConfig.AUTO_REGISTER_SCHEMAS));
        serde.put(AvroSerdeConfig.USE_LATEST_VERSION, config.getBoolean(TopicsConfig.USE_LATEST_VERSION));
        return serde;
    }

    private <V extends SpecificRecord> Topic<String, V> topic(String baseName, Class<V> valueClass,
                                                              Map<String, String> configs, String doc) {
        String name = config.topicPrefix() + baseName;
        Topic<String, V> topic = new Topic<>(name, doc, Serdes.String(), valueSerde(valueClass),
            config.getInt(TopicsConfig.PARTITIONS), replicationFactor, configs);
        deadLetters.put(name, new Topic<>(name + DLQ_SUFFIX,
            "Records of " + name + " that a stage could not process (poison input or exhausted retries), byte for "
                + "byte with the reason. Key: the original key bytes.",
            Serdes.ByteArray(), valueSerde(DeadLetter.class), config.getInt(TopicsConfig.DLQ_PARTITIONS),
            replicationFactor, deleted(Long.toString(config.getLong(TopicsConfig.DLQ_RETENTION_MS)))));
        return topic;
    }

    private <V extends SpecificRecord> AvroSerde<V> valueSerde(Class<V> valueClass) {
        return AvroSerde.specific(valueClass, registry, serdeConfig, false);
    }

    private static Map<String, String> deleted(String retentionMs) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG, retentionMs);
    }

    private static Map<String, String> compacted() {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, MIN_COMPACTION_LAG_MS);
    }

    public Topic<String, Generation> generations() {
        return generations;
    }

    public Topic<String, PreferencePair> pairsSubmitted() {
        return pairsSubmitted;
    }

    public Topic<String, PreferencePair> pairsRaw() {
        return pairsRaw;
    }

    public Topic<String, ScoredPair> pairsAdjudicate() {
        return pairsAdjudicate;
    }

    public Topic<String, LabeledPair> pairsLabeled() {
        return pairsLabeled;
    }

    public Topic<String, Verdict> pairsCurated() {
        return pairsCurated;
    }

    public Topic<String, Verdict> pairsRejected() {
        return pairsRejected;
    }

    public Topic<String, ReviewItem> pairsReview() {
        return pairsReview;
    }

    public Topic<String, Verdict> reviewVerdicts() {
        return reviewVerdicts;
    }

    /** The dead-letter topic of {@code input}. */
    public Topic<byte[], DeadLetter> dlq(Topic<?, ?> input) {
        Topic<byte[], DeadLetter> dlq = deadLetters.get(input.name());
        if (dlq == null) {
            throw new IllegalArgumentException(input.name() + " is not a pipeline topic of this configuration");
        }
        return dlq;
    }

    /** The pipeline topics in flow order, followed by their dead-letter topics. */
    public List<Topic<?, ?>> all() {
        List<Topic<?, ?>> all = new ArrayList<>(List.of(generations, pairsSubmitted, pairsRaw, pairsAdjudicate, pairsLabeled,
            pairsCurated, pairsRejected, pairsReview, reviewVerdicts));
        all.addAll(deadLetters.values());
        return all;
    }

    /** The registry client every serde here uses. */
    public SchemaRegistryClient registry() {
        return registry;
    }

    /**
     * Creates every topic of {@link #all()} that does not exist yet and waits for the brokers to confirm.
     * Existing topics are left as they are. Returns the names of the topics it created.
     */
    public List<String> createMissing(Admin admin, Duration timeout) {
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<Topic<?, ?>> missing = all().stream().filter(t -> !existing.contains(t.name())).toList();
            List<String> created = new ArrayList<>();
            var results = admin.createTopics(missing.stream().map(Topic::newTopic).toList()).values();
            for (var result : results.entrySet()) {
                try {
                    result.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(result.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new KafkaException("cannot create topic " + result.getKey() + ": " + e.getCause(), e);
                    }
                }
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("cannot list topics: " + e, e);
        }
    }
}
