package io.prefstream.sinks.iceberg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expressions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prefstream.sinks.table.TableOffsets;

/**
 * Commits a {@link PendingBatch} with the offsets it covers, exactly once, even when several sink
 * instances write the same table and read overlapping partitions.
 *
 * <p>Each attempt (1) refreshes the table and reads its offsets; (2) keeps only the partitions whose
 * slice starts exactly where the table's data of that partition ends: a slice that does not is stale
 * (another instance committed those records first, or the table moved) and is dropped, files deleted;
 * (3) appends the remaining files in one snapshot whose summary holds the table's offsets advanced by
 * the kept slices, validated against the snapshot read in (1): if any other writer added data files
 * since, Iceberg refuses the commit ({@link ValidationException}, or {@link CommitFailedException} when
 * the metadata moved) and the attempt starts over from (1). So a commit is only ever based on the
 * offsets it checked, and the offsets in the table are always contiguous with the rows in it.
 */
final class TableCommitter {
    private static final Logger log = LoggerFactory.getLogger(TableCommitter.class);
    static final String INSTANCE_KEY = "prefstream.sink.instance";

    private final Table table;
    private final String topic;
    private final String instanceId;
    private final int maxAttempts;

    TableCommitter(Table table, String topic, String instanceId, int maxAttempts) {
        this.table = table;
        this.topic = topic;
        this.instanceId = instanceId;
        this.maxAttempts = maxAttempts;
    }

    /**
     * What a commit did.
     *
     * @param snapshotId the snapshot committed, or null when nothing was (no rows, or every slice was stale)
     * @param committed  partition to next offset, for the partitions whose records are now in the table
     * @param stale      partition to the table's next offset (empty: none recorded) for the slices dropped
     * @param rows       rows committed
     * @param conflicts  attempts that lost a race with another writer
     */
    record Result(Long snapshotId, Map<Integer, Long> committed, Map<Integer, OptionalLong> stale, long rows,
                  int conflicts) {}

    Result commit(PendingBatch batch) {
        Map<Integer, PendingBatch.Slice> slices = batch.close();
        Map<Integer, OptionalLong> stale = new TreeMap<>();
        int conflicts = 0;
        for (int attempt = 1; ; attempt++) {
            table.refresh();
            Snapshot base = table.currentSnapshot();
            TableOffsets offsets = TableOffsets.current(table, topic);
            List<Integer> lost = new ArrayList<>();
            for (PendingBatch.Slice slice : slices.values()) {
                OptionalLong tableNext = offsets.next(slice.partition);
                if ((tableNext.isPresent() ? tableNext.getAsLong() : -1) != slice.start) {
                    lost.add(slice.partition);
                    stale.put(slice.partition, tableNext);
                }
            }
            if (!lost.isEmpty()) {
                log.info("{}: partitions {} of {} were committed by another writer ({}); dropping this instance's "
                    + "copy", instanceId, lost, topic, offsets);
                batch.discard(lost);
            }
            Map<Integer, Long> advanced = new TreeMap<>();
            long rows = 0;
            OverwriteFiles append = table.newOverwrite();
            boolean hasFiles = false;
            for (PendingBatch.Slice slice : slices.values()) {
                advanced.put(slice.partition, slice.next);
                rows += slice.rows;
                for (var file : slice.files()) {
                    append.addFile(file);
                    hasFiles = true;
                }
            }
            if (!hasFiles) {
                // nothing to append: offsets of skipped records are carried by the next commit with rows
                return new Result(null, Map.of(), stale, 0, conflicts);
            }
            if (base != null) {
                append.validateFromSnapshot(base.snapshotId());
            }
            append.conflictDetectionFilter(Expressions.alwaysTrue()).validateNoConflictingData();
            offsets.summaryWith(advanced).forEach(append::set);
            append.set(INSTANCE_KEY, instanceId);
            try {
                append.commit();
                Snapshot committed = table.currentSnapshot();
                return new Result(committed.snapshotId(), advanced, stale, rows, conflicts);
            } catch (ValidationException | CommitFailedException e) {
                conflicts++;
                if (attempt >= maxAttempts) {
                    throw new IllegalStateException("commit to " + table.name() + " lost " + attempt
                        + " races with other writers in a row; giving up", e);
                }
                log.debug("{}: commit attempt {} conflicted, re-reading table offsets: {}", instanceId, attempt,
                    e.getMessage());
                backOff(attempt);
            }
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * Math.min(attempt, 10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a commit", e);
        }
    }
}
