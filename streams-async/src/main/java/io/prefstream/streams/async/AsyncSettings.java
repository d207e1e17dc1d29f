package io.prefstream.streams.async;

import java.time.Duration;

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
 */
public record AsyncSettings(int maxPendingRecords, long maxPendingBytes, Duration maxBlock, Duration drainInterval) {
    public static final int DEFAULT_MAX_PENDING_RECORDS = 1_000;
    public static final long DEFAULT_MAX_PENDING_BYTES = 32L * 1024 * 1024;
    public static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(30);
    public static final Duration DEFAULT_DRAIN_INTERVAL = Duration.ofMillis(20);

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

    public static AsyncSettings defaults() {
        return new AsyncSettings(DEFAULT_MAX_PENDING_RECORDS, DEFAULT_MAX_PENDING_BYTES, DEFAULT_MAX_BLOCK,
            DEFAULT_DRAIN_INTERVAL);
    }
}
