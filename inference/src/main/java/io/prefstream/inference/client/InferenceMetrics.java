package io.prefstream.inference.client;

import java.time.Duration;
import java.util.List;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The client's Micrometer meters. Names (dots; Prometheus turns them into underscores):
 * <ul>
 *   <li>{@code prefstream.inference.requests} counter {model, outcome=success|failure}: calls, after retries</li>
 *   <li>{@code prefstream.inference.items} counter {model}: batch items sent successfully</li>
 *   <li>{@code prefstream.inference.batch.size} distribution summary {model}: items per request</li>
 *   <li>{@code prefstream.inference.latency} timer {model}: call latency including retries</li>
 *   <li>{@code prefstream.inference.errors} counter {model, status}: failed attempts by gRPC status</li>
 *   <li>{@code prefstream.inference.retries} counter {model}: attempts that were retried</li>
 *   <li>{@code prefstream.inference.in.flight} gauge {endpoint}: calls outstanding</li>
 *   <li>{@code prefstream.inference.circuit.state} gauge {endpoint}: 0 closed, 1 half-open, 2 open</li>
 *   <li>{@code prefstream.inference.queued} gauge: calls waiting for an in-flight slot</li>
 * </ul>
 */
final class InferenceMetrics {
    static final String PREFIX = "prefstream.inference.";
    private final MeterRegistry registry;

    InferenceMetrics(MeterRegistry registry, EndpointPool pool, List<Endpoint> endpoints) {
        this.registry = registry;
        for (Endpoint endpoint : endpoints) {
            Gauge.builder(PREFIX + "in.flight", endpoint, e -> e.inFlight).tag("endpoint", endpoint.address)
                .description("Calls outstanding on the endpoint").register(registry);
            Gauge.builder(PREFIX + "circuit.state", endpoint, e -> pool.state(e).gaugeValue)
                .tag("endpoint", endpoint.address).description("0 closed, 1 half-open, 2 open").register(registry);
        }
        Gauge.builder(PREFIX + "queued", pool, EndpointPool::waiting)
            .description("Calls waiting for an in-flight slot").register(registry);
    }

    void success(String model, int items, long nanos) {
        Counter.builder(PREFIX + "requests").tag("model", model).tag("outcome", "success").register(registry).increment();
        Counter.builder(PREFIX + "items").tag("model", model).register(registry).increment(items);
        DistributionSummary.builder(PREFIX + "batch.size").tag("model", model).publishPercentileHistogram()
            .register(registry).record(items);
        Timer.builder(PREFIX + "latency").tag("model", model).publishPercentileHistogram()
            .register(registry).record(Duration.ofNanos(nanos));
    }

    void failure(String model) {
        Counter.builder(PREFIX + "requests").tag("model", model).tag("outcome", "failure").register(registry).increment();
    }

    void attemptFailed(String model, Status.Code code) {
        Counter.builder(PREFIX + "errors").tag("model", model).tag("status", code.name()).register(registry).increment();
    }

    void retried(String model) {
        Counter.builder(PREFIX + "retries").tag("model", model).register(registry).increment();
    }
}
