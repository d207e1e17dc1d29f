package io.prefstream.schemas;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Builds generations and pairs with their ids computed by {@link PrefIds}, so every producer derives
 * ids the same way and never sets them by hand.
 */
public final class PrefRecords {
    private PrefRecords() {
    }

    /** A generation of {@code response} to {@code prompt}, with prompt_id and response_id filled in. */
    public static Generation generation(List<Message> prompt, String response, String generator, String source,
                                        Instant createdAt, Map<String, String> metadata) {
        String promptId = PrefIds.promptId(prompt);
        return Generation.newBuilder()
            .setPromptId(promptId)
            .setResponseId(PrefIds.responseId(promptId, response))
            .setPrompt(prompt)
            .setResponse(response)
            .setGenerator(generator)
            .setSource(source)
            .setCreatedAt(createdAt)
            .setMetadata(metadata)
            .build();
    }

    /**
     * The pair "{@code chosen} over {@code rejected}" (just "a" and "b" when {@code labelSource} is NONE), with
     * all ids filled in. Generators may be null when unknown.
     */
    public static PreferencePair pair(List<Message> prompt, String chosen, String chosenGenerator, String rejected,
                                      String rejectedGenerator, LabelSource labelSource, String source,
                                      Instant createdAt, Map<String, String> metadata) {
        String promptId = PrefIds.promptId(prompt);
        Response chosenResponse = new Response(PrefIds.responseId(promptId, chosen), chosen, chosenGenerator);
        Response rejectedResponse = new Response(PrefIds.responseId(promptId, rejected), rejected, rejectedGenerator);
        if (chosenResponse.getResponseId().equals(rejectedResponse.getResponseId())) {
            throw new IllegalArgumentException("chosen and rejected are the same response: no preference to learn");
        }
        return PreferencePair.newBuilder()
            .setPairId(PrefIds.pairId(promptId, chosenResponse.getResponseId(), rejectedResponse.getResponseId()))
            .setPromptId(promptId)
            .setPrompt(prompt)
            .setChosen(chosenResponse)
            .setRejected(rejectedResponse)
            .setLabelSource(labelSource)
            .setSource(source)
            .setCreatedAt(createdAt)
            .setMetadata(metadata)
            .build();
    }

    /**
     * The same pair with chosen and rejected swapped, a new pair_id and {@code labelSource} as the source of
     * the new label (for flipped pairs, and for unlabelled pairs the best RM orders).
     */
    public static PreferencePair swapped(PreferencePair pair, LabelSource labelSource) {
        return PreferencePair.newBuilder(pair)
            .setPairId(PrefIds.pairId(pair.getPromptId(), pair.getRejected().getResponseId(),
                pair.getChosen().getResponseId()))
            .setChosen(pair.getRejected())
            .setRejected(pair.getChosen())
            .setLabelSource(labelSource)
            .build();
    }
}
