package io.prefstream.sinks.iceberg;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of one sink, tagged {@code table}: counters and the snapshot gauge read its
 * {@link SinkStats} (so they cost nothing on the write path), the commit latency is a timer the sink
 * records into. Names and meanings: docs/METRICS.md, section Sink.
 */
final class SinkMetrics {
    static final String TABLE_TAG = "table";

    private SinkMetrics() {}

    /** Registers the meters of the sink writing {@code table}; returns the commit latency timer. */
    static Timer register(MeterRegistry registry, String table, SinkStats stats) {
        Tags tags = Tags.of(TABLE_TAG, table);
        FunctionCounter.builder("prefstream.sink.commits", stats, SinkStats::commits).tags(tags)
            .description("Snapshots this sink committed to the table.").register(registry);
        FunctionCounter.builder("prefstream.sink.rows.committed", stats, SinkStats::rowsCommitted).tags(tags)
            .description("Rows this sink committed to the table.").register(registry);
        FunctionCounter.builder("prefstream.sink.commit.conflicts", stats, SinkStats::conflicts).tags(tags)
            .description("Commit attempts that lost a race with another writer and were retried.").register(registry);
        FunctionCounter.builder("prefstream.sink.records.read", stats, SinkStats::recordsRead).tags(tags)
            .description("Records read from Kafka, including ones re-read after a stale slice.").register(registry);
        FunctionCounter.builder("prefstream.sink.dead.lettered", stats, SinkStats::deadLettered).tags(tags)
            .description("Records that could not be decoded and went to the dead-letter topic.").register(registry);
        // a double holds a 64-bit id only approximately: good for "did it change", not for looking it up
        Gauge.builder("prefstream.sink.last.snapshot.id", stats, SinkStats::lastSnapshotId).tags(tags)
            .description("Id of the last snapshot this sink committed; -1 before its first commit.").register(registry);
        return Timer.builder("prefstream.sink.commit.latency").tags(tags).publishPercentileHistogram()
            .description("Time to commit one batch: close its Parquet files, check the table's offsets and "
                + "append the snapshot, retries included.")
            .register(registry);
    }
}
