package io.prefstream.consistency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.prefstream.platform.testing.Await;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.topic.Topic;

/** Writes pairs to a real topic and reads topics back as a read_committed consumer would. */
final class TopicIO {
    private TopicIO() {
    }

    /**
     * Sends every pair and waits for each acknowledgement. Waits first until every partition's leader
     * answers: producing into a topic created a moment ago can otherwise hit a leader that is not ready.
     */
    static void send(String bootstrap, Topic<String, PreferencePair> topic, List<PreferencePair> pairs) {
        awaitLeaders(bootstrap, topic.name());
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.LINGER_MS_CONFIG, 20);
        try (KafkaProducer<String, PreferencePair> producer = new KafkaProducer<>(config, topic.keySerde().serializer(),
            topic.valueSerde().serializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            pairs.forEach(pair -> acks.add(producer.send(new ProducerRecord<>(topic.name(), pair.getPairId(), pair))));
            for (Future<RecordMetadata> ack : acks) {
                ack.get(2, TimeUnit.MINUTES);
            }
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("could not send the pairs to " + topic.name() + ": " + e, e);
        }
    }

    /** Sends one record of raw bytes, e.g. one no deserializer accepts. */
    static void sendBytes(String bootstrap, String topic, byte[] key, byte[] value) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<byte[], byte[]> producer =
                 new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(2, TimeUnit.MINUTES);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("could not send to " + topic + ": " + e, e);
        }
    }

    private static void awaitLeaders(String bootstrap, String topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<byte[], byte[]> consumer =
                 new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Await.until(Duration.ofSeconds(60), "leaders of " + topic + " answering", () -> {
                try {
                    List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                    return !partitions.isEmpty() && consumer.endOffsets(partitions, Duration.ofSeconds(5)).size()
                        == partitions.size();
                } catch (KafkaException e) {
                    return false;
                }
            });
        }
    }

    /** Every record committed to {@code topic} so far, up to each partition's last stable offset. */
    static <K, V> List<ConsumerRecord<K, V>> readCommitted(String bootstrap, Topic<K, V> topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(),
            topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<K, V>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
