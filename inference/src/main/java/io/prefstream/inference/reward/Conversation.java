package io.prefstream.inference.reward;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A chat: ordered turns, normally ending with the assistant response to be scored. */
public record Conversation(List<Turn> turns) {

    public record Turn(String role, String content) {
        public Turn {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(content, "content");
        }
    }

    public Conversation {
        if (turns == null || turns.isEmpty()) {
            throw new IllegalArgumentException("a conversation needs at least one turn");
        }
        turns = List.copyOf(turns);
    }

    public static Conversation of(String prompt, String response) {
        return new Conversation(List.of(new Turn("user", prompt), new Turn("assistant", response)));
    }

    /**
     * Parses Anthropic HH-RLHF transcripts ({@code "\n\nHuman: ...\n\nAssistant: ..."}) into turns.
     *
     * @throws IllegalArgumentException when the text has no Human/Assistant turn
     */
    public static Conversation fromHhTranscript(String transcript) {
        List<Turn> turns = new ArrayList<>();
        String[] parts = transcript.split("\n\n(?=(Human|Assistant): )");
        for (String part : parts) {
            if (part.startsWith("Human: ")) {
                turns.add(new Turn("user", part.substring("Human: ".length()).strip()));
            } else if (part.startsWith("Assistant: ")) {
                turns.add(new Turn("assistant", part.substring("Assistant: ".length()).strip()));
            } else if (!part.isBlank() && !turns.isEmpty()) {
                Turn last = turns.remove(turns.size() - 1);
                turns.add(new Turn(last.role(), last.content() + "\n\n" + part.strip()));
            }
        }
        if (turns.isEmpty()) {
            throw new IllegalArgumentException("no 'Human:' or 'Assistant:' turn in transcript");
        }
        return new Conversation(turns);
    }
}
