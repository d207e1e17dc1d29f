package io.prefstream.inference.client;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Test helper: an inference client with test-friendly defaults, overridable key by key. */
public final class Clients {
    private Clients() {}

    public static Map<String, Object> settings(String endpoints) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(InferenceConfig.INFERENCE_ENDPOINTS, endpoints);
        settings.put(InferenceConfig.REQUEST_TIMEOUT_MS, 5_000L);
        settings.put(InferenceConfig.RETRY_BACKOFF_MS, 5L);
        settings.put(InferenceConfig.RETRY_BACKOFF_MAX_MS, 40L);
        settings.put(InferenceConfig.CLOSE_TIMEOUT_MS, 10_000L);
        // one readiness attempt: tests of unreachable or misconfigured endpoints expect the failure at once
        settings.put(InferenceConfig.READY_TIMEOUT_MS, 0L);
        settings.put(InferenceConfig.BATCH_LINGER_MS, 2L);
        return settings;
    }

    public static InferenceClient client(Map<String, Object> settings, SimpleMeterRegistry registry) {
        return new InferenceClient(new InferenceConfig(settings), registry);
    }
}
