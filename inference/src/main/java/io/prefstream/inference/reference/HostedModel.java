package io.prefstream.inference.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.grpc.Status;
import io.grpc.StatusException;
import io.prefstream.inference.proto.ModelInferRequest;
import io.prefstream.inference.proto.ModelInferResponse;
import io.prefstream.inference.proto.ModelStatistics;

/**
 * A model with its execution instances and counters. Requests queue for one of {@code instances}
 * threads; an execution occupies its thread for the simulated latency (per execution + per item),
 * compute included, like a GPU busy with a forward pass. Faults are drawn per request from the
 * server's seeded {@link FaultInjector}.
 *
 * <p>What one execution runs depends on the model. A reward model runs one request (its batch was
 * formed by the client, as Triton runs a full client batch). A model that batches continuously
 * (the judge, like vLLM) runs every queued request that arrived by the execution's start, up to
 * {@code max batch} items: requests arriving while the instance is busy share its next execution,
 * and an idle instance waits up to the judge queue delay for company; one batch is formed at a time,
 * so a second idle instance waits for that batch to be formed instead of taking half of its
 * company (it used to, whenever it came back from its previous execution in that window). Each request is still
 * executed, faulted and answered on its own, so its answer does not depend on its batch.
 *
 * <p>Each instance keeps a simulated device timeline: an execution starts at the later of the end
 * of the instance's previous execution and the batch's arrival (the first request's, plus the
 * queue delay, or the last one's when the batch filled up earlier), and ends exactly the simulated
 * latency later. So a backlogged instance runs batches back to back, as a GPU would, and the host's
 * scheduling jitter (late wake-ups on a busy CPU) does not accumulate into lost capacity; an
 * instance left without work by its clients still idles, which is what benchmarks must see.
 */
final class HostedModel implements AutoCloseable {
    final ReferenceModel model;
    private final ReferenceServerSettings settings;
    private final FaultInjector faults;
    private final ModelCounters counters = new ModelCounters();
    private final BlockingDeque<Queued> queue = new LinkedBlockingDeque<>();
    private final boolean continuous;
    private final long queueDelayNanos;
    private final List<Thread> instances = new ArrayList<>();
    /** Held by the instance forming the next batch of a continuously batching model. */
    private final ReentrantLock forming = new ReentrantLock();
    private volatile boolean closed;

    /** A validated request waiting for an instance. */
    private record Queued(ModelInferRequest request, int items, long received, CompletableFuture<ModelInferResponse> reply) {}

    /** Requests executed together, and the simulated time their execution starts. */
    private record Execution(List<Queued> requests, long start) {}

    /** A request that ran, with the response it gets (malformed when a fault says so). */
    private record Answered(Queued queued, ModelInferResponse response) {}

    HostedModel(ReferenceModel model, ReferenceServerSettings settings, FaultInjector faults) {
        this.model = model;
        this.settings = settings;
        this.faults = faults;
        this.continuous = model.batchesConcurrentRequests();
        this.queueDelayNanos = continuous ? (long) (settings.judgeQueueDelayMs() * 1_000_000) : 0;
        for (int i = 1; i <= settings.instances(); i++) {
            Thread thread = new Thread(new Instance(), "reference-" + model.name() + "-instance-" + i);
            thread.setDaemon(true);
            instances.add(thread);
            thread.start();
        }
    }

    /** Validates at once (bad requests never take a slot), then queues for an instance. */
    CompletableFuture<ModelInferResponse> infer(ModelInferRequest request) {
        long received = System.nanoTime();
        int batch;
        try {
            batch = model.batchSize(request);
            if (batch > settings.maxBatch()) {
                throw Status.INVALID_ARGUMENT.withDescription("inference request batch-size must be <= "
                    + settings.maxBatch() + " for '" + model.name() + "', got " + batch).asException();
            }
            if (closed) {
                throw Status.CANCELLED.withDescription("server shutting down").asException();
            }
        } catch (StatusException e) {
            counters.failure(received);
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<ModelInferResponse> reply = new CompletableFuture<>();
        queue.add(new Queued(request, batch, received, reply));
        return reply;
    }

    /** One execution thread with its simulated device timeline. */
    private final class Instance implements Runnable {
        /** End of this instance's previous execution (System.nanoTime); 0 before the first. */
        private long freeAt;

        @Override
        public void run() {
            try {
                while (!closed) {
                    execute(nextExecution());
                }
            } catch (InterruptedException e) {
                // closing: queued requests are failed by close()
            }
        }

        /**
         * The next batch to run. A model that batches concurrent requests forms one batch at a time,
         * as Triton's scheduler does before handing it to a free instance: otherwise an instance that
         * became free while another one waits for company would split the requests arriving in that
         * window between two smaller executions.
         */
        private Execution nextExecution() throws InterruptedException {
            if (!continuous) {
                return gather(queue.take());
            }
            forming.lockInterruptibly();
            try {
                return gather(queue.take());
            } finally {
                forming.unlock();
            }
        }

        /**
         * The batch led by {@code first}. A model that does not batch concurrent requests runs
         * {@code first} alone. Otherwise the batch takes, in arrival order, the requests that
         * arrived by the end of its window (the later of this instance becoming free and
         * {@code first}'s arrival plus the queue delay) while they fit in max batch items.
         */
        private Execution gather(Queued first) throws InterruptedException {
            if (!continuous) {
                return new Execution(List.of(first), Math.max(freeAt, first.received()));
            }
            List<Queued> batch = new ArrayList<>();
            batch.add(first);
            int items = first.items();
            long windowEnd = Math.max(freeAt, first.received() + queueDelayNanos);
            long lastArrival = first.received();
            boolean full = items == settings.maxBatch();
            try {
                while (!full) {
                    Queued next = queue.pollFirst(Math.max(0, windowEnd - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    if (next.received() > windowEnd || items + next.items() > settings.maxBatch()) {
                        queue.putFirst(next); // arrived after this execution started, or does not fit: the next one's
                        full = next.received() <= windowEnd;
                        break;
                    }
                    batch.add(next);
                    items += next.items();
                    lastArrival = Math.max(lastArrival, next.received());
                    full = items == settings.maxBatch();
                }
            } catch (InterruptedException e) {
                batch.forEach(q -> fail(q, Status.CANCELLED.withDescription("server shutting down")));
                throw e;
            }
            // A full batch need not wait for the end of its window.
            return new Execution(batch, full ? Math.max(freeAt, lastArrival) : windowEnd);
        }

        /**
         * Runs every request of the batch on its own (so its answer, fault and error are its own);
         * failures are answered at once, the others when the simulated execution ends.
         */
        private void execute(Execution execution) throws InterruptedException {
            List<Answered> answered = new ArrayList<>();
            int items = 0;
            for (Queued queued : execution.requests()) {
                FaultInjector.Fault fault = faults.draw();
                if (fault.error()) {
                    fail(queued, Status.UNAVAILABLE.withDescription("simulated transient failure of model '" + model.name()
                        + "' (--error-rate)"));
                    continue;
                }
                try {
                    ModelInferResponse response = model.execute(queued.request(), settings.typedOutputs(), faults.seed());
                    answered.add(new Answered(queued,
                        fault.malformation() == null ? response : fault.malformation().apply(response)));
                    items += queued.items();
                } catch (StatusException e) {
                    fail(queued, e.getStatus());
                } catch (RuntimeException e) {
                    fail(queued, Status.INTERNAL.withDescription("model '" + model.name() + "' failed: " + e).withCause(e));
                }
            }
            if (answered.isEmpty()) {
                return; // nothing ran: no device time, no execution
            }
            try {
                occupyDevice(execution.start(), items);
            } catch (InterruptedException e) {
                answered.forEach(a -> fail(a.queued(), Status.CANCELLED.withDescription("server shutting down")));
                throw e;
            }
            counters.execution(items);
            for (Answered a : answered) {
                counters.success(a.queued().received());
                a.queued().reply().complete(a.response());
            }
        }

        private void occupyDevice(long start, int items) throws InterruptedException {
            long end = start + (long) ((settings.latencyMsPerBatch() + settings.latencyMsPerItem() * items) * 1_000_000);
            freeAt = end;
            long remaining = end - System.nanoTime();
            if (remaining > 0) {
                TimeUnit.NANOSECONDS.sleep(remaining);
            }
        }
    }

    private void fail(Queued queued, Status status) {
        counters.failure(queued.received());
        queued.reply().completeExceptionally(status.asRuntimeException());
    }

    ModelStatistics statistics() {
        return counters.toProto(model.name(), ReferenceModel.VERSION);
    }

    /** Stops the instances (an execution in progress is cancelled) and fails what is still queued. */
    @Override
    public void close() {
        closed = true;
        instances.forEach(Thread::interrupt);
        for (Queued queued; (queued = queue.poll()) != null; ) {
            fail(queued, Status.CANCELLED.withDescription("server shutting down"));
        }
    }

    boolean awaitTermination(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Thread thread : instances) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        return instances.stream().noneMatch(Thread::isAlive);
    }
}
