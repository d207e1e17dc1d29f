package io.prefstream.inference.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import io.grpc.Status;

/**
 * Collects single items into batches of at most {@code maxBatch}, sending a batch as soon as it is
 * full or {@code linger} after its first item arrived. Each item gets its own future.
 *
 * <p>When a batch fails in a way one item can cause (INVALID_ARGUMENT, INTERNAL, UNKNOWN: the model
 * rejected or choked on an input; RESOURCE_EXHAUSTED left after retries: the batch is too big), the
 * batch is split in halves and each half is sent again, recursively, so one poisoned item fails
 * alone and the others still get their results. Endpoint-level failures (UNAVAILABLE, open
 * breakers, malformed responses, missing models) fail the whole batch: splitting would only
 * multiply the load on a sick server.
 */
public final class MicroBatcher<I, O> {
    static final Set<Status.Code> SPLITTABLE = EnumSet.of(Status.Code.INVALID_ARGUMENT, Status.Code.INTERNAL,
        Status.Code.UNKNOWN, Status.Code.RESOURCE_EXHAUSTED);

    private final String model;
    private final int maxBatch;
    private final long lingerNanos;
    private final ScheduledExecutorService scheduler;
    private final Function<List<I>, CompletableFuture<List<O>>> execute;
    private final Consumer<String> ensureOpen;
    private List<Pending<I, O>> current = new ArrayList<>();
    private ScheduledFuture<?> lingerTimer;

    private record Pending<I, O>(I item, CompletableFuture<O> result) {}

    MicroBatcher(String model, int maxBatch, Duration linger, ScheduledExecutorService scheduler,
                 Function<List<I>, CompletableFuture<List<O>>> execute, Consumer<String> ensureOpen) {
        this.model = model;
        this.maxBatch = maxBatch;
        this.lingerNanos = linger.toNanos();
        this.scheduler = scheduler;
        this.execute = execute;
        this.ensureOpen = ensureOpen;
    }

    public CompletableFuture<O> submit(I item) {
        return submitAll(List.of(item)).get(0);
    }

    /** Adds every item (to the current batch and as many new ones as needed); one future per item. */
    public List<CompletableFuture<O>> submitAll(List<I> items) {
        ensureOpen.accept(model);
        List<CompletableFuture<O>> results = new ArrayList<>(items.size());
        List<List<Pending<I, O>>> ready = new ArrayList<>();
        synchronized (this) {
            for (I item : items) {
                CompletableFuture<O> result = new CompletableFuture<>();
                results.add(result);
                current.add(new Pending<>(item, result));
                if (current.size() >= maxBatch) {
                    ready.add(takeCurrent());
                }
            }
            if (!current.isEmpty()) {
                if (lingerNanos == 0) {
                    ready.add(takeCurrent());
                } else if (lingerTimer == null) {
                    List<Pending<I, O>> batch = current;
                    try {
                        lingerTimer = scheduler.schedule(() -> flushIfStill(batch), lingerNanos, TimeUnit.NANOSECONDS);
                    } catch (RejectedExecutionException closed) {
                        ready.add(takeCurrent());
                    }
                }
            }
        }
        ready.forEach(this::run);
        return results;
    }

    /** Sends the partly filled batch now (used on close). */
    void flush() {
        List<Pending<I, O>> batch;
        synchronized (this) {
            if (current.isEmpty()) {
                return;
            }
            batch = takeCurrent();
        }
        run(batch);
    }

    private void flushIfStill(List<Pending<I, O>> batch) {
        synchronized (this) {
            if (current != batch || batch.isEmpty()) {
                return;
            }
            takeCurrent();
        }
        run(batch);
    }

    private List<Pending<I, O>> takeCurrent() {
        List<Pending<I, O>> batch = current;
        current = new ArrayList<>();
        if (lingerTimer != null) {
            lingerTimer.cancel(false);
            lingerTimer = null;
        }
        return batch;
    }

    private void run(List<Pending<I, O>> batch) {
        List<I> items = new ArrayList<>(batch.size());
        batch.forEach(p -> items.add(p.item()));
        CompletableFuture<List<O>> outputs;
        try {
            outputs = execute.apply(items);
        } catch (RuntimeException e) {
            outputs = CompletableFuture.failedFuture(e);
        }
        outputs.whenComplete((values, error) -> {
            if (error == null && values.size() != batch.size()) {
                IllegalStateException mismatch = new IllegalStateException("batch of " + batch.size() + " items for model '"
                    + model + "' produced " + values.size() + " results");
                batch.forEach(p -> p.result().completeExceptionally(mismatch));
                return;
            }
            if (error == null) {
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result().complete(values.get(i));
                }
                return;
            }
            Throwable cause = InferenceClient.unwrap(error);
            if (batch.size() > 1 && SPLITTABLE.contains(InferenceClient.codeOf(cause))) {
                int half = batch.size() / 2;
                run(batch.subList(0, half));
                run(batch.subList(half, batch.size()));
            } else {
                batch.forEach(p -> p.result().completeExceptionally(cause));
            }
        });
    }
}
