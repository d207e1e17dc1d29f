package io.prefstream.app.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.schemas.topic.Topic;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * When each pair became visible on its terminal topic to a read_committed reader, as a trainer
 * consuming pairs.curated would see it: pairs.curated, pairs.rejected and pairs.review (where a pair
 * is decided), and every dead-letter topic (where it ended undecided). It reads only what arrives after
 * it was created, and only these topics, so it adds little work to the machine it measures.
 */
final class TerminalLatencies implements AutoCloseable {
    /** The first sighting of a pair: its prompt, when it was read (nano time) and its record's age then. */
    private record Seen(String promptId, long seenNanos, long recordAgeMillis) {}

    private final Topics topics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Seen> curated = new HashMap<>();
    private final Map<String, Seen> decided = new HashMap<>();
    private final Set<String> deadLettered = new HashSet<>();

    TerminalLatencies(Map<String, String> settings) {
        topics = new Topics(settings);
        Map<String, Object> props = new HashMap<>(new PrefStreamConfig(settings).kafkaClientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "prefstream-bench-latency");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<?, ?> topic : topics.all()) {
            if (isTerminal(topic.name())) {
                for (PartitionInfo info : consumer.partitionsFor(topic.name())) {
                    partitions.add(new TopicPartition(info.topic(), info.partition()));
                }
            }
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now: what follows is what is measured
    }

    private boolean isTerminal(String topic) {
        return topic.endsWith(Topics.DLQ_SUFFIX) || topic.equals(topics.pairsCurated().name())
            || topic.equals(topics.pairsRejected().name()) || topic.equals(topics.pairsReview().name());
    }

    /** Reads whatever arrived, waiting at most {@code wait}. */
    void update(Duration wait) {
        var records = consumer.poll(wait);
        long nowNanos = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String topic = record.topic();
            String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
            if (topic.endsWith(Topics.DLQ_SUFFIX)) {
                deadLettered.add(key);
                continue;
            }
            if (record.value() == null) {
                continue; // a review item withdrawn: the pair was seen when it arrived
            }
            String promptId;
            if (topic.equals(topics.pairsReview().name())) {
                promptId = topics.pairsReview().valueSerde().deserializer().deserialize(topic, record.value())
                    .getPair().getPromptId();
            } else {
                promptId = topics.pairsCurated().valueSerde().deserializer().deserialize(topic, record.value())
                    .getPair().getPromptId();
            }
            Seen seen = new Seen(promptId, nowNanos, nowMillis - record.timestamp());
            decided.putIfAbsent(key, seen);
            if (topic.equals(topics.pairsCurated().name())) {
                curated.putIfAbsent(key, seen);
            }
        }
    }

    /** Distinct pairs that reached an end since this reader was created. */
    int ended() {
        Set<String> ended = new HashSet<>(decided.keySet());
        ended.addAll(deadLettered);
        return ended.size();
    }

    int deadLettered() {
        Set<String> only = new HashSet<>(deadLettered);
        only.removeAll(decided.keySet());
        return only.size();
    }

    /** Milliseconds from each curated pair's prompt being due ({@code dueNanos} of its prompt) to its sighting. */
    long[] curatedLatencies(ToIntFunction<String> promptIndex, OpenLoopSchedule schedule) {
        return latencies(curated, promptIndex, schedule);
    }

    /** As {@link #curatedLatencies}, for every decided pair (curated, rejected or review). */
    long[] decidedLatencies(ToIntFunction<String> promptIndex, OpenLoopSchedule schedule) {
        return latencies(decided, promptIndex, schedule);
    }

    /** For every decided pair: wall-clock age, at sighting, of its terminal record's Kafka timestamp, ms. */
    long[] decidedRecordAges() {
        return decided.values().stream().mapToLong(Seen::recordAgeMillis).toArray();
    }

    private static long[] latencies(Map<String, Seen> seen, ToIntFunction<String> promptIndex,
                                    OpenLoopSchedule schedule) {
        return seen.values().stream().mapToLong(s -> {
            int index = promptIndex.applyAsInt(s.promptId());
            if (index < 0) {
                throw new IllegalStateException("a pair of prompt " + s.promptId() + " ended that was not fed");
            }
            return Math.round((s.seenNanos() - schedule.dueNanos(index)) / 1e6);
        }).toArray();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
