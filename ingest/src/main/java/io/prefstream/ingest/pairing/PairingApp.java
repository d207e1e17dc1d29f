package io.prefstream.ingest.pairing;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.produce.TopicProvisioner;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The pairing stage as a running Kafka Streams application, exactly-once ({@code exactly_once_v2}):
 * the pairs emitted, the state changes and the input offsets commit together, so a crash neither
 * loses nor repeats a pair. Client settings pass through from the configuration ({@code state.dir},
 * {@code num.stream.threads}, security); application.id and the guarantee are set here.
 */
public final class PairingApp implements AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;

    private PairingApp(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Creates the two topics if missing, then starts the topology; returns at once. */
    public static PairingApp start(IngestConfig config, Topics topics) {
        TopicProvisioner.ensure(config.kafkaClientProperties(), List.of(topics.generations(), topics.pairsRaw()),
            config.startupTimeout());
        Properties properties = new Properties();
        properties.putAll(config.kafkaClientProperties());
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, config.pairingApplicationId());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        KafkaStreams streams = new KafkaStreams(
            PairingTopology.build(topics.generations(), topics.pairsRaw(), config.pairingSettings()), properties);
        streams.start();
        return new PairingApp(streams);
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
