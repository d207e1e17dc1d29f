package io.prefstream.ingest.pairing;

import java.util.ArrayList;
import java.util.List;

/**
 * What the pairing stage remembers of one prompt: its conversation, its distinct responses in
 * arrival order, whether it has been released (K responses reached, or the gap passed) and how many
 * pairs it has emitted. Kept in a changelogged store, as JSON.
 *
 * @param prompt        the conversation, as role/content turns
 * @param source        the source of the first generation seen
 * @param responses     distinct responses (by response_id), in arrival order
 * @param released      true once pairs have been emitted; later responses pair at once
 * @param pairsEmitted  pairs emitted so far (bounded by the per-prompt cap)
 * @param duplicates    generations dropped because their response_id was already seen
 * @param lastArrivalMs wall-clock time of the last new response
 */
record PromptState(List<Turn> prompt, String source, List<Seen> responses, boolean released, int pairsEmitted,
                   long duplicates, long lastArrivalMs) {

    /** One turn of the prompt. */
    record Turn(String role, String content) {}

    /** One distinct response. */
    record Seen(String responseId, String text, String generator) {}

    PromptState {
        responses = List.copyOf(responses);
        prompt = List.copyOf(prompt);
    }

    boolean hasResponse(String responseId) {
        return responses.stream().anyMatch(r -> r.responseId().equals(responseId));
    }

    PromptState withResponse(Seen response, long nowMs) {
        List<Seen> more = new ArrayList<>(responses);
        more.add(response);
        return new PromptState(prompt, source, more, released, pairsEmitted, duplicates, nowMs);
    }

    PromptState withDuplicate() {
        return new PromptState(prompt, source, responses, released, pairsEmitted, duplicates + 1, lastArrivalMs);
    }

    PromptState releasedWith(int emitted) {
        return new PromptState(prompt, source, responses, true, pairsEmitted + emitted, duplicates, lastArrivalMs);
    }
}
