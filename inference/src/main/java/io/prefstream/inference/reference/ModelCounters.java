package io.prefstream.inference.reference;

import java.util.concurrent.atomic.AtomicLong;

import io.prefstream.inference.proto.InferStatistics;
import io.prefstream.inference.proto.ModelStatistics;
import io.prefstream.inference.proto.StatisticDuration;

/**
 * A hosted model's counters, served as Triton's ModelStatistics: {@code inference_count} = items
 * executed, {@code execution_count} = executions (batches), {@code inference_stats.success/fail}
 * = requests with the time from arrival to answer.
 */
final class ModelCounters {
    private final AtomicLong successCount = new AtomicLong();
    private final AtomicLong successNanos = new AtomicLong();
    private final AtomicLong failCount = new AtomicLong();
    private final AtomicLong failNanos = new AtomicLong();
    private final AtomicLong inferenceCount = new AtomicLong();
    private final AtomicLong executionCount = new AtomicLong();
    private final AtomicLong lastInferenceMillis = new AtomicLong();

    void execution(int items) {
        executionCount.incrementAndGet();
        inferenceCount.addAndGet(items);
        lastInferenceMillis.set(System.currentTimeMillis());
    }

    void success(long receivedNanos) {
        successCount.incrementAndGet();
        successNanos.addAndGet(System.nanoTime() - receivedNanos);
    }

    void failure(long receivedNanos) {
        failCount.incrementAndGet();
        failNanos.addAndGet(System.nanoTime() - receivedNanos);
    }

    ModelStatistics toProto(String name, String version) {
        return ModelStatistics.newBuilder()
            .setName(name)
            .setVersion(version)
            .setLastInference(lastInferenceMillis.get())
            .setInferenceCount(inferenceCount.get())
            .setExecutionCount(executionCount.get())
            .setInferenceStats(InferStatistics.newBuilder()
                .setSuccess(StatisticDuration.newBuilder().setCount(successCount.get()).setNs(successNanos.get()))
                .setFail(StatisticDuration.newBuilder().setCount(failCount.get()).setNs(failNanos.get())))
            .build();
    }
}
