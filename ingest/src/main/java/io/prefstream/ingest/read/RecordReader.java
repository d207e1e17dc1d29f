package io.prefstream.ingest.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.NoSuchElementException;

import io.prefstream.ingest.validate.InvalidRecordException;

/**
 * The records of one JSON-lines file, read lazily in order: blank lines are skipped (their numbers
 * still count), and a line that cannot be read or parsed yields a refused {@link Parsed} instead of
 * stopping the file.
 */
public final class RecordReader<T> implements RecordSource<T> {
    private final LineSource lines;
    private final RecordFormat<T> format;
    private Parsed<T> next;

    public RecordReader(LineSource lines, RecordFormat<T> format) {
        this.lines = lines;
        this.format = format;
    }

    public LineSource source() {
        return lines;
    }

    @Override
    public String unit() {
        return "line";
    }

    /** Bytes of the file consumed (compressed ones, for gzip). */
    @Override
    public long done() {
        return lines.bytesConsumed();
    }

    @Override
    public long total() {
        return lines.size();
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = read();
        }
        return next != null;
    }

    @Override
    public Parsed<T> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Parsed<T> current = next;
        next = null;
        return current;
    }

    private Parsed<T> read() {
        try {
            SourceLine line = lines.next();
            while (line != null && line.isReadable() && line.text().isBlank()) {
                line = lines.next();
            }
            if (line == null) {
                return null;
            }
            if (!line.isReadable()) {
                return Parsed.refused(line.number(), List.of(line.problem()));
            }
            try {
                return Parsed.accepted(line.number(), format.parse(JsonRecords.object(line.text())));
            } catch (InvalidRecordException e) {
                return Parsed.refused(line.number(), e.problems());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read input: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
