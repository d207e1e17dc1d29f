package io.prefstream.platform.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Meters of plain Kafka clients, for stages that are not Kafka Streams applications (the sink's consumer,
 * ingest's producer). Kept apart from {@link StageMetrics#bind(org.apache.kafka.streams.KafkaStreams,
 * MeterRegistry)} on purpose: resolving a call among overloads that mention {@code KafkaStreams} needs
 * kafka-streams on the caller's class path, and a plain-client stage should not need it.
 */
public final class ClientMetrics {
    private ClientMetrics() {}

    /** Metrics of a consumer, as {@code kafka.consumer.*}. Close the result with the consumer. */
    public static KafkaClientMetrics bind(Consumer<?, ?> consumer, MeterRegistry registry) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(registry);
        return metrics;
    }

    /** Metrics of a producer, as {@code kafka.producer.*}. Close the result with the producer. */
    public static KafkaClientMetrics bind(Producer<?, ?> producer, MeterRegistry registry) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(registry);
        return metrics;
    }
}
