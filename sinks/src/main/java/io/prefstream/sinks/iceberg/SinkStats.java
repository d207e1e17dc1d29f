package io.prefstream.sinks.iceberg;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one sink instance, safe to read from any thread (for progress displays and metrics). */
public final class SinkStats {
    final AtomicLong recordsRead = new AtomicLong();
    final AtomicLong rowsCommitted = new AtomicLong();
    final AtomicLong tombstones = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong commits = new AtomicLong();
    final AtomicLong conflicts = new AtomicLong();
    final AtomicLong staleSlices = new AtomicLong();
    final AtomicLong lastSnapshotId = new AtomicLong(-1);

    /** Records read from Kafka, including ones later dropped as stale and read again. */
    public long recordsRead() {
        return recordsRead.get();
    }

    /** Rows this instance committed to the table. */
    public long rowsCommitted() {
        return rowsCommitted.get();
    }

    /** Tombstones (null values) read; they carry no row. */
    public long tombstones() {
        return tombstones.get();
    }

    /** Records that could not be decoded and went to the dead-letter topic. */
    public long deadLettered() {
        return deadLettered.get();
    }

    /** Snapshots this instance committed. */
    public long commits() {
        return commits.get();
    }

    /** Commit attempts that lost a race with another writer and were retried. */
    public long conflicts() {
        return conflicts.get();
    }

    /** Partition slices dropped because another instance had committed those records first. */
    public long staleSlices() {
        return staleSlices.get();
    }

    /** The last snapshot this instance committed, or -1. */
    public long lastSnapshotId() {
        return lastSnapshotId.get();
    }

    @Override
    public String toString() {
        return "read=" + recordsRead() + " rows=" + rowsCommitted() + " commits=" + commits() + " conflicts="
            + conflicts() + " stale=" + staleSlices() + " tombstones=" + tombstones() + " dlq=" + deadLettered();
    }
}
