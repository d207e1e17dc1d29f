package io.prefstream.labeler.judge;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.prefstream.inference.client.InferenceException;

/**
 * Retries judge generations that failed at the inference layer, so that neither an outage nor a stray
 * generation error sends pairs to the DLQ. The inference client retries a failed request a few times
 * within seconds and then opens its circuit breaker, failing fast; and an error the judge reports inside
 * a ModelStreamInfer stream (the only way a decoupled model such as Triton's vLLM backend reports one)
 * carries no status code, so the client reports it as INTERNAL and does not retry it at all.
 * <ul>
 *   <li>a <b>transient</b> failure (UNAVAILABLE, which includes an open circuit, DEADLINE_EXCEEDED,
 *       RESOURCE_EXHAUSTED) is tried again until {@code outageTimeout} has passed since the first attempt;</li>
 *   <li>any other {@link InferenceException} (an error reported in the stream, a malformed response) is
 *       tried again at most {@code errorRetries} times;</li>
 * </ul>
 * with pauses of 0.5 s doubling up to 10 s. Then the failure stands and the pair is dead-lettered
 * ({@code inference_failure}). Meanwhile the pending bound fills and backpressure stops consumption.
 */
public final class GenerationRetry {
    private static final Set<Status.Code> TRANSIENT =
        EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(10);

    private GenerationRetry() {
    }

    /** {@code judge} with these retries; with a zero timeout and no error retries it is returned unchanged. */
    public static JudgeEndpoint wrap(JudgeEndpoint judge, Duration outageTimeout, int errorRetries) {
        if (outageTimeout.isZero() && errorRetries == 0) {
            return judge;
        }
        return new JudgeEndpoint(judge.model(), (prompt, sampling) -> attempt(judge.generator(), prompt, sampling,
            System.nanoTime() + outageTimeout.toNanos(), errorRetries, FIRST_PAUSE));
    }

    private static CompletableFuture<JudgeReply> attempt(JudgeEndpoint.Generator generator, String prompt,
                                                         Map<String, Object> sampling, long outageDeadline,
                                                         int errorRetriesLeft, Duration pause) {
        CompletableFuture<JudgeReply> reply;
        try {
            reply = generator.generate(prompt, sampling);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.handle((answer, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(answer);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (!(cause instanceof InferenceException failure)) {
                return CompletableFuture.<JudgeReply>failedFuture(cause);
            }
            boolean transientFailure = TRANSIENT.contains(failure.code());
            boolean retry = transientFailure ? System.nanoTime() + pause.toNanos() <= outageDeadline : errorRetriesLeft > 0;
            if (!retry) {
                return CompletableFuture.<JudgeReply>failedFuture(cause);
            }
            Executor later = CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS);
            Duration next = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            int left = transientFailure ? errorRetriesLeft : errorRetriesLeft - 1;
            return CompletableFuture.supplyAsync(() -> null, later)
                .thenCompose(ignored -> attempt(generator, prompt, sampling, outageDeadline, left, next));
        }).thenCompose(future -> future);
    }
}
