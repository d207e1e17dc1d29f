package io.prefstream.ingest.cli;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one ingest has done so far, updated by the reading thread and by the producer's
 * acknowledgement callbacks and read by the progress display.
 */
final class IngestCounters {
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong valid = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    void countRead() {
        read.incrementAndGet();
    }

    void countValid() {
        valid.incrementAndGet();
    }

    /** Only from a broker acknowledgement. */
    void countSent() {
        sent.incrementAndGet();
    }

    void countRejected() {
        rejected.incrementAndGet();
    }

    void countFailed() {
        failed.incrementAndGet();
    }

    long read() {
        return read.get();
    }

    long valid() {
        return valid.get();
    }

    long sent() {
        return sent.get();
    }

    long rejected() {
        return rejected.get();
    }

    long failed() {
        return failed.get();
    }
}
