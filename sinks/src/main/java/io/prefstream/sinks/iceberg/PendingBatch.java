package io.prefstream.sinks.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.FileWriterFactory;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * The records read since the last commit, written to Parquet data files as they arrive: one writer
 * per Kafka partition (fanned out by curation date), so that the files of one partition can be
 * committed or dropped on their own when another instance turns out to own it. Files written here
 * are not part of the table until {@link TableCommitter} commits them; after a crash they are
 * orphans, which {@code maintenance} deletes.
 */
final class PendingBatch {
    private final Table table;
    private final FileWriterFactory<Record> writerFactory;
    private final long targetFileSizeBytes;
    private final String operationId = UUID.randomUUID().toString();
    private final PartitionSpec spec;
    private final PartitionKey partitionKey;
    private final InternalRecordWrapper wrapper;
    private final Map<Integer, Slice> slices = new TreeMap<>();
    private long firstRecordAtMillis = -1;
    private int records;

    PendingBatch(Table table, long targetFileSizeBytes) {
        this.table = table;
        this.writerFactory = new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
        this.targetFileSizeBytes = targetFileSizeBytes;
        this.spec = table.spec();
        this.partitionKey = new PartitionKey(spec, table.schema());
        this.wrapper = new InternalRecordWrapper(table.schema().asStruct());
    }

    /**
     * Adds the record at {@code offset} of {@code partition}: {@code row} is written, or the record is
     * only counted when {@code row} is null (a tombstone or a dead-lettered record, which still moves
     * the offset on).
     *
     * @param start where the table's data of {@code partition} ends (-1: nothing written from it yet);
     *              read only for the partition's first record of this batch
     */
    void add(int partition, long start, long offset, Record row, long nowMillis) {
        Slice slice = slices.computeIfAbsent(partition, p -> new Slice(p, start));
        if (row != null) {
            partitionKey.partition(wrapper.wrap(row));
            slice.writer().write(row, spec, partitionKey);
            slice.rows++;
        }
        slice.next = offset + 1;
        slice.records++;
        records++;
        if (firstRecordAtMillis < 0) {
            firstRecordAtMillis = nowMillis;
        }
    }

    boolean isEmpty() {
        return records == 0;
    }

    /** Records added (rows and skipped records). */
    int records() {
        return records;
    }

    /** When the first record of this batch was added; -1 when empty. */
    long firstRecordAtMillis() {
        return firstRecordAtMillis;
    }

    /** Closes every writer: the data files are complete on storage. Returns the slices by partition. */
    Map<Integer, Slice> close() {
        for (Slice slice : slices.values()) {
            slice.closeWriter();
        }
        return slices;
    }

    /** Drops the slices of {@code partitions} and deletes their files (they were never committed). */
    void discard(Collection<Integer> partitions) {
        for (Integer partition : partitions) {
            Slice slice = slices.remove(partition);
            if (slice != null) {
                slice.closeWriter();
                slice.files.forEach(file -> table.io().deleteFile(file.location()));
                records -= slice.records;
            }
        }
    }

    /** The records of one Kafka partition in this batch and the files holding its rows. */
    final class Slice {
        final int partition;
        /** The table's next offset for this partition when the batch started (-1: none recorded). */
        final long start;
        /** The offset after the last record of this partition in the batch. */
        long next;
        /** Records of this partition in the batch, rows and skipped ones. */
        int records;
        /** Rows written. */
        int rows;
        private FanoutDataWriter<Record> writer;
        private List<DataFile> files = List.of();

        private Slice(int partition, long start) {
            this.partition = partition;
            this.start = start;
        }

        private FanoutDataWriter<Record> writer() {
            if (writer == null) {
                OutputFileFactory files = OutputFileFactory.builderFor(table, partition, 0)
                    .format(FileFormat.PARQUET).operationId(operationId).build();
                writer = new FanoutDataWriter<>(writerFactory, files, table.io(), targetFileSizeBytes);
            }
            return writer;
        }

        List<DataFile> files() {
            return files;
        }

        private void closeWriter() {
            if (writer == null) {
                return;
            }
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the data files of partition " + partition, e);
            }
            files = writer.result().dataFiles();
            writer = null;
        }
    }
}
