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

class GenerationRetryTest {
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
        JudgeEndpoint judge = GenerationRetry.wrap(failing(2, new CircuitOpenException("judge", "a:1"), calls),
            Duration.ofSeconds(30), 0);
        assertThat(generate(judge)).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void otherInferenceErrorsAreRetriedAFewTimes() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        InferenceException inStream = new InferenceException("judge", Status.Code.INTERNAL, "reported in the stream: boom");
        assertThat(generate(GenerationRetry.wrap(failing(1, inStream, calls), Duration.ZERO, 1))).isEqualTo("ok");
        assertThat(calls).hasValue(2);

        AtomicInteger again = new AtomicInteger();
        JudgeEndpoint stubborn = GenerationRetry.wrap(failing(100, inStream, again), Duration.ofSeconds(30), 1);
        assertThatThrownBy(() -> generate(stubborn)).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(InferenceException.class).hasMessageContaining("boom");
        assertThat(again).as("one try and one retry").hasValue(2);
    }

    @Test
    void otherFailuresAndLongOutagesFail() {
        AtomicInteger calls = new AtomicInteger();
        JudgeEndpoint bug = GenerationRetry.wrap(failing(1, new IllegalStateException("bug"), calls),
            Duration.ofSeconds(30), 3);
        assertThatThrownBy(() -> generate(bug)).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(calls).as("not an inference failure: no retry").hasValue(1);

        AtomicInteger outageCalls = new AtomicInteger();
        JudgeEndpoint longOutage = GenerationRetry.wrap(failing(100, new InferenceException("judge",
            Status.Code.UNAVAILABLE, "down"), outageCalls), Duration.ofMillis(700), 3);
        assertThatThrownBy(() -> generate(longOutage)).hasCauseInstanceOf(InferenceException.class)
            .hasMessageContaining("down");
        assertThat(outageCalls).as("first try, one retry after 0.5 s, then the 1 s pause would pass the deadline")
            .hasValue(2);
    }
}
