package io.prefstream.streams.async;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An {@link AsyncCall} that rides out an outage of the service behind it. A failure that means "the
 * service is unavailable" (as {@code outage} judges it: an open circuit, UNAVAILABLE, a deadline
 * exceeded) is not final: the call is made again, pausing 0.5 s doubling up to 10 s, until
 * {@code outageTimeout} has passed since its first attempt. Any other failure is final at once (the
 * wrapped call has spent its own retry budget). The {@link AsyncProcessor} keeps the records waiting
 * in its pending store meanwhile, so its bound fills and backpressure stops consumption; when the
 * service is back the calls succeed without any restart.
 *
 * <p>A final failure is reported as {@link FailedAttempts}, whose cause is the last failure, so that the
 * dead letter records how many attempts were made.
 */
public final class OutageRetry<Req, Resp> implements AsyncCall<Req, Resp> {
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(10);

    private final AsyncCall<Req, Resp> call;
    private final Predicate<Throwable> outage;
    private final Duration outageTimeout;

    /**
     * @param call          the call to make
     * @param outage        true for a failure (unwrapped from {@link CompletionException}) that means the
     *                      service is unavailable, not that this request is bad
     * @param outageTimeout how long such failures keep being retried; zero: never
     */
    public OutageRetry(AsyncCall<Req, Resp> call, Predicate<Throwable> outage, Duration outageTimeout) {
        if (outageTimeout.isNegative()) {
            throw new IllegalArgumentException("outageTimeout must not be negative, got " + outageTimeout);
        }
        this.call = call;
        this.outage = outage;
        this.outageTimeout = outageTimeout;
    }

    /** A call that failed for good after {@code attempts} attempts; the cause is the last failure. */
    public static final class FailedAttempts extends RuntimeException {
        private final int attempts;

        FailedAttempts(int attempts, Throwable lastFailure) {
            super(lastFailure.getMessage(), lastFailure, false, false);
            this.attempts = attempts;
        }

        public int attempts() {
            return attempts;
        }
    }

    @Override
    public CompletableFuture<Resp> call(Req request) {
        return attempt(request, System.nanoTime() + outageTimeout.toNanos(), 1, FIRST_PAUSE);
    }

    private CompletableFuture<Resp> attempt(Req request, long outageDeadline, int attempt, Duration pause) {
        CompletableFuture<Resp> result;
        try {
            result = call.call(request);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.handle((value, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(value);
            }
            Throwable cause = unwrap(error);
            boolean retry = outage.test(cause) && System.nanoTime() + pause.toNanos() <= outageDeadline;
            if (!retry) {
                return CompletableFuture.<Resp>failedFuture(new FailedAttempts(attempt, cause));
            }
            Duration next = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            return CompletableFuture.supplyAsync(() -> null,
                    CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS))
                .thenCompose(ignored -> attempt(request, outageDeadline, attempt + 1, next));
        }).thenCompose(future -> future);
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
