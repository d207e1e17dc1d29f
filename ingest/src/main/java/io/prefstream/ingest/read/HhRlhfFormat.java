package io.prefstream.ingest.read;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.prefstream.ingest.model.PairDraft;
import io.prefstream.ingest.model.Turn;
import io.prefstream.ingest.validate.InvalidRecordException;
import io.prefstream.ingest.validate.Problems;

/**
 * Anthropic HH-RLHF: {@code {"chosen": "...", "rejected": "..."}}, each a whole dialogue written as
 * {@code "\n\nHuman: …\n\nAssistant: …"}. A turn starts at each {@code "\n\nHuman:"} or
 * {@code "\n\nAssistant:"} marker and its one following space (as TRL's HH-RLHF conversion splits
 * them); its text is everything up to the next marker, unchanged (not trimmed), so ids are computed
 * over the exact texts. The prompt is the dialogue before the last assistant turn, which both sides
 * must share; the two last assistant turns are the responses. The format carries no label source:
 * the ingest's default applies.
 *
 * <p>Pairs whose sides differ <em>before</em> the last assistant turn are rejected, with the reason
 * and the malformation found. In the harmless-base test split those are 5 of 2,312 lines, where a
 * turn lost its {@code "\n\n"} separator (an inline {@code "Human:"} inside an assistant turn) or
 * an assistant turn was split in two: the true turn boundaries, hence the shared prompt, cannot be
 * recovered without guessing, and a guessed prompt would give wrong ids and a wrong training pair.
 */
public final class HhRlhfFormat implements RecordFormat<PairDraft> {
    private static final Pattern TURN_MARKER = Pattern.compile("\n\n(Human|Assistant): ?");
    private static final String INLINE_HUMAN = "Human:";

    @Override
    public PairDraft parse(JsonNode object) throws InvalidRecordException {
        Problems problems = new Problems();
        JsonFields fields = new JsonFields(object, problems);
        String chosenText = fields.string("chosen");
        String rejectedText = fields.string("rejected");
        List<Turn> chosen = chosenText == null ? null : dialogue("chosen", chosenText, problems);
        List<Turn> rejected = rejectedText == null ? null : dialogue("rejected", rejectedText, problems);
        problems.throwIfAny();

        List<Turn> prompt = chosen.subList(0, chosen.size() - 1);
        List<Turn> rejectedPrompt = rejected.subList(0, rejected.size() - 1);
        if (!prompt.equals(rejectedPrompt)) {
            throw new InvalidRecordException("prompt", differenceReason(chosen, rejected));
        }
        return new PairDraft(prompt, last(chosen).content(), last(rejected).content(), null);
    }

    /** Splits a dialogue into turns; null after recording why it cannot be. */
    static List<Turn> dialogue(String field, String text, Problems problems) {
        Matcher marker = TURN_MARKER.matcher(text);
        List<Turn> turns = new ArrayList<>();
        String role = null;
        int start = 0;
        while (marker.find()) {
            if (role == null) {
                if (!text.substring(0, marker.start()).isBlank()) {
                    problems.add(field, "text before the first \"\\n\\nHuman:\" turn");
                    return null;
                }
            } else {
                turns.add(new Turn(role, text.substring(start, marker.start())));
            }
            role = marker.group(1).equals("Human") ? Turn.USER : Turn.ASSISTANT;
            start = marker.end();
        }
        if (role == null) {
            problems.add(field, "no \"\\n\\nHuman:\" or \"\\n\\nAssistant:\" turn markers");
            return null;
        }
        turns.add(new Turn(role, text.substring(start)));
        if (!Turn.ASSISTANT.equals(last(turns).role())) {
            problems.add(field, "the dialogue must end with an \"\\n\\nAssistant:\" turn");
            return null;
        }
        if (turns.size() < 2) {
            problems.add(field, "no \"\\n\\nHuman:\" turn before the assistant's");
            return null;
        }
        return turns;
    }

    private static String differenceReason(List<Turn> chosen, List<Turn> rejected) {
        int first = 0;
        while (first < chosen.size() && first < rejected.size() && chosen.get(first).equals(rejected.get(first))) {
            first++;
        }
        StringBuilder reason = new StringBuilder("chosen and rejected differ before their last assistant turn (first at turn ")
            .append(first + 1).append(": chosen has ").append(chosen.size()).append(" turns, rejected ")
            .append(rejected.size()).append(')');
        List<String> found = new ArrayList<>();
        malformation("chosen", chosen, first, found);
        malformation("rejected", rejected, first, found);
        if (!found.isEmpty()) {
            reason.append("; malformed source turns: ").append(String.join("; ", found));
        }
        return reason.append("; the shared prompt cannot be recovered without guessing").toString();
    }

    /** Records the turn-structure faults from {@code from} on that explain a diverging prompt. */
    private static void malformation(String side, List<Turn> turns, int from, List<String> found) {
        for (int i = Math.max(from, 1); i < turns.size(); i++) {
            Turn turn = turns.get(i);
            if (turn.role().equals(turns.get(i - 1).role())) {
                found.add(side + " turns " + i + " and " + (i + 1) + " are both " + turn.role() + " turns");
            }
        }
        for (int i = from; i < turns.size(); i++) {
            Turn turn = turns.get(i);
            if (Turn.ASSISTANT.equals(turn.role()) && turn.content().contains(INLINE_HUMAN)) {
                found.add(side + " turn " + (i + 1) + " (assistant) holds an inline \"Human:\" without its \"\\n\\n\" separator");
            }
        }
    }

    private static Turn last(List<Turn> turns) {
        return turns.get(turns.size() - 1);
    }
}
