package io.prefstream.app.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.schemas.CurationPath;
import io.prefstream.schemas.Generation;
import io.prefstream.schemas.Verdict;
import io.prefstream.schemas.topic.Topic;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every pipeline topic from the beginning, as a trainer would (read_committed), and keeps
 * the per-pair picture the demo and the benchmarks report: which pairs exist, where each one ended,
 * by which path. Every count is of distinct ids, so a record read twice never counts twice.
 */
public final class PipelineTally implements AutoCloseable {
    private final Topics topics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Set<String>> responsesByPrompt = new HashMap<>();
    private final Set<String> rawPairs = new HashSet<>();
    private final Set<String> adjudicated = new HashSet<>();
    private final Set<String> labeled = new HashSet<>();
    private final Map<String, Verdict> curated = new HashMap<>();
    private final Set<String> rejected = new HashSet<>();
    private final Set<String> review = new HashSet<>();
    private final Set<String> deadLettered = new HashSet<>();
    /** Pair ids that reached an end (curated, rejected, review, a dead letter), kept as they arrive: the benchmarks ask after every poll. */
    private final Set<String> ended = new HashSet<>();
    private long rawPairsEnded;
    private long generations;

    /** A tally of the pipeline these settings (topic prefix, brokers, registry, client security) point at. */
    public static PipelineTally of(Map<String, String> settings) {
        return new PipelineTally(new Topics(settings), new PrefStreamConfig(settings).kafkaClientProperties());
    }

    private PipelineTally(Topics topics, Map<String, Object> clientProperties) {
        this.topics = topics;
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "prefstream-demo-tally");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<?, ?> topic : topics.all()) {
            for (PartitionInfo info : consumer.partitionsFor(topic.name())) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads whatever arrived since the last call, waiting at most {@code wait} for it. */
    public void update(Duration wait) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
            apply(record);
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        String topic = record.topic();
        String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        if (topic.endsWith(Topics.DLQ_SUFFIX)) {
            deadLettered.add(key);
            ended(key);
        } else if (topic.equals(topics.generations().name())) {
            Generation generation = topics.generations().valueSerde().deserializer().deserialize(topic, record.value());
            generations++;
            responsesByPrompt.computeIfAbsent(generation.getPromptId(), p -> new HashSet<>()).add(generation.getResponseId());
        } else if (topic.equals(topics.pairsRaw().name())) {
            if (rawPairs.add(key) && ended.contains(key)) {
                rawPairsEnded++;
            }
        } else if (topic.equals(topics.pairsAdjudicate().name())) {
            adjudicated.add(key);
        } else if (topic.equals(topics.pairsLabeled().name())) {
            labeled.add(key);
        } else if (topic.equals(topics.pairsCurated().name())) {
            if (record.value() != null) {
                curated.put(key, topics.pairsCurated().valueSerde().deserializer().deserialize(topic, record.value()));
                ended(key);
            }
        } else if (topic.equals(topics.pairsRejected().name())) {
            rejected.add(key);
            ended(key);
        } else if (topic.equals(topics.pairsReview().name())) {
            if (record.value() == null) {
                review.remove(key);
            } else {
                review.add(key);
                ended(key);
            }
        }
    }

    private void ended(String key) {
        if (ended.add(key) && rawPairs.contains(key)) {
            rawPairsEnded++;
        }
    }

    /** Generation records read (not distinct). */
    public long generations() {
        return generations;
    }

    public long prompts() {
        return responsesByPrompt.size();
    }

    public long distinctResponses() {
        return responsesByPrompt.values().stream().mapToLong(Set::size).sum();
    }

    /** Pairs the pairing stage makes of the generations read: n(n-1)/2 per prompt with n distinct responses. */
    public long pairsExpected() {
        return responsesByPrompt.values().stream().mapToLong(r -> (long) r.size() * (r.size() - 1) / 2).sum();
    }

    public long pairs() {
        return rawPairs.size();
    }

    public long adjudicated() {
        return adjudicated.size();
    }

    public long labeled() {
        return labeled.size();
    }

    public long curatedRecords() {
        return curated.size();
    }

    public long consensus() {
        return curated.values().stream().filter(v -> v.getPath() == CurationPath.RM_CONSENSUS).count();
    }

    public long accepted() {
        return curated.values().stream().filter(v -> !v.getFlipped()).count();
    }

    public long flipped() {
        return curated.values().stream().filter(Verdict::getFlipped).count();
    }

    /** Rejected and not recycled as a flipped pair. */
    public long rejected() {
        return rejected.stream().filter(key -> !isFlipped(key)).count();
    }

    public long review() {
        return review.size();
    }

    /** Pairs whose only end is a dead-letter topic. */
    public long deadLettered() {
        return deadLettered.stream().filter(key -> !decided(key)).count();
    }

    /** Pairs of pairs.raw that reached an end: curated, rejected, review or a dead-letter topic. */
    public long terminal() {
        return rawPairsEnded;
    }

    /** Pairs of pairs.raw curated by RM consensus, without any LLM call. */
    public long decidedWithoutLlm() {
        return rawPairs.stream().filter(key -> !adjudicated.contains(key)).map(curated::get)
            .filter(v -> v != null && v.getPath() == CurationPath.RM_CONSENSUS).count();
    }

    /** Every pair the input makes exists and has reached an end. */
    public boolean complete() {
        boolean allPaired = generations == 0 || pairs() >= pairsExpected();
        return allPaired && pairs() > 0 && terminal() == pairs();
    }

    private boolean decided(String key) {
        return curated.containsKey(key) || rejected.contains(key) || review.contains(key);
    }

    private boolean isFlipped(String key) {
        Verdict verdict = curated.get(key);
        return verdict != null && verdict.getFlipped();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
