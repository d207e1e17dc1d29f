package io.prefstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The expected ids were computed outside Java, with coreutils in a shell, e.g.
 * {@code printf '%s' '[{"role":"user","content":"Hello"}]' | sha256sum} and
 * {@code printf '%s\0%s' "$PROMPT_ID" 'Hi there!' | sha256sum}.
 */
class PrefIdsTest {
    private static final List<Message> HELLO = List.of(new Message(Role.user, "Hello"));
    private static final String HELLO_PROMPT_ID = "79b3a8c372541f14480e9a4c440862c4c5acd309672f21e34a73ae267a3aeaaa";
    private static final String HI_THERE_ID = "636cb1faad8ad49db812ebc49840126c5acead69ea4817e67192339a2440957d";
    private static final String GO_AWAY_ID = "76b09db2fa455938b6eb4689fe64139efe5484d27c2ad96428ddea3be910caf6";

    @Test
    void promptIdIsSha256OfCanonicalJson() {
        assertThat(PrefIds.canonicalJson(HELLO)).isEqualTo("[{\"role\":\"user\",\"content\":\"Hello\"}]");
        assertThat(PrefIds.promptId(HELLO)).isEqualTo(HELLO_PROMPT_ID);
    }

    @Test
    void canonicalJsonEscapesOnlyWhatJsonRequires() {
        // printf '%s' '[{"role":"system","content":"Be brief."},{"role":"user","content":"Line 1\nSay \"hi\" \\ caf'
        //   then the UTF-8 bytes c3 a9, then ' \u0001\tend"},{"role":"assistant","content":""}]', piped to sha256sum
        List<Message> conversation = List.of(
            new Message(Role.system, "Be brief."),
            new Message(Role.user, "Line 1\nSay \"hi\" \\ café \u0001\tend"),
            new Message(Role.assistant, ""));
        assertThat(PrefIds.canonicalJson(conversation)).isEqualTo(
            "[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Line 1\\nSay \\\"hi\\\" \\\\ café \\u0001\\tend\"},"
                + "{\"role\":\"assistant\",\"content\":\"\"}]");
        String promptId = PrefIds.promptId(conversation);
        assertThat(promptId).isEqualTo("68bfc40aacd20d06a6661c0efacdbaafb788e4391e5a7d32798cb2c6ca3f2355");
        // printf '%s\0' "$P2"; printf 'caf\xc3\xa9\n' | sha256sum
        assertThat(PrefIds.responseId(promptId, "café\n"))
            .isEqualTo("9389f3fef318218f37bebee119ff751ba28f520c630be7188b6177f05f14ec47");
    }

    @Test
    void responseIdHashesPromptIdZeroByteAndText() {
        assertThat(PrefIds.responseId(HELLO_PROMPT_ID, "Hi there!")).isEqualTo(HI_THERE_ID);
        assertThat(PrefIds.responseId(HELLO_PROMPT_ID, "Go away.")).isEqualTo(GO_AWAY_ID);
    }

    @Test
    void pairIdHashesPromptAndBothResponseIdsInOrder() {
        // printf '%s\0%s\0%s' "$P1" "$R1" "$R2" | sha256sum
        assertThat(PrefIds.pairId(HELLO_PROMPT_ID, HI_THERE_ID, GO_AWAY_ID))
            .isEqualTo("25af21441f51f6c260511fc0a24e6225ac9a607d4e5eaabd1bfd68989028cc80");
        assertThat(PrefIds.pairId(HELLO_PROMPT_ID, GO_AWAY_ID, HI_THERE_ID))
            .as("a flipped pair is a different pair")
            .isNotEqualTo(PrefIds.pairId(HELLO_PROMPT_ID, HI_THERE_ID, GO_AWAY_ID));
    }

    @Test
    void turnOrderAndRoleChangeThePromptId() {
        assertThat(PrefIds.promptId(List.of(new Message(Role.system, "Hello"))))
            .isNotEqualTo(HELLO_PROMPT_ID);
        assertThat(PrefIds.promptId(List.of(new Message(Role.user, "Hello "))))
            .as("content is not trimmed").isNotEqualTo(HELLO_PROMPT_ID);
    }

    @Test
    void malformedInputIsRejectedWithTheReason() {
        assertThatThrownBy(() -> PrefIds.responseId("ABC", "x"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prompt_id must be 64 lowercase hex");
        assertThatThrownBy(() -> PrefIds.responseId(HELLO_PROMPT_ID.toUpperCase(), "x"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrefIds.pairId(HELLO_PROMPT_ID, HI_THERE_ID, "nope"))
            .hasMessageContaining("rejected response_id");
        assertThatThrownBy(() -> PrefIds.promptId(List.of(new Message(Role.user, null))))
            .hasMessageContaining("turn 0");
        assertThat(PrefIds.isId(HELLO_PROMPT_ID)).isTrue();
        assertThat(PrefIds.isId(HELLO_PROMPT_ID.substring(1))).isFalse();
    }
}
