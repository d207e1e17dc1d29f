package io.prefstream.sinks.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/**
 * Exports one snapshot of a verdict table as shards for trainers. Deterministic: the snapshot's data
 * files are read in the order of their paths, rows in file order, and cut into shards of a fixed row
 * count; writers put no time or host into the files. Exporting the same snapshot twice gives
 * byte-identical shards and manifest.
 */
public final class TrlExporter {
    /** TRL's conversational preference columns, which come first in every export. */
    public static final List<String> TRL_COLUMNS = List.of("prompt", "chosen", "rejected");

    private static final ObjectMapper MANIFEST_JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonFactory JSON = new JsonFactory();

    private final Table table;

    public TrlExporter(Table table) {
        this.table = table;
    }

    /** The snapshot {@code spec} names: "latest" or a snapshot id, with an error naming what exists. */
    public Snapshot resolve(String spec) {
        table.refresh();
        if (spec.equals("latest")) {
            Snapshot current = table.currentSnapshot();
            if (current == null) {
                throw new IllegalArgumentException("table " + table.name() + " has no snapshot yet: nothing to export");
            }
            return current;
        }
        long id;
        try {
            id = Long.parseLong(spec);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--snapshot must be 'latest' or a snapshot id, not '" + spec + "'");
        }
        Snapshot snapshot = table.snapshot(id);
        if (snapshot == null) {
            throw new IllegalArgumentException("table " + table.name() + " has no snapshot " + id
                + " (it may have been expired); the current one is "
                + (table.currentSnapshot() == null ? "none" : table.currentSnapshot().snapshotId()));
        }
        return snapshot;
    }

    /**
     * Writes the shards and {@code manifest.json} into {@code outDir}, which must not exist or be empty.
     *
     * @param trlOnly export only prompt, chosen and rejected instead of every column
     */
    public ExportManifest export(Snapshot snapshot, ExportFormat format, Path outDir, int rowsPerShard, boolean trlOnly)
        throws IOException {
        if (rowsPerShard < 1) {
            throw new IllegalArgumentException("rows per shard must be at least 1, not " + rowsPerShard);
        }
        prepare(outDir);
        Schema tableSchema = table.schemas().get(snapshot.schemaId());
        Schema schema = trlOnly ? tableSchema.select(TRL_COLUMNS) : tableSchema;
        List<ExportManifest.Shard> shards = new ArrayList<>();
        try (ShardWriter writer = new ShardWriter(outDir, format, schema, rowsPerShard, shards)) {
            for (FileScanTask task : orderedFiles(snapshot)) {
                try (CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(task.file().location()))
                    .project(schema)
                    .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema))
                    .build()) {
                    for (Record row : rows) {
                        writer.write(row);
                    }
                }
            }
        }
        long rows = shards.stream().mapToLong(ExportManifest.Shard::rows).sum();
        String expected = snapshot.summary().get("total-records");
        if (expected != null && Long.parseLong(expected) != rows) {
            throw new IllegalStateException("snapshot " + snapshot.snapshotId() + " of " + table.name() + " has "
                + expected + " rows but " + rows + " were exported");
        }
        ExportManifest manifest = new ExportManifest(table.name(), snapshot.snapshotId(), snapshot.timestampMillis(),
            format.cliName(), schema.columns().stream().map(Types.NestedField::name).toList(), rows, shards);
        MANIFEST_JSON.writeValue(outDir.resolve(ExportManifest.FILE_NAME).toFile(), manifest);
        return manifest;
    }

    private List<FileScanTask> orderedFiles(Snapshot snapshot) throws IOException {
        List<FileScanTask> tasks = new ArrayList<>();
        try (CloseableIterable<FileScanTask> planned = table.newScan().useSnapshot(snapshot.snapshotId()).planFiles()) {
            for (FileScanTask task : planned) {
                if (!task.deletes().isEmpty()) {
                    throw new IllegalStateException(table.name() + " has delete files; the export reads append-only "
                        + "tables only");
                }
                tasks.add(task);
            }
        }
        tasks.sort(Comparator.comparing(task -> task.file().location()));
        return tasks;
    }

    private static void prepare(Path outDir) throws IOException {
        if (Files.exists(outDir)) {
            try (var entries = Files.list(outDir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + outDir + " is not empty; export into a new directory");
                }
            }
        }
        Files.createDirectories(outDir);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    /** Cuts the rows into shards named part-00000.EXT, part-00001.EXT, ... and records each one. */
    private static final class ShardWriter implements AutoCloseable {
        private final Path outDir;
        private final ExportFormat format;
        private final Schema schema;
        private final int rowsPerShard;
        private final List<ExportManifest.Shard> shards;
        private Path current;
        private FileAppender<Record> parquet;
        private JsonGenerator json;
        private long rows;

        ShardWriter(Path outDir, ExportFormat format, Schema schema, int rowsPerShard, List<ExportManifest.Shard> shards) {
            this.outDir = outDir;
            this.format = format;
            this.schema = schema;
            this.rowsPerShard = rowsPerShard;
            this.shards = shards;
        }

        void write(Record row) throws IOException {
            if (current != null && rows == rowsPerShard) {
                finishShard();
            }
            if (current == null) {
                startShard();
            }
            if (parquet != null) {
                parquet.add(row);
            } else {
                RecordJson.write(json, schema.asStruct(), row);
                json.writeRaw('\n');
            }
            rows++;
        }

        private void startShard() throws IOException {
            current = outDir.resolve(String.format("part-%05d%s", shards.size(), format.extension()));
            rows = 0;
            if (format == ExportFormat.TRL_PARQUET) {
                parquet = Parquet.write(org.apache.iceberg.Files.localOutput(current.toFile()))
                    .schema(schema)
                    .createWriterFunc(GenericParquetWriter::create)
                    .build();
            } else {
                json = JSON.createGenerator(new BufferedOutputStream(Files.newOutputStream(current)), JsonEncoding.UTF8);
                json.setRootValueSeparator(null);
            }
        }

        private void finishShard() throws IOException {
            if (parquet != null) {
                parquet.close();
                parquet = null;
            } else {
                json.close();
                json = null;
            }
            shards.add(new ExportManifest.Shard(current.getFileName().toString(), rows, Files.size(current),
                sha256(current)));
            current = null;
        }

        @Override
        public void close() throws IOException {
            if (current != null) {
                finishShard();
            }
        }
    }
}
