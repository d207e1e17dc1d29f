package io.prefstream.ingest.validate;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import io.prefstream.ingest.model.GenerationDraft;
import io.prefstream.ingest.model.PairDraft;
import io.prefstream.ingest.model.Turn;

/**
 * The rules every record must pass before it is sent, whatever its source (file, HTTP, Java):
 * required fields present, known roles and label sources, no empty texts, texts encodable as UTF-8
 * (no unpaired surrogates), size limits, and chosen different from rejected. Every problem names
 * its field, e.g. {@code prompt[2].role: unknown role "bot" (known: system, user, assistant)}.
 */
public final class Validator {
    public static final Set<String> KNOWN_ROLES = Set.of(Turn.SYSTEM, Turn.USER, Turn.ASSISTANT);
    public static final List<String> KNOWN_LABEL_SOURCES = List.of("human", "dataset", "llm", "rm", "none");

    private final ValidationLimits limits;

    public Validator(ValidationLimits limits) {
        this.limits = limits;
    }

    public ValidationLimits limits() {
        return limits;
    }

    public void check(GenerationDraft generation) throws InvalidRecordException {
        Problems problems = new Problems();
        long bytes = checkPrompt(generation.prompt(), problems);
        bytes += checkText("response", generation.response(), problems);
        bytes += checkText("generator", generation.generator(), problems);
        checkRecordSize(bytes, problems);
        problems.throwIfAny();
    }

    public void check(PairDraft pair) throws InvalidRecordException {
        Problems problems = new Problems();
        long bytes = checkPrompt(pair.prompt(), problems);
        bytes += checkText("chosen", pair.chosen(), problems);
        bytes += checkText("rejected", pair.rejected(), problems);
        if (pair.chosen() != null && pair.chosen().equals(pair.rejected())) {
            problems.add("rejected", "identical to chosen");
        }
        if (pair.labelSource() != null && !KNOWN_LABEL_SOURCES.contains(pair.labelSource())) {
            problems.add("label_source", "unknown value \"" + pair.labelSource() + "\" (known: "
                + String.join(", ", KNOWN_LABEL_SOURCES) + ")");
        }
        checkRecordSize(bytes, problems);
        problems.throwIfAny();
    }

    private long checkPrompt(List<Turn> prompt, Problems problems) {
        if (prompt == null) {
            problems.add("prompt", "required");
            return 0;
        }
        if (prompt.isEmpty()) {
            problems.add("prompt", "no messages");
            return 0;
        }
        long bytes = 0;
        for (int i = 0; i < prompt.size(); i++) {
            Turn turn = prompt.get(i);
            String field = "prompt[" + i + "]";
            if (turn == null) {
                problems.add(field, "required");
                continue;
            }
            if (turn.role() == null) {
                problems.add(field + ".role", "required");
            } else if (!KNOWN_ROLES.contains(turn.role())) {
                problems.add(field + ".role", "unknown role \"" + turn.role() + "\" (known: system, user, assistant)");
            }
            bytes += checkText(field + ".content", turn.content(), problems);
        }
        return bytes;
    }

    /** Checks one text and returns its size in UTF-8 bytes (0 when absent or not encodable). */
    private long checkText(String field, String text, Problems problems) {
        if (text == null) {
            problems.add(field, "required");
            return 0;
        }
        if (text.isBlank()) {
            problems.add(field, "empty text");
            return 0;
        }
        int bad = firstUnpairedSurrogate(text);
        if (bad >= 0) {
            problems.add(field, "not valid UTF-8: unpaired surrogate U+" + Integer.toHexString(text.charAt(bad)).toUpperCase()
                + " at character " + bad);
            return 0;
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxTextBytes()) {
            problems.add(Problem.tooLarge(field, bytes + " bytes exceeds the limit of " + limits.maxTextBytes() + " bytes per text"));
        }
        return bytes;
    }

    private void checkRecordSize(long bytes, Problems problems) {
        if (bytes > limits.maxRecordBytes()) {
            problems.add(Problem.tooLarge("record", bytes + " bytes of text exceeds the limit of "
                + limits.maxRecordBytes() + " bytes per record"));
        }
    }

    /** Index of the first lone surrogate char (which UTF-8 cannot encode), or -1. */
    static int firstUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
