package io.prefstream.labeler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

import io.prefstream.inference.client.ModelRef;
import io.prefstream.inference.judge.JudgeContract;
import io.prefstream.labeler.judge.JudgeEndpoint;
import io.prefstream.labeler.judge.JudgeReply;

/**
 * An in-process judge for topology tests: answers each prompt with a scripted function and records
 * every call, so tests can check exactly what was asked. Integration tests use the reference server.
 */
final class ScriptedJudge {
    record Call(String prompt, Map<String, Object> sampling) {
        boolean isVote() {
            return prompt.contains(JudgeContract.CANDIDATE_1_HEADER);
        }

        /** The text shown as "Candidate 1" in a vote prompt. */
        String candidate1() {
            return section(JudgeContract.CANDIDATE_1_HEADER);
        }

        String candidate2() {
            return section(JudgeContract.CANDIDATE_2_HEADER);
        }

        int seed() {
            return (Integer) sampling.get("seed");
        }

        private String section(String header) {
            int start = prompt.indexOf(header) + header.length() + 1;
            return prompt.substring(start, prompt.indexOf("\n\n### ", start));
        }
    }

    static final String VALID_ATTRIBUTES = "{\"task_category\": \"advice\", \"preference_objectivity\": \"subjective\", "
        + "\"controversiality\": \"low\", \"desired_attributes\": [\"helpfulness\", \"honesty\"], "
        + "\"guideline\": \"Prefer the helpful, honest answer.\"}";

    private final List<Call> calls = new ArrayList<>();
    private final BiFunction<Call, Integer, String> answers;

    /** @param answers the answer to a call, given the call and how many calls came before it */
    ScriptedJudge(BiFunction<Call, Integer, String> answers) {
        this.answers = answers;
    }

    /** Valid attributes; votes for the candidate whose text contains "GOOD", with a reason. */
    static ScriptedJudge prefersGood() {
        return new ScriptedJudge((call, n) -> call.isVote()
            ? vote(call.candidate1().contains("GOOD"), "It is the GOOD one.")
            : VALID_ATTRIBUTES);
    }

    static String vote(boolean first, String reason) {
        return "{\"preferred\": \"Candidate " + (first ? 1 : 2) + "\", \"confidence\": 0.8, \"reason\": \"" + reason + "\"}";
    }

    JudgeEndpoint endpoint(String model) {
        return new JudgeEndpoint(new ModelRef(model, "7"), this::generate);
    }

    private synchronized CompletableFuture<JudgeReply> generate(String prompt, Map<String, Object> sampling) {
        Call call = new Call(prompt, sampling);
        String answer = answers.apply(call, calls.size());
        calls.add(call);
        return CompletableFuture.completedFuture(JudgeReply.text(answer));
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }
}
