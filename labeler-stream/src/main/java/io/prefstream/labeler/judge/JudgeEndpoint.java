package io.prefstream.labeler.judge;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.prefstream.inference.client.ModelRef;
import io.prefstream.inference.judge.Judge;

/**
 * One judge model the labeller asks: its name and version, and how to reach it.
 *
 * @param model     name and version, recorded in every vote
 * @param generator generates a completion of a prompt with vLLM sampling parameters
 */
public record JudgeEndpoint(ModelRef model, Generator generator) {

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
}
