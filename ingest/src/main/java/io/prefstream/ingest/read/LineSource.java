package io.prefstream.ingest.read;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import io.prefstream.ingest.validate.Problem;

/**
 * Streams the lines of a text file, one at a time, whatever its size: gzip is detected from the
 * magic bytes (not the file name), line numbers are kept, every line is decoded as strict UTF-8
 * (an invalid byte is reported with its offset, never replaced), and a line longer than the limit is
 * skipped with a problem instead of being buffered whole.
 */
public final class LineSource implements Closeable {
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private final CountingInputStream raw;
    private final InputStream in;
    private final long size;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private long lineNumber;
    private boolean eof;

    private LineSource(CountingInputStream raw, InputStream in, long size, int maxLineBytes) {
        this.raw = raw;
        this.in = in;
        this.size = size;
        this.maxLineBytes = maxLineBytes;
    }

    /** The lines of a file, plain or gzip. */
    public static LineSource open(Path file, int maxLineBytes) throws IOException {
        CountingInputStream raw = new CountingInputStream(Files.newInputStream(file));
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        boolean gzip = buffered.read() == GZIP_MAGIC_1 && buffered.read() == GZIP_MAGIC_2;
        buffered.reset();
        InputStream in = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        return new LineSource(raw, in, Files.size(file), maxLineBytes);
    }

    /** The lines of a plain-text stream (an HTTP body: compression there is a transfer matter). */
    public static LineSource of(InputStream stream, int maxLineBytes) {
        CountingInputStream raw = new CountingInputStream(stream);
        return new LineSource(raw, new BufferedInputStream(raw, 1 << 16), -1, maxLineBytes);
    }

    /** Bytes of the file itself (compressed, if it is) consumed so far: progress against {@link #size()}. */
    public long bytesConsumed() {
        return raw.count;
    }

    /** Size of the input in bytes, or -1 if unknown. */
    public long size() {
        return size;
    }

    /** The next line, or null at the end of the file. */
    public SourceLine next() throws IOException {
        if (eof) {
            return null;
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        long lineBytes = 0;
        boolean sawAny = false;
        while (true) {
            if (position == limit && !fill()) {
                eof = true;
                if (!sawAny) {
                    return null;
                }
                break;
            }
            sawAny = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int chunk = position - start;
            lineBytes += chunk;
            if (lineBytes <= maxLineBytes) {
                line.write(buffer, start, chunk);
            }
            if (position < limit) {
                position++; // the newline itself
                break;
            }
        }
        lineNumber++;
        if (lineBytes > maxLineBytes) {
            return new SourceLine(lineNumber, null, Problem.tooLarge("record",
                "line of " + lineBytes + " bytes exceeds the limit of " + maxLineBytes + " bytes per record"));
        }
        return decode(lineNumber, line.toByteArray());
    }

    private boolean fill() throws IOException {
        int read = in.read(buffer, 0, buffer.length);
        while (read == 0) {
            read = in.read(buffer, 0, buffer.length);
        }
        if (read < 0) {
            return false;
        }
        position = 0;
        limit = read;
        return true;
    }

    private static SourceLine decode(long number, byte[] bytes) {
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        int offset = number == 1 && startsWithBom(bytes, length) ? 3 : 0;
        ByteBuffer input = ByteBuffer.wrap(bytes, offset, length - offset);
        CharBuffer output = CharBuffer.allocate(length - offset);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(input, output, true);
        if (result.isError()) {
            return new SourceLine(number, null, new Problem("record",
                "not valid UTF-8: bad byte 0x" + String.format("%02x", bytes[input.position()] & 0xff)
                    + " at byte " + (input.position() - offset + 1) + " of the line"));
        }
        decoder.flush(output);
        output.flip();
        return new SourceLine(number, output.toString(), null);
    }

    private static boolean startsWithBom(byte[] bytes, int length) {
        return length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static final class CountingInputStream extends FilterInputStream {
        private volatile long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
