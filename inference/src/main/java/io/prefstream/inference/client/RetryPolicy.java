package io.prefstream.inference.client;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.grpc.Status;

/**
 * Which failures are retried and how long to wait: only UNAVAILABLE, DEADLINE_EXCEEDED and
 * RESOURCE_EXHAUSTED (the server may succeed next time); exponential backoff with "equal jitter"
 * (a uniform draw between half and all of the capped exponential delay), so that many clients
 * failing together do not retry together.
 */
record RetryPolicy(int maxRetries, long backoffMillis, long maxBackoffMillis) {
    static final Set<Status.Code> RETRYABLE =
        EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED);

    boolean retries(Status.Code code, int retriesSoFar) {
        return retriesSoFar < maxRetries && RETRYABLE.contains(code);
    }

    long delayMillis(int retriesSoFar) {
        long exponential = backoffMillis << Math.min(retriesSoFar, 30);
        long capped = Math.min(maxBackoffMillis, exponential <= 0 ? maxBackoffMillis : exponential);
        long half = capped / 2;
        return half + ThreadLocalRandom.current().nextLong(capped - half + 1);
    }
}
