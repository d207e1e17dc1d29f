package io.prefstream.ingest.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that may not exceed a byte limit, whatever its Content-Length claims (or whether it
 * is chunked): reading past the limit throws {@link TooLarge}, so an oversize request is refused
 * without being buffered.
 */
final class BoundedBody extends FilterInputStream {
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long limit) {
            super("request body exceeds the limit of " + limit + " bytes");
        }
    }

    private final long limit;
    private long count;

    BoundedBody(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) throws TooLarge {
        count += n;
        if (count > limit) {
            throw new TooLarge(limit);
        }
    }
}
