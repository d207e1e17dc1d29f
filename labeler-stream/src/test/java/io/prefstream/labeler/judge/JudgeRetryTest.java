package io.prefstream.labeler.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.prefstream.inference.client.CircuitOpenException;
import io.prefstream.inference.client.InferenceException;
import io.prefstream.inference.client.ModelRef;
import io.prefstream.streams.async.OutageRetry;

/** {@link JudgeEndpoint#retrying}: which judge failures are ridden out, which are retried a few times. */
class JudgeRetryTest {
    /** A judge failing its first {@code failures} calls with {@code error}, then answering "ok". */
    private static JudgeEndpoint failing(int failures, RuntimeException error, AtomicInteger calls) {
        return new JudgeEndpoint(new ModelRef("judge", ""), (prompt, sampling) -> calls.incrementAndGet() <= failures
            ? CompletableFuture.failedFuture(error) : CompletableFuture.completedFuture(JudgeReply.text("ok")));
    }

    private static String generate(JudgeEndpoint judge) throws Exception {
        return judge.generator().generate("p", Map.of()).get(10, TimeUnit.SECONDS).text();
    }

    @Test
    void anOutageIsRiddenOutUntilTheJudgeAnswers() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        JudgeEndpoint judge = failing(2, new CircuitOpenException("judge", "a:1"), calls)
            .retrying(Duration.ofSeconds(30), 0);
        assertThat(generate(judge)).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void otherErrorsAreRetriedAFewTimesAndTheAttemptsAreReported() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        InferenceException inStream = new InferenceException("judge", Status.Code.INTERNAL, "reported in the stream: boom");
        assertThat(generate(failing(1, inStream, calls).retrying(Duration.ZERO, 1))).isEqualTo("ok");
        assertThat(calls).hasValue(2);

        AtomicInteger again = new AtomicInteger();
        JudgeEndpoint stubborn = failing(100, inStream, again).retrying(Duration.ofSeconds(30), 1);
        assertThatThrownBy(() -> generate(stubborn)).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(OutageRetry.FailedAttempts.class)
            .satisfies(e -> assertThat(((OutageRetry.FailedAttempts) e).attempts()).isEqualTo(2))
            .cause().isSameAs(inStream);
        assertThat(again).as("one try and one retry").hasValue(2);
    }

    @Test
    void aCancelledGenerationIsAnErrorNotAnOutage() {
        AtomicInteger calls = new AtomicInteger();
        JudgeEndpoint judge = failing(100, new InferenceException("judge", Status.Code.CANCELLED, "cancelled"), calls)
            .retrying(Duration.ofSeconds(30), 1);
        assertThatThrownBy(() -> generate(judge)).hasRootCauseMessage("cancelled");
        assertThat(calls).as("bounded by the error retries, not the outage timeout").hasValue(2);
    }

    @Test
    void anOutageLongerThanTheTimeoutFails() {
        AtomicInteger outageCalls = new AtomicInteger();
        JudgeEndpoint longOutage = failing(100, new InferenceException("judge", Status.Code.UNAVAILABLE, "down"),
            outageCalls).retrying(Duration.ofMillis(700), 3);
        assertThatThrownBy(() -> generate(longOutage)).hasRootCauseMessage("down");
        assertThat(outageCalls).as("first try, one retry after 0.5 s, then the 1 s pause would pass the deadline")
            .hasValue(2);
    }
}
