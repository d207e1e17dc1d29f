package io.prefstream.labeler.judge;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.grpc.Status;
import io.prefstream.inference.client.InferenceException;
import io.prefstream.inference.client.ModelRef;
import io.prefstream.inference.judge.Judge;
import io.prefstream.streams.async.OutageRetry;

/**
 * One judge model the labeller asks: its name and version, and how to reach it.
 *
 * @param model     name and version, recorded in every vote
 * @param generator generates a completion of a prompt with vLLM sampling parameters
 */
public record JudgeEndpoint(ModelRef model, Generator generator) {
    /** Failures that mean the judge's endpoint is away (an open circuit is UNAVAILABLE), not that the prompt is bad. */
    private static final Set<Status.Code> OUTAGE =
        EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED);

    private record Generation(String prompt, Map<String, Object> samplingParameters) {
    }

    /** Text generation by one judge model. */
    @FunctionalInterface
    public interface Generator {
        CompletableFuture<JudgeReply> generate(String prompt, Map<String, Object> samplingParameters);
    }

    /**
     * A judge served over the KServe v2 protocol (Triton's vLLM backend, or the reference server). The
     * {@link Judge} facade returns the text only, so token counts are not reported through it.
     */
    public static JudgeEndpoint triton(Judge judge) {
        return new JudgeEndpoint(judge.model(), (prompt, parameters) -> judge.generate(prompt, parameters)
            .thenApply(JudgeReply::text));
    }

    /**
     * This judge with retries, so that neither an outage nor a stray generation error sends pairs to the
     * DLQ ({@link OutageRetry}): the inference client retries a failed request a few times within seconds
     * and then opens its circuit, failing fast; and an error a decoupled model reports inside its stream
     * (the only way Triton's vLLM backend reports one) carries no status, so the client reports it as
     * INTERNAL and does not retry it. An outage is ridden out for {@code outageTimeout}; any other failure
     * is retried {@code errorRetries} times; the pair's dead letter then records the attempts made.
     */
    public JudgeEndpoint retrying(Duration outageTimeout, int errorRetries) {
        OutageRetry<Generation, JudgeReply> retry = new OutageRetry<>(
            generation -> generator.generate(generation.prompt(), generation.samplingParameters()),
            failure -> failure instanceof InferenceException inference && OUTAGE.contains(inference.code()),
            outageTimeout, errorRetries);
        return new JudgeEndpoint(model, (prompt, parameters) -> retry.call(new Generation(prompt, parameters)));
    }
}
