package io.prefstream.ingest.dedup;

import java.time.Duration;

import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.topic.Topic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * pairs.submitted (key pair_id) → {@link PairDedupProcessor} → pairs.raw: the sub-topology of the
 * ingest service's Streams app that drops exact duplicates of ready-made pairs across requests and
 * across time. The input is keyed by pair_id, so every copy of a pair meets the same store partition
 * with no repartitioning; under exactly-once the store change, the forwarded pair and the input
 * offset commit together, so a restart neither forwards a pair twice nor loses one.
 *
 * <p>Candidate pairs made by the pairing sub-topology do not pass through here: their ids are unique
 * by construction (each unordered pair of distinct responses of a prompt is emitted once).
 */
public final class PairDedupTopology {
    private static final String SOURCE = "submitted-pairs";
    private static final String PROCESSOR = "pair-dedup";
    private static final String SINK = "deduplicated-pairs";

    private PairDedupTopology() {}

    /** Adds the sub-topology to {@code topology}; {@code retention} is {@code ingest.dedup.retention.ms}. */
    public static Topology addTo(Topology topology, Topic<String, PreferencePair> submitted,
                                 Topic<String, PreferencePair> pairs, Duration retention, DedupMeters meters) {
        topology.addSource(SOURCE, submitted.keySerde().deserializer(), submitted.valueSerde().deserializer(),
            submitted.name());
        topology.addProcessor(PROCESSOR, () -> new PairDedupProcessor(retention, meters), SOURCE);
        // window size = retention: one entry per pair_id and submission time, expired as a whole segment
        topology.addStateStore(Stores.windowStoreBuilder(
            Stores.persistentWindowStore(PairDedupProcessor.STORE, retention, retention, false),
            Serdes.String(), Serdes.Long()), PROCESSOR);
        topology.addSink(SINK, pairs.name(), pairs.keySerde().serializer(), pairs.valueSerde().serializer(), PROCESSOR);
        return topology;
    }
}
