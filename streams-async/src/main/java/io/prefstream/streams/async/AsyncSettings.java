package io.prefstream.streams.async;

import java.time.Duration;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Bounds and timing of an {@link AsyncProcessor}; see the module README for how to size them.
 *
 * @param maxPendingRecords input records waiting for a result, per task, above which {@code process()}
 *                          blocks (backpressure); also bounds the inference repeated after a crash
 * @param maxPendingBytes   serialized size of the pending store, per task, above which {@code process()}
 *                          blocks
 * @param maxBlock          longest a single {@code process()} call blocks for the bound; keep it well
 *                          under half of {@code max.poll.interval.ms}, which is when the stream thread
 *                          stops processing to poll
 * @param drainInterval     wall-clock period of the punctuator that forwards completed results
 *
 * <p>A stage exposes them as configuration keys under its own prefix: {@link #define} and {@link #of}.
 */
public record AsyncSettings(int maxPendingRecords, long maxPendingBytes, Duration maxBlock, Duration drainInterval) {
    public static final int DEFAULT_MAX_PENDING_RECORDS = 1_000;
    public static final long DEFAULT_MAX_PENDING_BYTES = 32L * 1024 * 1024;
    public static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(30);
    public static final Duration DEFAULT_DRAIN_INTERVAL = Duration.ofMillis(20);

    /** The keys' suffixes: a stage with prefix {@code p} has {@code p + MAX_PENDING_RECORDS} and so on. */
    public static final String MAX_PENDING_RECORDS = "max.pending.records";
    public static final String MAX_PENDING_BYTES = "max.pending.bytes";
    public static final String MAX_BLOCK_MS = "max.block.ms";
    public static final String DRAIN_INTERVAL_MS = "drain.interval.ms";

    public AsyncSettings {
        if (maxPendingRecords < 1) {
            throw new IllegalArgumentException("maxPendingRecords must be at least 1, got " + maxPendingRecords);
        }
        if (maxPendingBytes < 1) {
            throw new IllegalArgumentException("maxPendingBytes must be at least 1, got " + maxPendingBytes);
        }
        if (maxBlock.isNegative() || maxBlock.isZero()) {
            throw new IllegalArgumentException("maxBlock must be positive, got " + maxBlock);
        }
        if (drainInterval.toMillis() < 1) {
            throw new IllegalArgumentException("drainInterval must be at least 1 ms, got " + drainInterval);
        }
    }

    /**
     * Adds the four settings to a stage's configuration under {@code prefix}.
     *
     * @param pendingRecords what the record bound counts, and how to size it, for its doc string
     */
    public static ConfigDef define(ConfigDef definition, String prefix, int defaultMaxPendingRecords,
                                   String pendingRecords) {
        return definition
            .define(prefix + MAX_PENDING_RECORDS, Type.INT, defaultMaxPendingRecords, Range.atLeast(1),
                Importance.MEDIUM, pendingRecords)
            .define(prefix + MAX_PENDING_BYTES, Type.LONG, DEFAULT_MAX_PENDING_BYTES, Range.atLeast(1), Importance.LOW,
                "Serialized size of the records waiting for their calls, per stream task, above which the stream "
                    + "thread blocks.")
            .define(prefix + MAX_BLOCK_MS, Type.LONG, DEFAULT_MAX_BLOCK.toMillis(), Range.atLeast(1), Importance.LOW,
                "Longest one record waits for room under the pending bound before it goes on over it; keep it well "
                    + "under half of max.poll.interval.ms.")
            .define(prefix + DRAIN_INTERVAL_MS, Type.LONG, DEFAULT_DRAIN_INTERVAL.toMillis(), Range.atLeast(1),
                Importance.LOW, "Wall-clock period at which finished calls are forwarded when no new record arrives.");
    }

    /** The settings {@code config}, defined with {@link #define}, holds under {@code prefix}. */
    public static AsyncSettings of(AbstractConfig config, String prefix) {
        return new AsyncSettings(config.getInt(prefix + MAX_PENDING_RECORDS), config.getLong(prefix + MAX_PENDING_BYTES),
            Duration.ofMillis(config.getLong(prefix + MAX_BLOCK_MS)),
            Duration.ofMillis(config.getLong(prefix + DRAIN_INTERVAL_MS)));
    }

    public static AsyncSettings defaults() {
        return new AsyncSettings(DEFAULT_MAX_PENDING_RECORDS, DEFAULT_MAX_PENDING_BYTES, DEFAULT_MAX_BLOCK,
            DEFAULT_DRAIN_INTERVAL);
    }
}
