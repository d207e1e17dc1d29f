package io.prefstream.ingest.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

import io.prefstream.ingest.validate.InvalidRecordException;
import io.prefstream.ingest.validate.Problems;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * The rows of a Parquet file, each turned into the JSON object of its columns ({@link ParquetJson})
 * and parsed by a {@link RecordFormat}, numbered from 1 like lines. Reading streams one row group at
 * a time (what Parquet's reader decodes at once), never the whole file. A file that is not Parquet,
 * or lacks a required column, is refused when opened with the reason; a row group that cannot be
 * decoded stops reading with the row number it was reached at.
 */
public final class ParquetRecords<T> implements RecordSource<T> {
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final ParquetFileReader reader;
    private final MessageType schema;
    private final MessageColumnIO columns;
    private final RecordFormat<T> format;
    private final long rows;
    private org.apache.parquet.io.RecordReader<Group> rowGroup;
    private long leftInRowGroup;
    private long read;

    private ParquetRecords(Path file, ParquetFileReader reader, RecordFormat<T> format) {
        this.file = file;
        this.reader = reader;
        this.schema = reader.getFileMetaData().getSchema();
        this.columns = new ColumnIOFactory().getColumnIO(schema);
        this.format = format;
        this.rows = reader.getRecordCount();
    }

    /**
     * Opens {@code file}, checks that it is Parquet and has the top-level {@code requiredColumns}; throws
     * {@link IOException} naming the reason otherwise.
     */
    public static <T> ParquetRecords<T> open(Path file, RecordFormat<T> format, List<String> requiredColumns)
        throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such file");
        }
        checkMagic(file);
        ParquetFileReader reader;
        try {
            // page checksums (written by default since Parquet 1.12) are verified, so damaged data is refused
            reader = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder().usePageChecksumVerification(true).build());
        } catch (IOException | RuntimeException e) {
            throw new IOException("not a readable Parquet file: " + e.getMessage(), e);
        }
        MessageType schema = reader.getFileMetaData().getSchema();
        List<String> missing = requiredColumns.stream().filter(column -> !schema.containsField(column)).toList();
        if (!missing.isEmpty()) {
            reader.close();
            throw new IOException("the Parquet file has no column " + String.join(", ", missing) + " (its columns: "
                + schema.getFields().stream().map(Type::getName).collect(Collectors.joining(", ")) + ")");
        }
        return new ParquetRecords<>(file, reader, format);
    }

    /** A Parquet file starts and ends with "PAR1"; anything else (JSON lines, gzip, a cut-off copy) is refused at once. */
    private static void checkMagic(Path file) throws IOException {
        long size = Files.size(file);
        byte[] head = new byte[MAGIC.length];
        byte[] tail = new byte[MAGIC.length];
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            if (size >= 2L * MAGIC.length) {
                channel.read(ByteBuffer.wrap(head));
                channel.position(size - MAGIC.length).read(ByteBuffer.wrap(tail));
            }
        }
        if (!Arrays.equals(head, MAGIC) || !Arrays.equals(tail, MAGIC)) {
            throw new IOException("not a Parquet file (it does not start and end with \"PAR1\"; "
                + (Arrays.equals(head, MAGIC) ? "truncated?" : "another format?") + ")");
        }
    }

    @Override
    public String unit() {
        return "row";
    }

    @Override
    public long done() {
        return read;
    }

    @Override
    public long total() {
        return rows;
    }

    @Override
    public boolean hasNext() {
        return read < rows;
    }

    @Override
    public Parsed<T> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        long row = read + 1;
        if (leftInRowGroup == 0) {
            nextRowGroup(row);
        }
        Group group;
        try {
            group = rowGroup.read();
        } catch (RuntimeException e) {
            throw unreadable("cannot decode row " + row, e);
        }
        leftInRowGroup--;
        read = row;
        Problems problems = new Problems();
        try {
            var object = ParquetJson.object(group, problems);
            problems.throwIfAny();
            return Parsed.accepted(row, format.parse(object));
        } catch (InvalidRecordException e) {
            return Parsed.refused(row, e.problems());
        }
    }

    private void nextRowGroup(long row) {
        PageReadStore pages;
        try {
            pages = reader.readNextRowGroup();
        } catch (IOException | RuntimeException e) {
            throw unreadable("cannot read the row group of row " + row, e);
        }
        if (pages == null) {
            throw unreadable("the row groups end at row " + read + " but the footer counts " + rows + " rows", null);
        }
        leftInRowGroup = pages.getRowCount();
        rowGroup = columns.getRecordReader(pages, new GroupRecordConverter(schema));
    }

    private UncheckedIOException unreadable(String what, Exception cause) {
        String reason = cause == null ? "" : ": " + cause.getMessage();
        return new UncheckedIOException(new IOException(what + " of " + file + reason, cause));
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
