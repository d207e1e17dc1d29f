package io.prefstream.inference.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

import io.grpc.Status;

/**
 * Hands out endpoints: least outstanding requests among those whose breaker lets a call through
 * and that have a free in-flight slot (ties go round-robin). When every usable endpoint is full,
 * the caller waits in a FIFO queue for a slot; when every breaker is open, the caller fails at
 * once with {@link CircuitOpenException} (retryable, so backoff gives the breakers time).
 */
final class EndpointPool {
    private final List<Endpoint> endpoints;
    private final int maxInFlight;
    private final LongSupplier clock;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private int nextTieBreak;

    private record Waiter(String model, CompletableFuture<Endpoint> slot) {}

    EndpointPool(List<Endpoint> endpoints, int maxInFlight, LongSupplier clock) {
        this.endpoints = List.copyOf(endpoints);
        this.maxInFlight = maxInFlight;
        this.clock = clock;
    }

    List<Endpoint> endpoints() {
        return endpoints;
    }

    CompletableFuture<Endpoint> acquire(String model) {
        CompletableFuture<Endpoint> slot = new CompletableFuture<>();
        synchronized (this) {
            Endpoint chosen = waiters.isEmpty() ? choose() : null;
            if (chosen != null) {
                dispatch(chosen);
                slot.complete(chosen);
            } else if (allRejecting()) {
                slot.completeExceptionally(new CircuitOpenException(model, endpoints.toString()));
            } else {
                waiters.add(new Waiter(model, slot));
            }
        }
        return slot;
    }

    /** Ends a call on {@code endpoint}; {@code healthy} tells the breaker whether the endpoint did its job. */
    void release(Endpoint endpoint, boolean healthy) {
        List<Runnable> completions = new ArrayList<>();
        synchronized (this) {
            endpoint.inFlight--;
            if (healthy) {
                endpoint.breaker.onSuccess();
            } else {
                endpoint.breaker.onFailure(clock.getAsLong());
            }
            while (!waiters.isEmpty()) {
                Endpoint chosen = choose();
                if (chosen == null) {
                    break;
                }
                dispatch(chosen);
                Waiter waiter = waiters.poll();
                completions.add(() -> waiter.slot().complete(chosen));
            }
            // Nothing in flight and nothing usable: no release will ever wake the waiters.
            if (!waiters.isEmpty() && allRejecting()) {
                while (!waiters.isEmpty()) {
                    Waiter waiter = waiters.poll();
                    completions.add(() -> waiter.slot().completeExceptionally(
                        new CircuitOpenException(waiter.model(), endpoints.toString())));
                }
            }
        }
        completions.forEach(Runnable::run);
    }

    private Endpoint choose() {
        long now = clock.getAsLong();
        Endpoint best = null;
        int size = endpoints.size();
        for (int i = 0; i < size; i++) {
            Endpoint candidate = endpoints.get((nextTieBreak + i) % size);
            if (candidate.inFlight < maxInFlight && candidate.breaker.allows(now)
                && (best == null || candidate.inFlight < best.inFlight)) {
                best = candidate;
            }
        }
        if (best != null) {
            nextTieBreak = (endpoints.indexOf(best) + 1) % size;
        }
        return best;
    }

    private void dispatch(Endpoint endpoint) {
        endpoint.inFlight++;
        endpoint.breaker.onDispatch();
    }

    private boolean allRejecting() {
        long now = clock.getAsLong();
        return endpoints.stream().allMatch(e -> e.breaker.rejectsAll(now) && e.inFlight == 0);
    }

    /** Fails every waiting caller (the client is closing and no slot will be granted any more). */
    void abandonWaiters() {
        List<Waiter> abandoned;
        synchronized (this) {
            abandoned = new ArrayList<>(waiters);
            waiters.clear();
        }
        abandoned.forEach(w -> w.slot().completeExceptionally(new InferenceException(w.model(),
            Status.Code.CANCELLED, "inference client closed before an endpoint slot was free")));
    }

    synchronized int waiting() {
        return waiters.size();
    }

    synchronized CircuitBreaker.State state(Endpoint endpoint) {
        return endpoint.breaker.state();
    }
}
