package io.prefstream.labeler.prompt;

import java.util.List;
import java.util.Locale;

import io.prefstream.schemas.Message;

/**
 * Renders a conversation the way {@link io.prefstream.inference.judge.JudgeContract} expects it: one
 * {@code Role: content} paragraph per turn ({@code User}, {@code Assistant}, {@code System}), separated
 * by blank lines.
 */
public final class Conversations {
    private Conversations() {
    }

    public static String render(List<Message> turns) {
        StringBuilder out = new StringBuilder();
        for (Message turn : turns) {
            if (!out.isEmpty()) {
                out.append("\n\n");
            }
            String role = turn.getRole().name();
            out.append(role.substring(0, 1).toUpperCase(Locale.ROOT)).append(role.substring(1)).append(": ")
                .append(turn.getContent().strip());
        }
        return out.toString();
    }
}
