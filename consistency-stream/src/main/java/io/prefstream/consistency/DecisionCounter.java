package io.prefstream.consistency;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.prefstream.consistency.policy.Route;

/** {@code prefstream.consistency.decisions{route}}: pairs routed by the policy, per route. */
final class DecisionCounter {
    private final Map<Route, Counter> counters = new EnumMap<>(Route.class);

    DecisionCounter(MeterRegistry registry) {
        for (Route route : Route.values()) {
            counters.put(route, Counter.builder("prefstream.consistency.decisions")
                .description("Pairs routed by the curation policy, per route.")
                .tag("route", route.name()).register(registry));
        }
    }

    <T> T count(Route route, T value) {
        counters.get(route).increment();
        return value;
    }
}
