package io.prefstream.platform.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The meter registry of one PrefStream process and the binders that fill it. Every meter carries the
 * common tag {@code stage} so one dashboard can tell the stages apart even when several share a JVM
 * (the embedded {@code local} stack). The names the binders produce are listed in docs/METRICS.md.
 *
 * <p>{@link #bind(KafkaStreams, MeterRegistry)} is for Kafka Streams stages, which bring kafka-streams
 * (an optional dependency of this module); plain clients are bound with {@link ClientMetrics}, which needs
 * only kafka-clients.
 */
public final class StageMetrics {
    /** Common tag on every meter of the registry. */
    public static final String STAGE_TAG = "stage";

    private StageMetrics() {}

    /** A Prometheus registry tagged {@code stage=<stage>}, with JVM and process metrics bound. */
    public static PrometheusMeterRegistry registry(String stage) {
        if (stage == null || stage.isBlank()) {
            throw new IllegalArgumentException("stage name must not be blank: it tags every metric");
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags(STAGE_TAG, stage);
        bindJvm(registry);
        return registry;
    }

    /** JVM memory, GC, threads, class loading, CPU and uptime. */
    public static void bindJvm(MeterRegistry registry) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        // JvmGcMetrics listens for GC notifications; it lives as long as the registry (the process).
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * Every metric of a Kafka Streams instance (thread, task, processor and store levels, plus its
     * embedded clients: consumer lag, producer rates) as {@code kafka.stream.*}, {@code kafka.consumer.*},
     * {@code kafka.producer.*} meters. Close the result when the instance closes.
     */
    public static KafkaStreamsMetrics bind(KafkaStreams streams, MeterRegistry registry) {
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
        return metrics;
    }
}
