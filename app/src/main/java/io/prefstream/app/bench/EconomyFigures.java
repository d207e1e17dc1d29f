package io.prefstream.app.bench;

import java.util.Locale;

/**
 * The economy ratios, computed from counts only: RM items the server inferred per distinct response
 * per model, the share of pairs curated by RM consensus (no LLM call), and judge prompts the server
 * ran per pair sent to adjudication.
 */
record EconomyFigures(long distinctResponses, long bestItems, long goldItems, long pairs, long decidedWithoutLlm,
                      long adjudicated, long judgeItems) {

    double rmCallsPerResponse() {
        return (double) (bestItems + goldItems) / (2.0 * distinctResponses);
    }

    double bestCallsPerResponse() {
        return (double) bestItems / distinctResponses;
    }

    double goldCallsPerResponse() {
        return (double) goldItems / distinctResponses;
    }

    double noLlmShare() {
        return (double) decidedWithoutLlm / pairs;
    }

    double judgeCallsPerAdjudicated() {
        return adjudicated == 0 ? 0 : (double) judgeItems / adjudicated;
    }

    /** The last line: {@code economy rm_calls_per_response=1.00 no_llm_share=0.06 judge_calls_per_adjudicated=4.00}. */
    String line() {
        return String.format(Locale.ROOT, "economy rm_calls_per_response=%.2f no_llm_share=%.2f judge_calls_per_adjudicated=%.2f",
            rmCallsPerResponse(), noLlmShare(), judgeCallsPerAdjudicated());
    }
}
