package io.prefstream.ops;

/**
 * One observation of a partition for one stage: when, the stage's position (next offset to read; null
 * when it has none), and the partition's log start and end offsets.
 */
public record PartitionSample(long atMillis, Long position, long logStart, long end) {
    public PartitionSample {
        if (logStart > end) {
            throw new IllegalArgumentException("log start " + logStart + " is after the end offset " + end);
        }
    }

    /**
     * Records the stage still has to read. Without a position it would start from the log start
     * (auto.offset.reset=earliest, as the stages use); a position below the log start counts from the
     * log start too, because the records in between no longer exist.
     */
    public long lag() {
        long from = position == null ? logStart : Math.max(position, logStart);
        return Math.max(0, end - from);
    }
}
