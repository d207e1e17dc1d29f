package io.prefstream.sinks.iceberg;

import java.util.List;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;

import io.prefstream.schemas.Verdict;
import io.prefstream.sinks.table.VerdictRows;

/**
 * What a sink leaves behind when it dies after writing a batch's data files and before committing them:
 * the same {@link PendingBatch} the sink uses, closed and never committed.
 */
public final class UncommittedFiles {
    private UncommittedFiles() {}

    public static List<String> write(Table table, String topic, List<Verdict> verdicts) {
        PendingBatch batch = new PendingBatch(table, 1L << 30);
        VerdictRows rows = new VerdictRows(table.schema());
        for (int i = 0; i < verdicts.size(); i++) {
            batch.add(0, -1, i, rows.row(verdicts.get(i), topic, 0, i), 0);
        }
        return batch.close().values().stream().flatMap(slice -> slice.files().stream()).map(DataFile::location)
            .toList();
    }
}
