package io.prefstream.sinks.review;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serdes;

import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.schemas.CurationPath;
import io.prefstream.schemas.Decision;
import io.prefstream.schemas.LabelSource;
import io.prefstream.schemas.Lineage;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.Verdict;
import io.prefstream.schemas.topic.Topics;

/**
 * Turns reviewed lines into final decisions, all in one Kafka transaction: every decision to
 * {@code review.verdicts} (path HUMAN), accepted ones also to {@code pairs.curated}, and a tombstone
 * to {@code pairs.review} closing each item. Either all of a file's decisions become visible or none.
 */
public final class ReviewImporter {
    /** policy_name of human verdicts. */
    public static final String POLICY_NAME = "human";
    /** policy_version of verdicts written by this importer. */
    public static final String POLICY_VERSION = "review-import/1";

    private final PrefStreamConfig config;
    private final Topics topics;
    private final Clock clock;

    public ReviewImporter(PrefStreamConfig config, Topics topics, Clock clock) {
        this.config = config;
        this.topics = topics;
        this.clock = clock;
    }

    /** The verdict a decision stands for. */
    public Verdict verdict(ReviewFile.Decision decision) {
        ReviewQueue.Waiting waiting = decision.waiting();
        PreferencePair proposed = waiting.item().getPair();
        boolean flipped = decision.outcome() == ReviewFile.Outcome.ACCEPT_FLIPPED;
        PreferencePair.Builder pair = PreferencePair.newBuilder(proposed).setLabelSource(LabelSource.HUMAN);
        if (flipped) {
            pair.setChosen(proposed.getRejected()).setRejected(proposed.getChosen());
        }
        Map<String, String> metadata = new HashMap<>(proposed.getMetadata());
        if (decision.reviewer() != null) {
            metadata.put("reviewer", decision.reviewer());
        }
        if (decision.note() != null) {
            metadata.put("review_note", decision.note());
        }
        pair.setMetadata(metadata);
        return Verdict.newBuilder()
            .setPair(pair.build())
            .setDecision(decision.outcome() == ReviewFile.Outcome.DISCARD ? Decision.REJECT : Decision.ACCEPT)
            .setPath(CurationPath.HUMAN)
            .setFlipped(flipped)
            .setEvidence(waiting.item().getEvidence())
            .setPolicyName(POLICY_NAME)
            .setPolicyVersion(POLICY_VERSION)
            .setLineage(new Lineage(topics.pairsReview().name(), waiting.partition(), waiting.offset()))
            .setDecidedAt(clock.instant())
            .build();
    }

    /** Writes the decisions in one transaction. Returns how many were accepted into the dataset. */
    public int importAll(List<ReviewFile.Decision> decisions) {
        Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "prefstream-review-import-" + UUID.randomUUID());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        int accepted = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties, Serdes.String().serializer(),
            Serdes.ByteArray().serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            try {
                for (ReviewFile.Decision decision : decisions) {
                    Verdict verdict = verdict(decision);
                    String key = verdict.getPair().getPairId();
                    send(producer, topics.reviewVerdicts().name(), key, verdict);
                    if (verdict.getDecision() == Decision.ACCEPT) {
                        send(producer, topics.pairsCurated().name(), key, verdict);
                        accepted++;
                    }
                    producer.send(new ProducerRecord<>(topics.pairsReview().name(), key, null));
                }
                producer.commitTransaction();
            } catch (KafkaException e) {
                producer.abortTransaction();
                throw e;
            }
        }
        return accepted;
    }

    private void send(KafkaProducer<String, byte[]> producer, String topic, String key, Verdict verdict) {
        byte[] value = topics.pairsCurated().valueSerde().serializer().serialize(topic, verdict);
        producer.send(new ProducerRecord<>(topic, key, value));
    }
}
