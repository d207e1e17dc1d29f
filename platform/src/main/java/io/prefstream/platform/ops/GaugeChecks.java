package io.prefstream.platform.ops;

import java.util.Collection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Health checks read from gauges already in the registry, so a check needs no handle on the component
 * that owns the gauge. The inference client publishes {@code prefstream.inference.circuit.state} per
 * endpoint (0 closed, 1 half-open, 2 open): {@link #inferenceCircuit(MeterRegistry)} is the readiness
 * check "some endpoint is usable".
 */
public final class GaugeChecks {
    /** The inference client's circuit gauge and its "open" value. */
    public static final String INFERENCE_CIRCUIT_STATE = "prefstream.inference.circuit.state";
    public static final double CIRCUIT_OPEN = 2.0;

    private GaugeChecks() {}

    /**
     * Down while every gauge named {@code name} (over all its tag sets) reads {@code value}; up when at
     * least one does not, or when no such gauge exists (yet).
     */
    public static HealthCheck notAll(MeterRegistry registry, String name, double value, String downDetail) {
        return () -> {
            Collection<Gauge> gauges = registry.find(name).gauges();
            if (gauges.isEmpty()) {
                return HealthCheck.Result.up("no " + name + " gauge");
            }
            long at = gauges.stream().filter(g -> g.value() == value).count();
            return at == gauges.size()
                ? HealthCheck.Result.down(downDetail + " (" + at + " of " + gauges.size() + ")")
                : HealthCheck.Result.up(at + " of " + gauges.size() + " at " + value);
        };
    }

    /** Not ready while the circuit to every inference endpoint is open: the stage could make no progress. */
    public static HealthCheck inferenceCircuit(MeterRegistry registry) {
        return notAll(registry, INFERENCE_CIRCUIT_STATE, CIRCUIT_OPEN, "inference circuit open on every endpoint");
    }
}
