package io.prefstream.ops;

import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The read position of a stage that keeps its offsets outside a consumer group. The sink is one: it
 * resumes from the Kafka offsets stored in its Iceberg snapshot summaries, so its consumer groups say
 * nothing certain about what is in the table. The launcher plugs such sources into {@link LagCommand};
 * {@link LagMonitor} treats their positions exactly like committed offsets.
 */
public interface PositionSource {
    /** Stage name as shown by {@code lag}, e.g. {@code sink}. */
    String stage();

    /**
     * The consumer groups this stage uses (to share partitions, or to publish hints about its position).
     * {@link LagMonitor} reads their committed offsets for {@link #positions(Map)} and never lists them as
     * stages of their own: the stage appears once, as {@link #stage()}.
     */
    default Set<String> groups() {
        return Set.of();
    }

    /**
     * For every partition the stage reads, the offset of the next record it will read (the Kafka
     * convention for committed offsets: last processed offset + 1). Partitions the stage has never
     * read may be left out. Called once per sample, so it should be a cheap read of metadata.
     *
     * @param committed the committed offsets (with their metadata) of each of {@link #groups()} by group id;
     *                  a group without offsets is absent or maps to an empty map
     */
    Map<TopicPartition, Long> positions(Map<String, Map<TopicPartition, OffsetAndMetadata>> committed);
}
