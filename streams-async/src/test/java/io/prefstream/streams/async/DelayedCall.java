package io.prefstream.streams.async;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link AsyncCall} answering each request with its upper case after a fixed delay, on its own
 * thread, as a remote service would; counts calls per request and the most calls open at once.
 */
final class DelayedCall implements AsyncCall<String, String>, AutoCloseable {
    private final ScheduledExecutorService remote = Executors.newScheduledThreadPool(2);
    private final Duration delay;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    DelayedCall(Duration delay) {
        this.delay = delay;
    }

    @Override
    public CompletableFuture<String> call(String request) {
        calls.computeIfAbsent(request, r -> new AtomicInteger()).incrementAndGet();
        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        CompletableFuture<String> future = new CompletableFuture<>();
        remote.schedule(() -> {
            open.decrementAndGet();
            future.complete(request.toUpperCase());
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
        return future;
    }

    int maxOpen() {
        return maxOpen.get();
    }

    int totalCalls() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Requests that were called more than once. */
    long repeatedRequests() {
        return calls.values().stream().filter(n -> n.get() > 1).count();
    }

    @Override
    public void close() {
        remote.shutdownNow();
    }
}
