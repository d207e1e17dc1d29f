package io.prefstream.sinks.table;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * Where the sink stands when it is past its table's offsets by control records only.
 *
 * <p>The table records, per partition, the offset after the last record it holds. Records written by
 * exactly-once producers are followed by their transaction's commit marker (and aborted records may sit
 * in the log too): a {@code read_committed} consumer steps over them without returning anything, but
 * end offsets count them. A sink with every record in its table would therefore still sit a marker short
 * of the end, and {@code lag} would never show it caught up.
 *
 * <p>So when the sink has nothing buffered and its consumer moved past the table's offset without
 * returning a record, it commits that consumer position to its consumer group, with metadata naming the
 * table offset it extends ({@link #hint}). Between that table offset and the hint there is nothing a
 * reader of committed data would see. The hint holds as long as the table still covers its base (a table
 * rolled back or recreated below it invalidates it), and then the sink's true position is the larger of
 * the table's offset and the hint ({@link #resolve}). Only {@code lag} reads hints: the sink always
 * resumes from the table's offsets.
 */
public final class SettledPosition {
    static final String METADATA_PREFIX = "prefstream.sink.table-next=";

    private SettledPosition() {}

    /**
     * The offset to commit for a consumer at {@code position} whose partition's data in the table ends at
     * {@code tableNext} (-1: the table holds nothing from it), with only control or aborted records in between.
     */
    public static OffsetAndMetadata hint(long position, long tableNext) {
        if (position <= tableNext) {
            throw new IllegalArgumentException("a settled position must be past the table's offset " + tableNext
                + ", got " + position);
        }
        return new OffsetAndMetadata(position, METADATA_PREFIX + tableNext);
    }

    /**
     * The sink's position on a partition: the table's next offset ({@code null} when the table holds nothing
     * from the partition) moved forward by the committed hint if there is a valid one.
     */
    public static Long resolve(Long tableNext, OffsetAndMetadata committed) {
        if (committed == null || committed.metadata() == null || !committed.metadata().startsWith(METADATA_PREFIX)) {
            return tableNext; // no hint, or an offset this sink did not write
        }
        long base;
        try {
            base = Long.parseLong(committed.metadata().substring(METADATA_PREFIX.length()));
        } catch (NumberFormatException e) {
            return tableNext;
        }
        long table = tableNext == null ? -1 : tableNext;
        if (base > table) {
            return tableNext; // the table no longer covers what the hint was based on
        }
        return Math.max(table, committed.offset());
    }
}
