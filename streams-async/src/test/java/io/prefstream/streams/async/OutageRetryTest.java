package io.prefstream.streams.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Outage failures are retried until the outage timeout, other failures as many times as the error budget says. */
class OutageRetryTest {

    /** Fails with {@code failure} on the first {@code failures} calls, then answers "ok". */
    private static AsyncCall<String, String> failingFirst(int failures, RuntimeException failure, AtomicInteger calls) {
        return request -> calls.incrementAndGet() <= failures ? CompletableFuture.failedFuture(failure)
            : CompletableFuture.completedFuture("ok");
    }

    private static OutageRetry<String, String> retrying(AsyncCall<String, String> call, Duration timeout) {
        return new OutageRetry<>(call, e -> e instanceof IllegalStateException, timeout, 0);
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
    void aFailureThatIsNotAnOutageIsRetriedWithinTheErrorBudget() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        var recovering = new OutageRetry<>(failingFirst(2, new IllegalArgumentException("malformed"), calls),
            e -> e instanceof IllegalStateException, Duration.ofSeconds(10), 2);
        assertThat(recovering.call("r").get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(calls).hasValue(3);

        AtomicInteger more = new AtomicInteger();
        var persistent = new OutageRetry<>(failingFirst(100, new IllegalArgumentException("malformed"), more),
            e -> e instanceof IllegalStateException, Duration.ofSeconds(10), 2);
        assertThatThrownBy(() -> persistent.call("r").join())
            .cause().isInstanceOf(OutageRetry.FailedAttempts.class)
            .satisfies(e -> assertThat(((OutageRetry.FailedAttempts) e).attempts()).isEqualTo(3))
            .cause().isInstanceOf(IllegalArgumentException.class);
        assertThat(more).hasValue(3);
    }

    @Test
    void aCancelledCallIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<String> firstAnswer = new CompletableFuture<>();
        List<Runnable> pausedRetries = new ArrayList<>();
        var call = new OutageRetry<String, String>(request -> {
            calls.incrementAndGet();
            return firstAnswer;
        }, e -> e instanceof IllegalStateException, Duration.ofSeconds(10), 3, pause -> pausedRetries::add);

        CompletableFuture<String> result = call.call("r");
        result.cancel(false);
        firstAnswer.completeExceptionally(new IllegalStateException("down"));

        assertThat(pausedRetries).as("no retry scheduled for a cancelled call").isEmpty();
        assertThat(calls).hasValue(1);
    }

    @Test
    void aRetryScheduledBeforeTheCancelMakesNoCall() {
        AtomicInteger calls = new AtomicInteger();
        List<Runnable> pausedRetries = new ArrayList<>();
        var call = new OutageRetry<String, String>(request -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("down"));
        }, e -> e instanceof IllegalStateException, Duration.ofSeconds(10), 3, pause -> pausedRetries::add);

        CompletableFuture<String> result = call.call("r");
        assertThat(pausedRetries).hasSize(1);
        result.cancel(false);
        pausedRetries.get(0).run();

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
