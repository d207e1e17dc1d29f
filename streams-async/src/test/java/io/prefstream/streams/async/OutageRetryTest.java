package io.prefstream.streams.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Outage failures are retried until the outage timeout, other failures are final at once. */
class OutageRetryTest {

    /** Fails with {@code failure} on the first {@code failures} calls, then answers "ok". */
    private static AsyncCall<String, String> failingFirst(int failures, RuntimeException failure, AtomicInteger calls) {
        return request -> calls.incrementAndGet() <= failures ? CompletableFuture.failedFuture(failure)
            : CompletableFuture.completedFuture("ok");
    }

    private static OutageRetry<String, String> retrying(AsyncCall<String, String> call, Duration timeout) {
        return new OutageRetry<>(call, e -> e instanceof IllegalStateException, timeout);
    }

    @Test
    void anOutageShorterThanTheTimeoutIsRiddenOut() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        var call = retrying(failingFirst(2, new IllegalStateException("down"), calls), Duration.ofSeconds(10));
        assertThat(call.call("r").get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void anOutageLongerThanTheTimeoutFailsWithTheAttemptsMade() {
        AtomicInteger calls = new AtomicInteger();
        var call = retrying(failingFirst(100, new IllegalStateException("down"), calls), Duration.ofMillis(1_600));
        assertThatThrownBy(() -> call.call("r").join())
            .isInstanceOf(CompletionException.class)
            .cause().isInstanceOf(OutageRetry.FailedAttempts.class)
            .satisfies(e -> assertThat(((OutageRetry.FailedAttempts) e).attempts())
                .as("at 0, 0.5 and 1.5 s; the next pause (2 s) passes the timeout").isEqualTo(3))
            .cause().isInstanceOf(IllegalStateException.class).hasMessage("down");
        assertThat(calls).hasValue(3);
    }

    @Test
    void aFailureThatIsNotAnOutageIsFinalAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        var call = retrying(failingFirst(100, new IllegalArgumentException("bad request"), calls),
            Duration.ofSeconds(10));
        assertThatThrownBy(() -> call.call("r").join())
            .cause().isInstanceOf(OutageRetry.FailedAttempts.class)
            .satisfies(e -> assertThat(((OutageRetry.FailedAttempts) e).attempts()).isEqualTo(1))
            .cause().isInstanceOf(IllegalArgumentException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void aZeroTimeoutMeansNoRetries() {
        AtomicInteger calls = new AtomicInteger();
        var call = retrying(failingFirst(100, new IllegalStateException("down"), calls), Duration.ZERO);
        assertThatThrownBy(() -> call.call("r").join()).cause().isInstanceOf(OutageRetry.FailedAttempts.class);
        assertThat(calls).hasValue(1);
    }
}
