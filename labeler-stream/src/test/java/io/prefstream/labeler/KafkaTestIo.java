package io.prefstream.labeler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.schemas.ScoredPair;
import io.prefstream.schemas.topic.Topic;

/** Producing pairs and reading a topic back with read_committed, for the broker tests. */
final class KafkaTestIo {
    private KafkaTestIo() {
    }

    /** Sends {@code pairs} once every partition of the (just created) topic has a leader. */
    static void produce(String bootstrap, Topic<String, ScoredPair> topic, List<ScoredPair> pairs) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Await.until(Duration.ofSeconds(30), "a leader for every partition of " + topic.name(), () -> {
                try {
                    return admin.describeTopics(List.of(topic.name())).allTopicNames().get().get(topic.name())
                        .partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                } catch (InterruptedException | ExecutionException e) {
                    return false;
                }
            });
        }
        // Not idempotent (one request in flight keeps the order): right after a topic is created, the idempotent
        // producer was seen to get NOT_LEADER_OR_FOLLOWER and then OUT_OF_ORDER_SEQUENCE_NUMBER for its whole
        // delivery timeout (2 min). A duplicate from a retry would fail the exactly-once assertions, not hide.
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (KafkaProducer<String, ScoredPair> producer = new KafkaProducer<>(props, topic.keySerde().serializer(),
            topic.valueSerde().serializer())) {
            for (ScoredPair pair : pairs) {
                producer.send(new ProducerRecord<>(topic.name(), pair.getPair().getPairId(), pair));
            }
            producer.flush();
        }
    }

    /**
     * Reads {@code topic} from the beginning with read_committed until {@code expected} records have
     * arrived and then for {@code settle} more, so that duplicates arriving late are seen too.
     */
    static <K, V> List<ConsumerRecord<K, V>> readCommitted(String bootstrap, Topic<K, V> topic, int expected,
                                                         Duration timeout, Duration settle) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, SharedKafkaBroker.uniqueName("reader"));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
            topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            Await.until(timeout, expected + " records on " + topic.name(), () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
            long settleUntil = System.nanoTime() + settle.toNanos();
            while (System.nanoTime() < settleUntil) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
