package io.prefstream.inference.bench;

import io.prefstream.inference.reference.ReferenceServerSettings;
import picocli.CommandLine.Option;

/**
 * The endpoint every throughput benchmark runs against: the reference server simulating a GPU
 * endpoint of {@code instances} concurrent executions of up to {@code max batch} items, each taking
 * {@code latency} ms. A picocli mixin, so the benchmarks share the options and their defaults (20 ms,
 * 64, 2: the endpoint issue 9 sets for the pipeline benchmark).
 */
public final class SimulatedEndpointOptions {
    @Option(names = "--latency-ms-per-batch", defaultValue = "20",
        description = "Simulated time per batch, ms (default: ${DEFAULT-VALUE}).")
    private double latencyMs;

    @Option(names = "--max-batch", defaultValue = "64",
        description = "Largest batch per execution (default: ${DEFAULT-VALUE}).")
    private int maxBatch;

    @Option(names = "--instances", defaultValue = "2",
        description = "Concurrent executions per model (default: ${DEFAULT-VALUE}).")
    private int instances;

    public double latencyMs() {
        return latencyMs;
    }

    public int maxBatch() {
        return maxBatch;
    }

    public int instances() {
        return instances;
    }

    /** Items per second one model serves with full batches: instances × max batch × 1000 / latency. */
    public double capacityItemsPerSecond() {
        return instances * maxBatch * 1000.0 / latencyMs;
    }

    /** The reference server's settings for this endpoint. */
    public ReferenceServerSettings serverSettings() {
        return ReferenceServerSettings.defaults().withLatency(latencyMs, 0).withCapacity(maxBatch, instances);
    }
}
