package io.prefstream.inference.reference;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.grpc.Status;
import io.grpc.StatusException;
import io.prefstream.inference.proto.InferStatistics;
import io.prefstream.inference.proto.ModelInferRequest;
import io.prefstream.inference.proto.ModelInferResponse;
import io.prefstream.inference.proto.ModelStatistics;
import io.prefstream.inference.proto.StatisticDuration;

/**
 * A model with its execution slots and counters. Requests queue for one of {@code instances}
 * threads; an execution occupies its thread for the simulated latency (per batch + per item),
 * compute included, like a GPU busy with a forward pass. Faults are drawn per request from the
 * server's seeded {@link FaultInjector}.
 *
 * <p>Each instance keeps a simulated device timeline: an execution starts at the later of the
 * request's arrival and the end of the instance's previous execution, and ends exactly the
 * simulated latency later. So a backlogged instance runs batches back to back, as a GPU would,
 * and the host's scheduling jitter (late wake-ups on a busy CPU) does not accumulate into lost
 * capacity; an instance left without work by its clients still idles, which is what benchmarks
 * must see.
 */
final class HostedModel implements AutoCloseable {
    final ReferenceModel model;
    private final ReferenceServerSettings settings;
    private final FaultInjector faults;
    private final ExecutorService instances;
    private final AtomicLong successCount = new AtomicLong();
    private final AtomicLong successNanos = new AtomicLong();
    private final AtomicLong failCount = new AtomicLong();
    private final AtomicLong failNanos = new AtomicLong();
    private final AtomicLong inferenceCount = new AtomicLong();
    private final AtomicLong executionCount = new AtomicLong();
    private final AtomicLong lastInferenceMillis = new AtomicLong();
    /** End of the previous execution on this instance thread (System.nanoTime), 0 before the first. */
    private final ThreadLocal<long[]> deviceFreeAt = ThreadLocal.withInitial(() -> new long[1]);

    HostedModel(ReferenceModel model, ReferenceServerSettings settings, FaultInjector faults) {
        this.model = model;
        this.settings = settings;
        this.faults = faults;
        AtomicInteger ids = new AtomicInteger();
        this.instances = Executors.newFixedThreadPool(settings.instances(), r -> {
            Thread t = new Thread(r, "reference-" + model.name() + "-instance-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Validates at once (bad requests never take a slot), then runs in a slot. */
    CompletableFuture<ModelInferResponse> infer(ModelInferRequest request) {
        long received = System.nanoTime();
        int batch;
        try {
            batch = model.batchSize(request);
            if (batch > settings.maxBatch()) {
                throw Status.INVALID_ARGUMENT.withDescription("inference request batch-size must be <= "
                    + settings.maxBatch() + " for '" + model.name() + "', got " + batch).asException();
            }
        } catch (StatusException e) {
            recordFailure(received);
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.supplyAsync(() -> execute(request, batch, received), instances);
    }

    private ModelInferResponse execute(ModelInferRequest request, int batch, long received) {
        long[] freeAt = deviceFreeAt.get();
        long start = Math.max(received, freeAt[0]);
        try {
            FaultInjector.Fault fault = faults.draw();
            if (fault.error()) {
                throw Status.UNAVAILABLE.withDescription("simulated transient failure of model '" + model.name()
                    + "' (--error-rate)").asRuntimeException();
            }
            ModelInferResponse response = model.execute(request, settings.typedOutputs(), faults.seed());
            simulateLatency(start, batch);
            executionCount.incrementAndGet();
            inferenceCount.addAndGet(batch);
            lastInferenceMillis.set(System.currentTimeMillis());
            successCount.incrementAndGet();
            successNanos.addAndGet(System.nanoTime() - received);
            return fault.malformation() == null ? response : fault.malformation().apply(response);
        } catch (StatusException e) {
            recordFailure(received);
            throw e.getStatus().asRuntimeException();
        } catch (RuntimeException e) {
            recordFailure(received);
            throw e;
        }
    }

    private void simulateLatency(long start, int batch) {
        long end = start + (long) ((settings.latencyMsPerBatch() + settings.latencyMsPerItem() * batch) * 1_000_000);
        deviceFreeAt.get()[0] = end;
        long remaining = end - System.nanoTime();
        if (remaining > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Status.CANCELLED.withDescription("server shutting down").asRuntimeException();
            }
        }
    }

    private void recordFailure(long received) {
        failCount.incrementAndGet();
        failNanos.addAndGet(System.nanoTime() - received);
    }

    ModelStatistics statistics() {
        return ModelStatistics.newBuilder()
            .setName(model.name())
            .setVersion(ReferenceModel.VERSION)
            .setLastInference(lastInferenceMillis.get())
            .setInferenceCount(inferenceCount.get())
            .setExecutionCount(executionCount.get())
            .setInferenceStats(InferStatistics.newBuilder()
                .setSuccess(StatisticDuration.newBuilder().setCount(successCount.get()).setNs(successNanos.get()))
                .setFail(StatisticDuration.newBuilder().setCount(failCount.get()).setNs(failNanos.get())))
            .build();
    }

    @Override
    public void close() {
        instances.shutdownNow();
    }

    boolean awaitTermination(long millis) throws InterruptedException {
        return instances.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }
}
