package io.prefstream.app.campaign;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.schemas.DeadLetter;
import io.prefstream.schemas.topic.Topic;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Poison records on the topics the stages consume, one per class and topic, each derived from a real
 * record of that topic (so only the fault differs): each must reach the topic's dead-letter topic, with
 * its reason, from the stage that consumes it.
 */
final class TopicBadInput {
    /** How each kind of poison is made from a valid Confluent-framed value of the topic. */
    enum Kind {
        WRONG_MAGIC_BYTE,
        UNKNOWN_SCHEMA_ID,
        TRUNCATED_AVRO,
        HEADER_ONLY_FRAGMENT,
        FOREIGN_SCHEMA
    }

    /** Keys of the poison records start with this; the audit leaves them out of the pipeline's pairs. */
    static final String KEY_PREFIX = "bad-input/";

    /** One poison record: where it goes and the key that finds its dead letter. */
    record Poison(Topic<?, ?> topic, Kind kind, String key, byte[] value) {
        String name() {
            return topic.name() + " " + kind.name().toLowerCase().replace('_', ' ');
        }
    }

    /** A dead letter a poison record got: stage and reason as written. */
    record Caught(String stage, String errorClass, String message) {}

    private final Topics topics;
    private final Map<String, Object> clientProperties;

    TopicBadInput(Map<String, String> settings) {
        topics = new Topics(settings);
        clientProperties = new PrefStreamConfig(settings).kafkaClientProperties();
    }

    /** The topics a stage consumes and decodes with the registry. */
    List<Topic<?, ?>> consumed() {
        return List.of(topics.generations(), topics.pairsRaw(), topics.pairsAdjudicate(), topics.pairsLabeled(),
            topics.pairsCurated());
    }

    /** One valid value read (read_committed) from each consumed topic, waiting until each has one. */
    Map<Topic<?, ?>, byte[]> samples(Duration timeout) {
        Map<Topic<?, ?>, byte[]> samples = new LinkedHashMap<>();
        Map<String, Topic<?, ?>> byName = new HashMap<>();
        consumed().forEach(t -> byName.put(t.name(), t));
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(consumed())) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (samples.size() < byName.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null) {
                        samples.putIfAbsent(byName.get(record.topic()), record.value());
                    }
                }
            }
        }
        if (samples.size() < byName.size()) {
            throw new IllegalStateException("no valid record within " + timeout + " on "
                + byName.values().stream().filter(t -> !samples.containsKey(t)).map(Topic::name).toList());
        }
        return samples;
    }

    /** Every kind of poison for every consumed topic. */
    List<Poison> poisons(Map<Topic<?, ?>, byte[]> samples) {
        byte[] foreign = foreignValue();
        List<Poison> poisons = new ArrayList<>();
        samples.forEach((topic, valid) -> {
            for (Kind kind : Kind.values()) {
                String key = KEY_PREFIX + topic.name() + "/" + kind;
                poisons.add(new Poison(topic, kind, key, poison(kind, valid, foreign)));
            }
        });
        return poisons;
    }

    private static byte[] poison(Kind kind, byte[] valid, byte[] foreign) {
        return switch (kind) {
            case WRONG_MAGIC_BYTE -> {
                byte[] value = valid.clone();
                value[0] = 1;
                yield value;
            }
            case UNKNOWN_SCHEMA_ID -> {
                byte[] value = valid.clone();
                ByteBuffer.wrap(value, 1, 4).putInt(0x7FFF_FFF0);
                yield value;
            }
            case TRUNCATED_AVRO -> Arrays.copyOf(valid, 5 + (valid.length - 5) / 2);
            case HEADER_ONLY_FRAGMENT -> Arrays.copyOf(valid, 3);
            case FOREIGN_SCHEMA -> foreign;
        };
    }

    /** A valid value of another record type (a DeadLetter), framed with its own registered schema id. */
    private byte[] foreignValue() {
        Topic<byte[], DeadLetter> dlq = topics.dlq(topics.pairsReview());
        DeadLetter letter = DeadLetter.newBuilder().setSourceTopic("campaign").setPartition(0).setOffset(0)
            .setStage("campaign").setErrorClass("none").setMessage("a record of the wrong type")
            .setTimestamp(Instant.now()).build();
        return dlq.valueSerde().serializer().serialize(dlq.name(), letter);
    }

    void send(List<Poison> poisons) throws Exception {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (Poison poison : poisons) {
                producer.send(new ProducerRecord<>(poison.topic().name(), poison.key().getBytes(StandardCharsets.UTF_8),
                    poison.value())).get();
            }
        }
    }

    /**
     * Waits until every poison record has a dead letter (matched by its original key), or the deadline;
     * {@code check} runs between polls (it fails the campaign if a stage crashed).
     */
    Map<Poison, List<Caught>> awaitDeadLetters(List<Poison> poisons, Duration timeout, Runnable check) {
        Map<String, Poison> byKey = new HashMap<>();
        poisons.forEach(p -> byKey.put(p.key(), p));
        Map<Poison, List<Caught>> caught = new LinkedHashMap<>();
        List<Topic<?, ?>> dlqs = consumed().stream().<Topic<?, ?>>map(topics::dlq).toList();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(dlqs)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (caught.size() < poisons.size() && System.nanoTime() < deadline) {
                check.run();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    DeadLetter letter = topics.dlq(topics.pairsReview()).valueSerde().deserializer()
                        .deserialize(record.topic(), record.value());
                    String key = letter.getOriginalKey() == null ? null
                        : StandardCharsets.UTF_8.decode(letter.getOriginalKey()).toString();
                    Poison poison = byKey.get(key);
                    if (poison != null) {
                        caught.computeIfAbsent(poison, p -> new ArrayList<>()).add(new Caught(letter.getStage(),
                            letter.getErrorClass(), letter.getMessage()));
                    }
                }
            }
        }
        return caught;
    }

    private KafkaConsumer<byte[], byte[]> consumer(List<Topic<?, ?>> of) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<?, ?> topic : of) {
            for (PartitionInfo info : consumer.partitionsFor(topic.name())) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
