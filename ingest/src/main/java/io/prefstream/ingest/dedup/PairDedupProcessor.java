package io.prefstream.ingest.dedup;

import java.time.Duration;

import io.prefstream.schemas.PreferencePair;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Forwards a submitted pair unless the same pair_id was submitted less than the retention before or
 * after it (record timestamps: the producer's send time), so a pair sent twice, in two requests or
 * days apart, is curated once. Seen ids live in a changelogged window store keyed by pair_id whose
 * retention is the same duration: Kafka Streams drops its expired segments (and the changelog's
 * records) by itself, so the store stays bounded by the pairs submitted within one retention.
 * Judging by record time rather than wall-clock time keeps the decisions the same when a backlog is
 * reprocessed after an outage.
 */
final class PairDedupProcessor implements Processor<String, PreferencePair, String, PreferencePair> {
    static final String STORE = "submitted-pair-ids";

    private final long retentionMs;
    private final DedupMeters meters;
    private ProcessorContext<String, PreferencePair> context;
    private WindowStore<String, Long> seen;

    PairDedupProcessor(Duration retention, DedupMeters meters) {
        this.retentionMs = retention.toMillis();
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, PreferencePair> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, PreferencePair> record) {
        PreferencePair pair = record.value();
        if (pair == null) {
            return; // not a pair: nothing to curate
        }
        String pairId = pair.getPairId(); // the id, not the key: a foreign producer may key differently
        long at = record.timestamp();
        if (seenWithinRetention(pairId, at)) {
            meters.duplicates().increment();
            return;
        }
        seen.put(pairId, at, at);
        meters.forwarded().increment();
        context.forward(record.withKey(pairId));
    }

    private boolean seenWithinRetention(String pairId, long at) {
        long from = Math.max(0, at - retentionMs + 1);
        long to = at > Long.MAX_VALUE - retentionMs ? Long.MAX_VALUE : at + retentionMs - 1;
        try (WindowStoreIterator<Long> earlier = seen.fetch(pairId, from, to)) {
            return earlier.hasNext();
        }
    }
}
