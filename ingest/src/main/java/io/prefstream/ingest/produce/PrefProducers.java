package io.prefstream.ingest.produce;

import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.validate.Validator;
import io.prefstream.schemas.Generation;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.topic.Topic;
import io.prefstream.schemas.topic.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;

/** Creates {@link PrefProducer}s from configuration. */
public final class PrefProducers {
    private PrefProducers() {}

    /**
     * A producer for the topics of {@code config} (generations, and pairs.submitted, which the ingest
     * service's Streams app deduplicates into pairs.raw), with its Kafka client settings passed through
     * unchanged except the two that make "acknowledged" mean durable and unduplicated, which are
     * forced: {@code enable.idempotence=true} and {@code acks=all}.
     */
    public static PrefProducer create(IngestConfig config, Topics topics) {
        return create(config, topics, Map.of());
    }

    /** As {@link #create(IngestConfig, Topics)}, with {@code defaults} for client settings the config leaves unset. */
    public static PrefProducer create(IngestConfig config, Topics topics, Map<String, Object> defaults) {
        Map<String, Object> properties = new TreeMap<>(config.kafkaClientProperties());
        defaults.forEach(properties::putIfAbsent);
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "prefstream-ingest");
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        // With several requests in flight, a first batch answered NOT_LEADER_OR_FOLLOWER on a partition
        // the broker was still taking over was retried after more than the broker's 5-batch dedup
        // window had been appended, ending in OutOfOrderSequenceException (seen on a fresh single-node
        // KRaft broker). One request in flight keeps retries in order; raise it where throughput matters.
        properties.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(properties,
            topics.generations().keySerde().serializer(), new ByTopicSerializer(topics.generations(), topics.pairsSubmitted()));
        return new PrefProducer(producer, topics.generations().name(), topics.pairsSubmitted().name(),
            new RecordBuilder(new Validator(config.limits()), Clock.systemUTC()));
    }

    /** One Kafka producer for both topics, each value written with the serde its topic declares. */
    private record ByTopicSerializer(Topic<String, Generation> generations, Topic<String, PreferencePair> pairs)
        implements Serializer<SpecificRecord> {

        @Override
        public byte[] serialize(String topic, SpecificRecord value) {
            if (topic.equals(generations.name())) {
                return generations.valueSerde().serializer().serialize(topic, (Generation) value);
            }
            if (topic.equals(pairs.name())) {
                return pairs.valueSerde().serializer().serialize(topic, (PreferencePair) value);
            }
            throw new IllegalArgumentException("PrefProducer does not write to topic " + topic);
        }

        @Override
        public void close() {
            // the serdes belong to Topics, which outlives this producer
        }
    }
}
