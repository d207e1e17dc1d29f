package io.prefstream.ingest.model;

/** One message of a conversation: a role ({@code system}, {@code user}, {@code assistant}) and its text. */
public record Turn(String role, String content) {
    public static final String SYSTEM = "system";
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    public static Turn user(String content) {
        return new Turn(USER, content);
    }

    public static Turn assistant(String content) {
        return new Turn(ASSISTANT, content);
    }
}
