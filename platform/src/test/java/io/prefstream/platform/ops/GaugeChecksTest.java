package io.prefstream.platform.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class GaugeChecksTest {
    @Test
    void theCircuitCheckFailsOnlyWhenEveryEndpointIsOpen() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HealthCheck check = GaugeChecks.inferenceCircuit(registry);
        assertThat(check.check()).isEqualTo(HealthCheck.Result.up("no prefstream.inference.circuit.state gauge"));

        AtomicInteger first = new AtomicInteger(0);
        AtomicInteger second = new AtomicInteger(2);
        Gauge.builder(GaugeChecks.INFERENCE_CIRCUIT_STATE, first, AtomicInteger::get).tag("endpoint", "a:8001")
            .register(registry);
        Gauge.builder(GaugeChecks.INFERENCE_CIRCUIT_STATE, second, AtomicInteger::get).tag("endpoint", "b:8001")
            .register(registry);
        assertThat(check.check()).isEqualTo(HealthCheck.Result.up("1 of 2 at 2.0"));

        first.set(2);
        assertThat(check.check()).isEqualTo(HealthCheck.Result.down("inference circuit open on every endpoint (2 of 2)"));

        second.set(1); // half-open: a probe call may go through
        assertThat(check.check().healthy()).isTrue();
    }
}
