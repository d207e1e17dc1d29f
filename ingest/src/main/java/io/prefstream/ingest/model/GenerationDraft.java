package io.prefstream.ingest.model;

import java.util.List;

/**
 * A model generation as read from a producer, before validation and ids: the prompt conversation,
 * the response text and the model that wrote it.
 */
public record GenerationDraft(List<Turn> prompt, String response, String generator) {
    public GenerationDraft {
        prompt = prompt == null ? null : List.copyOf(prompt);
    }
}
