package io.prefstream.inference.reference;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Switches of the reference inference server.
 *
 * @param host              address to bind
 * @param port              port to bind; 0 picks a free one
 * @param latencyMsPerBatch simulated execution time of every batch (a GPU forward pass)
 * @param latencyMsPerItem  additional simulated time per batch item
 * @param maxBatch          largest batch a model accepts (its max_batch_size); bigger requests fail INVALID_ARGUMENT
 * @param instances         concurrent executions per model (its instance_group count); further requests queue
 * @param judgeQueueDelayMs how long an idle judge instance waits, after a prompt arrives, for more prompts to run
 *                          with it (the judge batches concurrent requests, up to maxBatch prompts per execution)
 * @param errorRate         share of requests failed with UNAVAILABLE (a transient server fault)
 * @param malformedRate     share of requests answered with a malformed response
 * @param malformations     the kinds of malformed responses, used in turn
 * @param typedOutputs      answer in typed {@code contents} instead of {@code raw_output_contents}
 * @param seed              seed of the fault-injection draws and of the judge's sampling
 * @param tls               certificate chain and PKCS#8 key (PEM) to serve TLS with; null for plaintext
 * @param requiredHeaders   metadata every call must carry (e.g. authorization); others get UNAUTHENTICATED
 */
public record ReferenceServerSettings(String host, int port, double latencyMsPerBatch, double latencyMsPerItem,
                                      int maxBatch, int instances, double judgeQueueDelayMs, double errorRate, double malformedRate,
                                      List<Malformation> malformations, boolean typedOutputs, long seed, Tls tls,
                                      Map<String, String> requiredHeaders) {

    /** PEM files of the server's TLS identity. */
    public record Tls(Path certificateChain, Path privateKey) {}

    public ReferenceServerSettings {
        if (maxBatch < 1 || instances < 1) {
            throw new IllegalArgumentException("max batch and instances must be at least 1");
        }
        if (latencyMsPerBatch < 0 || latencyMsPerItem < 0 || judgeQueueDelayMs < 0) {
            throw new IllegalArgumentException("latencies and the judge queue delay must not be negative");
        }
        if (errorRate < 0 || errorRate > 1 || malformedRate < 0 || malformedRate > 1) {
            throw new IllegalArgumentException("error and malformed rates must be within [0, 1]");
        }
        if (malformations.isEmpty()) {
            throw new IllegalArgumentException("at least one malformation kind is needed");
        }
        malformations = List.copyOf(malformations);
        requiredHeaders = Map.copyOf(requiredHeaders);
    }

    /** Loopback, any free port, no latency, max batch 64, 1 instance, no queue delay, no faults, plaintext, no auth. */
    public static ReferenceServerSettings defaults() {
        return new ReferenceServerSettings("127.0.0.1", 0, 0, 0, 64, 1, 0, 0, 0, List.of(Malformation.values()), false, 42,
            null, Map.of());
    }

    public ReferenceServerSettings withPort(int value) {
        return new ReferenceServerSettings(host, value, latencyMsPerBatch, latencyMsPerItem, maxBatch, instances,
            judgeQueueDelayMs, errorRate, malformedRate, malformations, typedOutputs, seed, tls, requiredHeaders);
    }

    public ReferenceServerSettings withLatency(double perBatchMs, double perItemMs) {
        return new ReferenceServerSettings(host, port, perBatchMs, perItemMs, maxBatch, instances, judgeQueueDelayMs,
            errorRate, malformedRate, malformations, typedOutputs, seed, tls, requiredHeaders);
    }

    public ReferenceServerSettings withCapacity(int maxBatchSize, int instanceCount) {
        return new ReferenceServerSettings(host, port, latencyMsPerBatch, latencyMsPerItem, maxBatchSize, instanceCount,
            judgeQueueDelayMs, errorRate, malformedRate, malformations, typedOutputs, seed, tls, requiredHeaders);
    }

    public ReferenceServerSettings withJudgeQueueDelay(double ms) {
        return new ReferenceServerSettings(host, port, latencyMsPerBatch, latencyMsPerItem, maxBatch, instances, ms,
            errorRate, malformedRate, malformations, typedOutputs, seed, tls, requiredHeaders);
    }

    public ReferenceServerSettings withErrorRate(double rate) {
        return new ReferenceServerSettings(host, port, latencyMsPerBatch, latencyMsPerItem, maxBatch, instances,
            judgeQueueDelayMs, rate, malformedRate, malformations, typedOutputs, seed, tls, requiredHeaders);
    }

    public ReferenceServerSettings withMalformed(double rate, List<Malformation> kinds) {
        return new ReferenceServerSettings(host, port, latencyMsPerBatch, latencyMsPerItem, maxBatch, instances,
            judgeQueueDelayMs, errorRate, rate, kinds, typedOutputs, seed, tls, requiredHeaders);
    }

    public ReferenceServerSettings withTypedOutputs(boolean typed) {
        return new ReferenceServerSettings(host, port, latencyMsPerBatch, latencyMsPerItem, maxBatch, instances,
            judgeQueueDelayMs, errorRate, malformedRate, malformations, typed, seed, tls, requiredHeaders);
    }

    public ReferenceServerSettings withSeed(long value) {
        return new ReferenceServerSettings(host, port, latencyMsPerBatch, latencyMsPerItem, maxBatch, instances,
            judgeQueueDelayMs, errorRate, malformedRate, malformations, typedOutputs, value, tls, requiredHeaders);
    }

    public ReferenceServerSettings withTls(Tls value) {
        return new ReferenceServerSettings(host, port, latencyMsPerBatch, latencyMsPerItem, maxBatch, instances,
            judgeQueueDelayMs, errorRate, malformedRate, malformations, typedOutputs, seed, value, requiredHeaders);
    }

    public ReferenceServerSettings withRequiredHeaders(Map<String, String> headers) {
        return new ReferenceServerSettings(host, port, latencyMsPerBatch, latencyMsPerItem, maxBatch, instances,
            judgeQueueDelayMs, errorRate, malformedRate, malformations, typedOutputs, seed, tls, headers);
    }
}
