package io.prefstream.ingest.read;

import java.io.Closeable;
import java.util.Iterator;

/**
 * The records of one input file, read lazily in order, each as a {@link Parsed} numbered by its
 * position in the file ({@link #unit()}: lines of a JSON-lines file, rows of a Parquet file), with
 * how far reading has got for a progress display.
 */
public interface RecordSource<T> extends Iterator<Parsed<T>>, Closeable {
    /** What the numbers of {@link Parsed#line()} count: {@code line} or {@code row}. */
    String unit();

    /** Progress so far, in the same measure as {@link #total()} (bytes, rows). */
    long done();

    /** The whole input in that measure, or -1 if unknown. */
    long total();
}
