package io.prefstream.app.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * An open-loop load: event {@code i} is due at {@code start + i × interval} on the wall clock (nano
 * time), whatever happened to the earlier ones. Nothing waits for a completion, so a slow system
 * cannot slow the offered load down and hide its own latency (coordinated omission): latencies are
 * measured from {@link #dueNanos}, not from when the sender got round to it.
 */
record OpenLoopSchedule(long startNanos, long intervalNanos) {

    /** Starts {@code lead} from now, at {@code perSecond} events per second. */
    static OpenLoopSchedule startingIn(long leadNanos, double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("the rate must be positive, not " + perSecond);
        }
        return new OpenLoopSchedule(System.nanoTime() + leadNanos, Math.round(1e9 / perSecond));
    }

    long dueNanos(int i) {
        return startNanos + i * intervalNanos;
    }

    /**
     * Runs {@code send} for events {@code 0..count-1}, each at its due time (never early).
     *
     * @return the latest any event was sent after its due time, in nanoseconds
     */
    long run(int count, IntConsumer send) {
        long maxLate = 0;
        for (int i = 0; i < count; i++) {
            long due = dueNanos(i);
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
                if (Thread.interrupted()) {
                    throw new IllegalStateException("interrupted while pacing event " + i + " of " + count);
                }
            }
            maxLate = Math.max(maxLate, System.nanoTime() - due);
            send.accept(i);
        }
        return maxLate;
    }

    /**
     * Runs a sender on a thread of its own. Not on the common fork-join pool: with 2 cores it has a
     * single worker, which the in-process reference server also replies on, and a sender parked there
     * for the whole run would hold the server's replies back.
     */
    static <T> CompletableFuture<T> onOwnThread(String name, Supplier<T> sender) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(sender.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return result;
    }
}
