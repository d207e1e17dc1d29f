package io.prefstream.inference.reference;

import java.util.List;
import java.util.Random;

/** Seeded draws of simulated faults: one draw per executed request, malformations used in turn. */
final class FaultInjector {
    record Fault(boolean error, Malformation malformation) {}

    private final Random random;
    private final double errorRate;
    private final double malformedRate;
    private final List<Malformation> kinds;
    private final long seed;
    private int nextKind;

    FaultInjector(ReferenceServerSettings settings) {
        this.random = new Random(settings.seed());
        this.errorRate = settings.errorRate();
        this.malformedRate = settings.malformedRate();
        this.kinds = settings.malformations();
        this.seed = settings.seed();
    }

    synchronized Fault draw() {
        if (errorRate > 0 && random.nextDouble() < errorRate) {
            return new Fault(true, null);
        }
        if (malformedRate > 0 && random.nextDouble() < malformedRate) {
            Malformation kind = kinds.get(nextKind);
            nextKind = (nextKind + 1) % kinds.size();
            return new Fault(false, kind);
        }
        return new Fault(false, null);
    }

    long seed() {
        return seed;
    }
}
