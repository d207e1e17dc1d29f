package io.prefstream.sinks.review;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.schemas.ReviewItem;
import io.prefstream.schemas.topic.Topic;

/**
 * What waits in {@code pairs.review}: the topic read from the beginning to its last committed
 * offset, keeping the latest item per pair; a tombstone (written when a verdict was imported) closes
 * the pair's item. Reads with manual assignment and no group, so reading changes nothing.
 */
public final class ReviewQueue {
    private ReviewQueue() {}

    /**
     * An open item and where it was read.
     *
     * @param item      the item
     * @param partition partition of its record
     * @param offset    offset of its record
     */
    public record Waiting(ReviewItem item, int partition, long offset) {}

    /** The open items by pair_id, ordered by pair_id. */
    public static SortedMap<String, Waiting> read(PrefStreamConfig config, Topic<String, ReviewItem> topic,
                                                  Duration timeout) {
        Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Deserializer<ReviewItem> items = topic.valueSerde().deserializer();
        SortedMap<String, Waiting> waiting = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties,
            topic.keySerde().deserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), timeout).stream()
                .map(info -> new TopicPartition(topic.name(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        waiting.remove(record.key());
                    } else {
                        waiting.put(record.key(), new Waiting(
                            items.deserialize(record.topic(), record.headers(), record.value()),
                            record.partition(), record.offset()));
                    }
                }
            }
        }
        return waiting;
    }
}
