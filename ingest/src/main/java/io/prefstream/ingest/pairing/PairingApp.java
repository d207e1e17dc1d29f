package io.prefstream.ingest.pairing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.dedup.DedupMeters;
import io.prefstream.ingest.dedup.PairDedupTopology;
import io.prefstream.ingest.produce.TopicProvisioner;
import io.prefstream.schemas.topic.Topic;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * The ingest service's Kafka Streams application, exactly-once ({@code exactly_once_v2}), with two
 * sub-topologies writing pairs.raw: the pairing of generations ({@link PairingTopology}) and the
 * dedup of submitted ready-made pairs ({@link PairDedupTopology}). The pairs emitted, the state
 * changes and the input offsets commit together, so a crash neither loses nor repeats a pair.
 * Input records that cannot be deserialized go to their topic's {@code .dlq} ({@link PoisonInputHandler}).
 * Client settings pass through from the configuration ({@code state.dir}, {@code num.stream.threads},
 * security); application.id and the guarantee are set here.
 */
public final class PairingApp implements AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final DedupMeters dedup;

    private PairingApp(KafkaStreams streams, DedupMeters dedup) {
        this.streams = streams;
        this.dedup = dedup;
    }

    /** As {@link #start(IngestConfig, Topics, MeterRegistry)}, counting into a registry of its own. */
    public static PairingApp start(IngestConfig config, Topics topics) {
        return start(config, topics, new SimpleMeterRegistry());
    }

    /**
     * Creates its topics (inputs, pairs.raw, the inputs' dead-letter topics) if missing, then starts
     * the topology, its meters registered in {@code metrics}; returns at once.
     */
    public static PairingApp start(IngestConfig config, Topics topics, MeterRegistry metrics) {
        List<Topic<?, ?>> needed = new ArrayList<>(List.of(topics.generations(), topics.pairsSubmitted(), topics.pairsRaw()));
        PoisonInputHandler.inputs(topics).forEach(input -> needed.add(topics.dlq(input)));
        TopicProvisioner.ensure(config.kafkaClientProperties(), needed, config.startupTimeout());
        Properties properties = new Properties();
        properties.putAll(config.kafkaClientProperties());
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, config.pairingApplicationId());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, PoisonInputHandler.class);
        properties.put(PoisonInputHandler.ROUTING, PoisonInputHandler.Routing.of(topics));
        DedupMeters dedup = DedupMeters.register(metrics);
        KafkaStreams streams = new KafkaStreams(topology(config, topics, dedup), properties);
        streams.start();
        return new PairingApp(streams, dedup);
    }

    /** Both sub-topologies: generations → pairing → pairs.raw, and pairs.submitted → dedup → pairs.raw. */
    public static Topology topology(IngestConfig config, Topics topics, DedupMeters dedup) {
        Topology topology = PairingTopology.build(topics.generations(), topics.pairsRaw(), config.pairingSettings());
        return PairDedupTopology.addTo(topology, topics.pairsSubmitted(), topics.pairsRaw(), config.dedupRetention(), dedup);
    }

    /** Submitted pairs this instance dropped as duplicates since it started. */
    public long duplicatePairs() {
        return (long) dedup.duplicates().count();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The running instance, for metrics and health checks. */
    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        streams.close(CLOSE_TIMEOUT);
    }
}
