package io.prefstream.app.bench;

import java.util.Locale;

/**
 * End-to-end latency of curated pairs at a fraction of the pipeline's capacity, and the ratios to an
 * exactly-once passthrough's latency at the same rate. Ratios divide by at least 1 ms.
 */
record LatencyFigures(LatencyStats curated, LatencyStats passthrough, double pairsPerSecond, double capacityShare) {

    double vsPassthroughP50() {
        return curated.p50() / (double) Math.max(1, passthrough.p50());
    }

    double vsPassthroughP99() {
        return curated.p99() / (double) Math.max(1, passthrough.p99());
    }

    /** The last line, e.g. {@code latency p50_ms=820 p90_ms=1400 p99_ms=2100 max_ms=2600 rate=100.0 capacity_share=0.50 …}. */
    String line() {
        return String.format(Locale.ROOT, "latency p50_ms=%d p90_ms=%d p99_ms=%d max_ms=%d rate=%.1f capacity_share=%.2f "
                + "vs_passthrough_p50=%.1fx vs_passthrough_p99=%.1fx", curated.p50(), curated.p90(), curated.p99(),
            curated.max(), pairsPerSecond, capacityShare, vsPassthroughP50(), vsPassthroughP99());
    }
}
