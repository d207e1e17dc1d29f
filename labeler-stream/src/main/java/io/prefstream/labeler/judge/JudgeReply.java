package io.prefstream.labeler.judge;

/**
 * What a judge generated, with its token counts when the server reports them.
 *
 * @param text             the completion (the prompt excluded)
 * @param promptTokens     tokens of the prompt, or null when not reported
 * @param completionTokens tokens generated, or null when not reported
 */
public record JudgeReply(String text, Long promptTokens, Long completionTokens) {
    /** A reply without token counts. */
    public static JudgeReply text(String text) {
        return new JudgeReply(text, null, null);
    }
}
