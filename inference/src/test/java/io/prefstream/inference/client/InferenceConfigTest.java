package io.prefstream.inference.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import io.prefstream.inference.reward.ChatTemplate;
import io.prefstream.inference.reward.Conversation;
import io.prefstream.platform.config.PrefStreamConfig;

class InferenceConfigTest {
    @Test
    void everyKeyIsDocumentedForHelp() {
        String help = PrefStreamConfig.describe(InferenceConfig.definition());
        assertThat(help).contains(InferenceConfig.BATCH_MAX_SIZE, InferenceConfig.BATCH_LINGER_MS, InferenceConfig.MAX_IN_FLIGHT,
            InferenceConfig.RETRIES, InferenceConfig.CIRCUIT_FAILURE_THRESHOLD, InferenceConfig.TLS_ENABLED,
            InferenceConfig.HEADERS, InferenceConfig.REWARD_BEST_MODEL, InferenceConfig.JUDGE_MODEL,
            InferenceConfig.TEMPLATE_TURN, "inference.endpoints");
    }

    @Test
    void headersAndTemplatesAreParsedAndBadValuesNamed() {
        InferenceConfig config = new InferenceConfig(Map.of(InferenceConfig.HEADERS, "Authorization=Bearer t0k=n, x-team=rlhf"));
        assertThat(config.headers()).containsEntry("authorization", "Bearer t0k=n").containsEntry("x-team", "rlhf");
        assertThat(ChatTemplate.from(config).render(Conversation.of("Hi", "Hello!"))).isEqualTo(
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>");
        assertThatThrownBy(() -> new InferenceConfig(Map.of(InferenceConfig.HEADERS, "=x")))
            .isInstanceOf(ConfigException.class).hasMessageContaining(InferenceConfig.HEADERS);
        assertThatThrownBy(() -> new InferenceConfig(Map.of(InferenceConfig.RETRY_BACKOFF_MS, "500",
            InferenceConfig.RETRY_BACKOFF_MAX_MS, "100"))).hasMessageContaining("must be at least");
    }
}
