package io.prefstream.streams.async;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Micrometer meters of one {@link AsyncProcessor} task, tagged {@code processor} and {@code task}.
 * Counters are cumulative across restarts of the task in this JVM; gauges belong to the live
 * processor and are removed when it closes.
 */
final class AsyncMetrics {
    static final String PREFIX = "prefstream.async.";

    private final MeterRegistry registry;
    private final Tags tags;
    final Counter calls;
    final Counter resubmitted;
    final Counter memoHits;
    final Counter coalesced;
    final Counter forwarded;
    final Counter failed;
    final Counter staleCompletions;
    final Counter blockTimeouts;
    final Timer latency;
    final Timer blocked;
    private List<Meter> gauges = List.of();

    AsyncMetrics(MeterRegistry registry, String processor, String task) {
        this.registry = registry;
        this.tags = Tags.of("processor", processor, "task", task);
        calls = counter("calls", "Remote calls made (first submissions).");
        resubmitted = counter("resubmitted", "Calls re-submitted by init() for entries pending after a restart.");
        memoHits = counter("memo.hits", "Records answered from the memo store, with no call.");
        coalesced = counter("coalesced", "Records that joined a call already in flight for the same request key.");
        forwarded = counter("forwarded", "Successful outcomes forwarded.");
        failed = counter("failed", "Records dead-lettered because their call failed.");
        staleCompletions = counter("stale.completions",
            "Completions dropped because their pending entry was gone (already answered, or rolled back).");
        blockTimeouts = counter("block.timeouts",
            "process() calls that stopped blocking at max block while still over the bound.");
        latency = Timer.builder(PREFIX + "latency").description("Call latency, submit to completion.")
            .tags(tags).register(registry);
        blocked = Timer.builder(PREFIX + "blocked").description("Time process() spent blocked by the bound.")
            .tags(tags).register(registry);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(PREFIX + name).description(description).tags(tags).register(registry);
    }

    <T> void gauges(T owner, ToDoubleFunction<T> pendingRecords, ToDoubleFunction<T> pendingBytes,
                    ToDoubleFunction<T> inFlight) {
        gauges = List.of(
            Gauge.builder(PREFIX + "pending.records", owner, pendingRecords)
                .description("Input records waiting for a result.").tags(tags).strongReference(true).register(registry),
            Gauge.builder(PREFIX + "pending.bytes", owner, pendingBytes)
                .description("Serialized size of the pending store.").tags(tags).strongReference(true).register(registry),
            Gauge.builder(PREFIX + "in.flight", owner, inFlight)
                .description("Calls in flight (distinct request keys pending).").tags(tags).strongReference(true)
                .register(registry));
    }

    void removeGauges() {
        gauges.forEach(registry::remove);
        gauges = List.of();
    }

    void recordLatency(long startNanos) {
        latency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
}
