package io.prefstream.schemas.topic;

import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the pipeline: its full name (prefix included), what it carries, the serdes of its keys
 * and values, and how it is created. Declared once, in {@link Topics}; stages take name and serdes
 * from here rather than repeating them.
 *
 * @param name              full topic name, {@code topic.prefix} included
 * @param doc               what the topic carries and who writes and reads it
 * @param keySerde          serde of the keys
 * @param valueSerde        serde of the values
 * @param partitions        partition count used when creating the topic
 * @param replicationFactor replication factor, or empty for the broker's default
 * @param configs           topic-level configs set when creating it (cleanup.policy, retention.ms, ...)
 */
public record Topic<K, V>(String name, String doc, Serde<K> keySerde, Serde<V> valueSerde, int partitions,
                          Optional<Short> replicationFactor, Map<String, String> configs) {

    public Topic {
        configs = Map.copyOf(configs);
    }

    /** The admin request that creates this topic. */
    public NewTopic newTopic() {
        return new NewTopic(name, Optional.of(partitions), replicationFactor).configs(configs);
    }

    @Override
    public String toString() {
        return name;
    }
}
