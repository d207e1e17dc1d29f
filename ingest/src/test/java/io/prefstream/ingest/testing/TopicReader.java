package io.prefstream.ingest.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.prefstream.platform.testing.Await;
import io.prefstream.schemas.topic.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a whole topic back through its declared serdes, for exact counts and content checks. */
public final class TopicReader {
    private TopicReader() {}

    /** Every record of {@code topic}, read (read_committed) until the end offsets at the time of the call. */
    public static <K, V> List<ConsumerRecord<K, V>> readAll(String bootstrap, Topic<K, V> topic) {
        Map<String, Object> properties = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(properties, topic.keySerde().deserializer(),
            topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<K, V>> records = new ArrayList<>();
            Await.until(Duration.ofSeconds(60), "reading " + topic.name() + " to " + end, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            return records;
        }
    }
}
