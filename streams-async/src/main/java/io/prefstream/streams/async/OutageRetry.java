package io.prefstream.streams.async;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An {@link AsyncCall} that rides out an outage of the service behind it. A failure that means "the
 * service is unavailable" (as {@code outage} judges it: an open circuit, UNAVAILABLE, a deadline
 * exceeded) is not final: the call is made again, pausing 0.5 s doubling up to 10 s, until
 * {@code outageTimeout} has passed since its first attempt. Any other failure (a malformed answer, an
 * internal error of the server) is retried at most {@code errorRetries} times, with the same pauses,
 * then final: it may be a fault of this one answer, but a request that keeps failing must not hold
 * its records for ever. The {@link AsyncProcessor} keeps the records waiting
 * in its pending store meanwhile, so its bound fills and backpressure stops consumption; when the
 * service is back the calls succeed without any restart.
 *
 * <p>A final failure is reported as {@link FailedAttempts}, whose cause is the last failure, so that the
 * dead letter records how many attempts were made. Cancelling the returned future (the processor's
 * task closed) stops the retries: nobody would read their results.
 */
public final class OutageRetry<Req, Resp> implements AsyncCall<Req, Resp> {
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(10);

    private final AsyncCall<Req, Resp> call;
    private final Predicate<Throwable> outage;
    private final Duration outageTimeout;
    private final int errorRetries;
    private final Function<Duration, Executor> pauses;

    /**
     * @param call          the call to make
     * @param outage        true for a failure (unwrapped from {@link CompletionException}) that means the
     *                      service is unavailable, not that this request is bad
     * @param outageTimeout how long such failures keep being retried; zero: never
     * @param errorRetries  how many times any other failure is retried; zero: never
     */
    public OutageRetry(AsyncCall<Req, Resp> call, Predicate<Throwable> outage, Duration outageTimeout,
                       int errorRetries) {
        this(call, outage, outageTimeout, errorRetries,
            pause -> CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** As above; {@code pauses} gives the executor that runs a retry after a pause (tests run them by hand). */
    OutageRetry(AsyncCall<Req, Resp> call, Predicate<Throwable> outage, Duration outageTimeout, int errorRetries,
                Function<Duration, Executor> pauses) {
        if (outageTimeout.isNegative() || errorRetries < 0) {
            throw new IllegalArgumentException("outageTimeout and errorRetries must not be negative, got "
                + outageTimeout + " and " + errorRetries);
        }
        this.call = call;
        this.outage = outage;
        this.outageTimeout = outageTimeout;
        this.errorRetries = errorRetries;
        this.pauses = pauses;
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
        CompletableFuture<Resp> result = new CompletableFuture<>();
        attempt(request, result, System.nanoTime() + outageTimeout.toNanos(), 1, 0, FIRST_PAUSE);
        return result;
    }

    private void attempt(Req request, CompletableFuture<Resp> result, long outageDeadline, int attempt,
                         int errorsRetried, Duration pause) {
        if (result.isDone()) {
            return;
        }
        CompletableFuture<Resp> answer;
        try {
            answer = call.call(request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
                return;
            }
            Throwable cause = unwrap(error);
            boolean isOutage = outage.test(cause);
            boolean retry = isOutage ? System.nanoTime() + pause.toNanos() <= outageDeadline
                : errorsRetried < errorRetries;
            if (!retry) {
                result.completeExceptionally(new FailedAttempts(attempt, cause));
            } else if (!result.isDone()) {
                int errors = isOutage ? errorsRetried : errorsRetried + 1;
                Duration next = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
                pauses.apply(pause).execute(() -> attempt(request, result, outageDeadline, attempt + 1, errors, next));
            }
        });
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
