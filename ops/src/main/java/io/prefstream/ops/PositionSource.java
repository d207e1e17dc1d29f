package io.prefstream.ops;

import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * The read position of a stage that keeps its offsets outside a consumer group. The sink is one: it
 * resumes from the Kafka offsets stored in its Iceberg snapshot summaries, so its consumer group
 * (if any) says nothing about what is in the table. The launcher plugs such sources into
 * {@link LagCommand}; {@link LagMonitor} treats their positions exactly like committed offsets.
 */
public interface PositionSource {
    /**
     * For every partition the stage reads, the offset of the next record it will read (the Kafka
     * convention for committed offsets: last processed offset + 1). Partitions the stage has never
     * read may be left out. Called once per sample, so it should be a cheap read of metadata.
     */
    Map<TopicPartition, Long> positions();

    /** Stage name as shown by {@code lag}, e.g. {@code sink}. */
    String stage();
}
