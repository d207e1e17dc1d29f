package io.prefstream.inference.client;

/**
 * Per-endpoint breaker: CLOSED until {@code failureThreshold} consecutive endpoint failures, then
 * OPEN (no calls) for {@code openNanos}, then HALF_OPEN with exactly one probe call in flight; the
 * probe's success closes it, its failure opens it again. Not thread-safe: the {@link EndpointPool}
 * calls it under its lock.
 */
final class CircuitBreaker {
    enum State {
        CLOSED(0), HALF_OPEN(1), OPEN(2);

        /** Gauge value: 0 closed, 1 half-open, 2 open. */
        final int gaugeValue;

        State(int gaugeValue) {
            this.gaugeValue = gaugeValue;
        }
    }

    private final int failureThreshold;
    private final long openNanos;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAt;
    private boolean probeInFlight;

    CircuitBreaker(int failureThreshold, long openNanos) {
        this.failureThreshold = failureThreshold;
        this.openNanos = openNanos;
    }

    /** May a call be sent now? Moves OPEN to HALF_OPEN once the open period has passed. */
    boolean allows(long now) {
        if (state == State.OPEN && now - openedAt >= openNanos) {
            state = State.HALF_OPEN;
            probeInFlight = false;
        }
        return state == State.CLOSED || (state == State.HALF_OPEN && !probeInFlight);
    }

    /** Is the breaker open with no probe due yet (so waiting on this endpoint is pointless)? */
    boolean rejectsAll(long now) {
        return !allows(now) && state == State.OPEN;
    }

    void onDispatch() {
        if (state == State.HALF_OPEN) {
            probeInFlight = true;
        }
    }

    /** The endpoint answered (even with a client-side error such as INVALID_ARGUMENT). */
    void onSuccess() {
        state = State.CLOSED;
        consecutiveFailures = 0;
        probeInFlight = false;
    }

    void onFailure(long now) {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= failureThreshold) {
            state = State.OPEN;
            openedAt = now;
            probeInFlight = false;
        }
    }

    State state() {
        return state;
    }
}
