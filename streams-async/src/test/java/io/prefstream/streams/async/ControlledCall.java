package io.prefstream.streams.async;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link AsyncCall} whose futures the test completes by hand, from any thread, in any order:
 * the stand-in for a remote service whose timing the test must control. Counts calls per request.
 */
final class ControlledCall implements AsyncCall<String, String> {
    private final List<Call> open = new ArrayList<>();
    private final Map<String, AtomicInteger> callsPerRequest = new ConcurrentHashMap<>();

    record Call(String request, CompletableFuture<String> future) {
    }

    @Override
    public synchronized CompletableFuture<String> call(String request) {
        callsPerRequest.computeIfAbsent(request, r -> new AtomicInteger()).incrementAndGet();
        Call call = new Call(request, new CompletableFuture<>());
        open.add(call);
        return call.future();
    }

    /** Completes the open call for {@code request} with {@code result}. */
    synchronized void succeed(String request, String result) {
        take(request).future().complete(result);
    }

    synchronized void fail(String request, RuntimeException error) {
        take(request).future().completeExceptionally(error);
    }

    /** Completes every open call with the request upper-cased. */
    synchronized int succeedAll() {
        List<Call> calls = new ArrayList<>(open);
        open.clear();
        calls.forEach(c -> c.future().complete(c.request().toUpperCase()));
        return calls.size();
    }

    /** True when every call made so far was cancelled by its caller. */
    synchronized boolean allCancelled() {
        return !open.isEmpty() && open.stream().allMatch(c -> c.future().isCancelled());
    }

    int calls(String request) {
        AtomicInteger n = callsPerRequest.get(request);
        return n == null ? 0 : n.get();
    }

    int totalCalls() {
        return callsPerRequest.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private Call take(String request) {
        for (int i = 0; i < open.size(); i++) {
            if (open.get(i).request().equals(request)) {
                return open.remove(i);
            }
        }
        throw new AssertionError("no open call for " + request + "; open: " + open);
    }
}
