package io.prefstream.ingest.pairing;

import io.prefstream.schemas.Generation;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.topic.Topic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * generations (key prompt_id) → {@link PairingProcessor} → pairs.raw (key pair_id). Generations are
 * already keyed by prompt_id, so every response of a prompt meets its state on one partition with
 * no repartitioning; both stores are changelogged, so with exactly-once the state, the emitted pairs
 * and the input offsets commit together. Its pairs need no dedup ({@link io.prefstream.ingest.dedup.PairDedupTopology}
 * is for submitted pairs): each unordered pair of distinct responses of a prompt is emitted once, and
 * its id depends only on the prompt and the two responses (within {@code ingest.pairing.retention.ms}).
 */
public final class PairingTopology {
    private PairingTopology() {}

    public static Topology build(Topic<String, Generation> generations, Topic<String, PreferencePair> pairs,
                                 PairingSettings settings) {
        Topology topology = new Topology();
        topology.addSource("generations", generations.keySerde().deserializer(), generations.valueSerde().deserializer(),
            generations.name());
        topology.addProcessor("pairing", () -> new PairingProcessor(settings), "generations");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PairingProcessor.PROMPTS_STORE),
            Serdes.String(), JsonSerde.of(PromptState.class)), "pairing");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PairingProcessor.ACTIVITY_STORE),
            Serdes.String(), JsonSerde.of(Activity.class)), "pairing");
        topology.addSink("pairs", pairs.name(), pairs.keySerde().serializer(), pairs.valueSerde().serializer(), "pairing");
        return topology;
    }
}
