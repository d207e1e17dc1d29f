package io.prefstream.inference.reward;

import io.prefstream.inference.client.InferenceConfig;

/**
 * Renders a conversation as the text a reward model is trained on: {@code prefix}, then every turn
 * through {@code turn} ({role} and {content} replaced), then {@code suffix}. The default is
 * Llama 3's format used by Skywork-Reward-V2-Llama, with BOS in the prefix; the Triton model
 * therefore tokenizes without adding special tokens, so BOS appears once.
 */
public record ChatTemplate(String prefix, String turn, String suffix) {
    public ChatTemplate {
        if (!turn.contains("{content}")) {
            throw new IllegalArgumentException("chat template turn '" + turn + "' has no {content} placeholder");
        }
    }

    public static ChatTemplate from(InferenceConfig config) {
        return new ChatTemplate(config.template(InferenceConfig.TEMPLATE_PREFIX),
            config.template(InferenceConfig.TEMPLATE_TURN), config.template(InferenceConfig.TEMPLATE_SUFFIX));
    }

    public String render(Conversation conversation) {
        StringBuilder text = new StringBuilder(prefix);
        for (Conversation.Turn t : conversation.turns()) {
            // Replace {content} last so braces inside user text are never taken for placeholders.
            text.append(turn.replace("{role}", t.role()).replace("{content}", t.content()));
        }
        return text.append(suffix).toString();
    }
}
