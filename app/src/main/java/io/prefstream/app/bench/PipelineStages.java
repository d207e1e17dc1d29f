package io.prefstream.app.bench;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.consistency.ConsistencyConfig;
import io.prefstream.consistency.ConsistencyService;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.pairing.PairingApp;
import io.prefstream.labeler.LabelerConfig;
import io.prefstream.labeler.LabelerService;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The three processing stages of the pipeline (pairing → consistency → labeler), each its own Kafka
 * Streams application with exactly_once_v2, started from one settings map exactly as a deployment
 * would start them, and stopped in reverse order.
 */
final class PipelineStages implements AutoCloseable {
    private final PairingApp pairing;
    private final ConsistencyService consistency;
    private final KafkaStreams consistencyStreams;
    private final LabelerService labeler;

    private PipelineStages(PairingApp pairing, ConsistencyService consistency, KafkaStreams consistencyStreams,
                           LabelerService labeler) {
        this.pairing = pairing;
        this.consistency = consistency;
        this.consistencyStreams = consistencyStreams;
        this.labeler = labeler;
    }

    /** Starts the stages; {@code runId} prefixes their application ids (consumer groups, state topics). */
    static PipelineStages start(Map<String, String> settings, String runId) {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        PairingApp pairing = PairingApp.start(
            new IngestConfig(with(settings, IngestConfig.PAIRING_APPLICATION_ID, runId + "-pairing")),
            new Topics(settings));
        ConsistencyService consistency = new ConsistencyService(
            new ConsistencyConfig(with(settings, StreamsConfig.APPLICATION_ID_CONFIG, runId + "-consistency")), metrics);
        try {
            KafkaStreams consistencyStreams = consistency.start(null);
            LabelerService labeler = LabelerService.start(
                new LabelerConfig(with(settings, StreamsConfig.APPLICATION_ID_CONFIG, runId + "-labeler")), metrics);
            return new PipelineStages(pairing, consistency, consistencyStreams, labeler);
        } catch (RuntimeException e) {
            consistency.close();
            pairing.close();
            throw e;
        }
    }

    private static Map<String, String> with(Map<String, String> settings, String key, String value) {
        Map<String, String> copy = new HashMap<>(settings);
        copy.put(key, value);
        return copy;
    }

    boolean allRunning() {
        return pairing.state() == KafkaStreams.State.RUNNING && consistencyStreams.state() == KafkaStreams.State.RUNNING
            && labeler.streams().state() == KafkaStreams.State.RUNNING;
    }

    /** Fails with the stage's name if one of them stopped for good. */
    void checkAlive() {
        check("pairing", pairing.state());
        check("consistency", consistencyStreams.state());
        check("labeler", labeler.streams().state());
    }

    private static void check(String stage, KafkaStreams.State state) {
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
            throw new IllegalStateException("the " + stage + " stage stopped (state " + state + "); see the log");
        }
    }

    @Override
    public void close() {
        labeler.close();
        consistency.close();
        pairing.close();
    }
}
