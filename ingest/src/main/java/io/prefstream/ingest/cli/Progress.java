package io.prefstream.ingest.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Shows how far an ingest has got, on standard error: on a terminal a bar redrawn in place with the
 * rate and ETA, otherwise (a log, a pipe, CI) one plain line per interval. Progress is the share of
 * the input file's bytes consumed, which is known up front even for gzip, unlike the record count.
 */
final class Progress implements AutoCloseable {
    private static final int BAR_WIDTH = 30;

    enum Mode { BAR, LINES, OFF }

    private final PrintWriter out;
    private final Mode mode;
    private final IngestCounters counters;
    private final LongSupplier bytesDone;
    private final long bytesTotal;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer;

    Progress(PrintWriter out, Mode mode, Duration interval, IngestCounters counters, LongSupplier bytesDone, long bytesTotal) {
        this.out = out;
        this.mode = mode;
        this.counters = counters;
        this.bytesDone = bytesDone;
        this.bytesTotal = bytesTotal;
        if (mode == Mode.OFF) {
            timer = null;
        } else {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "ingest-progress");
                thread.setDaemon(true);
                return thread;
            });
            timer.scheduleAtFixedRate(this::show, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void show() {
        String status = status();
        if (mode == Mode.BAR) {
            double fraction = fraction();
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            out.print("\r[" + "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] " + status + "\u001b[K");
        } else {
            out.println("ingest: " + status);
        }
        out.flush();
    }

    /** e.g. {@code 45%  1,040 read  1,020 sent  2 rejected  830 rec/s  ETA 0:02}. */
    String status() {
        double fraction = fraction();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long read = counters.read();
        String eta = fraction <= 0 ? "--:--" : clock((long) (seconds * (1 - fraction) / fraction));
        return String.format(Locale.ROOT, "%3d%%  %,d read  %,d sent  %,d rejected  %,.0f rec/s  ETA %s",
            (int) (fraction * 100), read, counters.sent(), counters.rejected(), seconds > 0 ? read / seconds : 0.0, eta);
    }

    private double fraction() {
        return bytesTotal <= 0 ? 1.0 : Math.min(1.0, (double) bytesDone.getAsLong() / bytesTotal);
    }

    private static String clock(long seconds) {
        return seconds >= 3600
            ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
            : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    /** Stops the timer and leaves the final state on screen. */
    @Override
    public synchronized void close() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        show();
        if (mode == Mode.BAR) {
            out.println();
        }
        out.flush();
    }
}
