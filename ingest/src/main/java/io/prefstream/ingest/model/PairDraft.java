package io.prefstream.ingest.model;

import java.util.List;

/**
 * A ready-made preference pair as read from a producer, before validation and ids: the prompt
 * conversation, the preferred and the dispreferred response, and who proposed that label
 * ({@code human}, {@code dataset}, {@code llm}, {@code rm}, {@code none}; null means {@code dataset}).
 */
public record PairDraft(List<Turn> prompt, String chosen, String rejected, String labelSource) {
    public PairDraft {
        prompt = prompt == null ? null : List.copyOf(prompt);
    }

    public PairDraft withLabelSource(String source) {
        return new PairDraft(prompt, chosen, rejected, source);
    }
}
