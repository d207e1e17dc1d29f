package io.prefstream.ops;

/**
 * The verdict on one partition for one stage after a sample: the latest figures, the rates over the
 * window, the estimated time to drain and the status with its condition and a one-line explanation.
 * Rates are records per second over the window (null with fewer than two samples or no position at the
 * window's start); {@code drainSeconds} is 0 when caught up and null when the lag is not shrinking.
 */
public record PartitionEvaluation(
    String topic,
    int partition,
    Long position,
    long logStart,
    long end,
    long lag,
    Double consumeRate,
    Double produceRate,
    Double drainSeconds,
    Status status,
    Condition condition,
    String detail) {
}
