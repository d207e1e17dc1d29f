package io.prefstream.ingest.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import io.prefstream.ingest.produce.PrefProducer;
import io.prefstream.ingest.read.Parsed;
import io.prefstream.ingest.read.RecordSource;
import io.prefstream.ingest.validate.InvalidRecordException;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads one file and sends its valid records, counting what was read, sent (acknowledged by the
 * broker, never earlier), rejected (with line or row, and reasons) and failed (sent but not acknowledged).
 * Reading waits while {@code maxInFlight} records are unacknowledged, so memory stays bounded, and
 * stops at the first record the broker did not acknowledge: that is an outage, not bad input, and
 * the rest of the file would only time out the same way.
 *
 * @param <T> the draft type of the file's format
 */
final class FileIngest<T> {
    /** Rejections kept for the summary; beyond it only counted, so a file of the wrong format cannot exhaust memory. */
    static final int MAX_REJECTIONS_LISTED = 10_000;

    /** Validates a draft and builds its record; the line (or row) number goes into the record's metadata. */
    interface Builder<T> {
        SpecificRecord build(T draft, Map<String, String> metadata) throws InvalidRecordException;
    }

    private final RecordSource<T> reader;
    private final Builder<T> builder;
    private final PrefProducer producer;
    private final IngestCounters counters;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final List<Rejection> rejections = new ArrayList<>();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    /** @param producer where to send, or null for a dry run (validate and count only) */
    FileIngest(RecordSource<T> reader, Builder<T> builder, PrefProducer producer, IngestCounters counters, int maxInFlight) {
        this.reader = reader;
        this.builder = builder;
        this.producer = producer;
        this.counters = counters;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
    }

    /**
     * Runs to the end of the file (or the first delivery failure) and until every sent record is
     * acknowledged or failed.
     */
    void run() throws IOException, InterruptedException {
        try (reader) {
            while (firstFailure.get() == null && reader.hasNext()) {
                Parsed<T> parsed = reader.next();
                counters.countRead();
                if (!parsed.isValid()) {
                    reject(new Rejection(reader.unit(), parsed.line(), parsed.problems()));
                    continue;
                }
                SpecificRecord record;
                try {
                    record = builder.build(parsed.value(), Map.of(reader.unit(), Long.toString(parsed.line())));
                } catch (InvalidRecordException e) {
                    reject(new Rejection(reader.unit(), parsed.line(), e.problems()));
                    continue;
                }
                counters.countValid();
                if (producer != null) {
                    send(record);
                }
            }
        }
        if (producer != null) {
            producer.flush();
            inFlight.acquire(maxInFlight); // every callback has run
        }
    }

    private void send(SpecificRecord record) throws InterruptedException {
        inFlight.acquire();
        try {
            producer.send(record).whenComplete((accepted, error) -> {
                if (error == null) {
                    counters.countSent();
                } else {
                    counters.countFailed();
                    firstFailure.compareAndSet(null, error);
                }
                inFlight.release();
            });
        } catch (InvalidRecordException e) {
            inFlight.release();
            throw new IllegalStateException("a record built by the validator was refused by it: " + e.getMessage(), e);
        }
    }

    private void reject(Rejection rejection) {
        counters.countRejected();
        if (rejections.size() < MAX_REJECTIONS_LISTED) {
            rejections.add(rejection);
        }
    }

    List<Rejection> rejections() {
        return rejections;
    }

    /** The first reason a record was not acknowledged (reading stopped there), or null. */
    Throwable firstFailure() {
        return firstFailure.get();
    }
}
