package io.prefstream.app.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Exact percentiles of a set of latencies (every sample kept and sorted: the runs measure thousands,
 * not millions), by the nearest-rank definition: the p-th percentile is the smallest sample that at
 * least p% of the samples do not exceed.
 */
record LatencyStats(int count, long p50, long p90, long p99, long max) {

    static LatencyStats of(long[] millis) {
        if (millis.length == 0) {
            throw new IllegalArgumentException("no latencies were measured");
        }
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new LatencyStats(sorted.length, rank(sorted, 50), rank(sorted, 90), rank(sorted, 99),
            sorted[sorted.length - 1]);
    }

    private static long rank(long[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)];
    }

    /** {@code n=… p50=… p90=… p99=… max=… ms}. */
    String describe() {
        return String.format(Locale.ROOT, "n=%d p50=%d p90=%d p99=%d max=%d ms", count, p50, p90, p99, max);
    }
}
