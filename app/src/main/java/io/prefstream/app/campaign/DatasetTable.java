package io.prefstream.app.campaign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import io.prefstream.sinks.config.SinkConfig;
import io.prefstream.sinks.table.Catalogs;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/** The dataset table the sink processes write, read from outside them: row count and rows per pair id. */
final class DatasetTable implements AutoCloseable {
    private final Catalog catalog;
    private final TableIdentifier id;
    private Table table;

    DatasetTable(SinkConfig config) {
        catalog = Catalogs.open(config);
        id = TableIdentifier.parse(config.getString(SinkConfig.TABLE));
    }

    /** Rows in the current snapshot (0 before the sink created the table). */
    long rows() {
        Snapshot snapshot = current();
        return snapshot == null ? 0 : Long.parseLong(snapshot.summary().getOrDefault("total-records", "0"));
    }

    /** Pair id → rows holding it, read from the data files of the current snapshot. */
    Map<String, Integer> rowsPerPair() {
        Map<String, Integer> rows = new HashMap<>();
        if (current() == null) {
            return rows;
        }
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).select("pair_id").build()) {
            for (Record record : records) {
                rows.merge((String) record.getField("pair_id"), 1, Integer::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the table " + id, e);
        }
        return rows;
    }

    private Snapshot current() {
        if (table == null) {
            try {
                table = catalog.loadTable(id);
            } catch (NoSuchTableException | NotFoundException notYet) {
                return null; // the sink has not created it yet, or is creating it right now
            }
        }
        table.refresh();
        return table.currentSnapshot();
    }

    @Override
    public void close() {
        Catalogs.closeQuietly(catalog);
    }
}
