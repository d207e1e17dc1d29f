package io.prefstream.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.inference.client.InferenceClient;
import io.prefstream.inference.bench.SimulatedEndpointOptions;
import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.judge.Judge;

/**
 * Items per second each model of the reference server can serve: instances × items per execution ×
 * 1000 / latency per execution. Reward models execute up to max batch items. How many prompts one
 * judge execution runs depends on the server build (the vLLM backend's signature runs one; a server
 * that batches concurrent generations runs up to max batch), so it is probed, not assumed: concurrent
 * prompts are sent and the executions they took are counted at the server.
 */
record EndpointCapacity(SimulatedEndpointOptions endpoint, int judgePromptsPerExecution) {
    private static final int PROBE_PROMPTS = 8;

    double rewardItemsPerSecond() {
        return endpoint.capacityItemsPerSecond();
    }

    double judgePromptsPerSecond() {
        return endpoint.instances() * judgePromptsPerExecution * 1000.0 / endpoint.latencyMs();
    }

    static EndpointCapacity probe(Map<String, String> settings, SimulatedEndpointOptions endpoint) throws Exception {
        ServerCounters before = ServerCounters.read(settings);
        try (InferenceClient client = new InferenceClient(new InferenceConfig(settings), new SimpleMeterRegistry())) {
            Judge judge = Judge.open(client, client.config().judgeModel());
            List<CompletableFuture<String>> answers = new ArrayList<>();
            for (int i = 0; i < PROBE_PROMPTS; i++) {
                answers.add(judge.generate("Say which candidate is better: probe " + i, Map.of("max_tokens", 16)));
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
        ServerCounters probe = ServerCounters.read(settings).minus(before);
        boolean batches = probe.judgeExecutions() < probe.judgeItems();
        return new EndpointCapacity(endpoint, batches ? endpoint.maxBatch() : 1);
    }
}
