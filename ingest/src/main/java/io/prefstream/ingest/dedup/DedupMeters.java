package io.prefstream.ingest.dedup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the dedup of submitted pairs counts, as {@code prefstream.ingest.submitted.pairs} with tag
 * {@code outcome} = {@code forwarded} (first time within the retention: written to pairs.raw) or
 * {@code duplicate} (dropped). Like any counter next to an exactly-once topology, a record whose
 * transaction aborted (a crash) and is processed again is counted again; the topics never hold it twice.
 */
public record DedupMeters(Counter forwarded, Counter duplicates) {
    public static final String SUBMITTED_PAIRS = "prefstream.ingest.submitted.pairs";
    private static final String DESCRIPTION =
        "Pairs read from pairs.submitted, by outcome: forwarded to pairs.raw, or dropped as a duplicate pair_id";

    public static DedupMeters register(MeterRegistry registry) {
        return new DedupMeters(counter(registry, "forwarded"), counter(registry, "duplicate"));
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder(SUBMITTED_PAIRS).tag("outcome", outcome).description(DESCRIPTION).register(registry);
    }
}
