package io.prefstream.inference.client;

import io.grpc.Status;

/**
 * Every endpoint's circuit breaker is open, so the call was not sent. Carries UNAVAILABLE and is
 * therefore retried with backoff, giving a breaker the chance to half-open.
 */
public class CircuitOpenException extends InferenceException {
    public CircuitOpenException(String model, String endpoints) {
        super(model, Status.Code.UNAVAILABLE, "circuit breaker open on every endpoint (" + endpoints + ")");
    }
}
