package io.prefstream.ingest.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.prefstream.ingest.model.GenerationDraft;
import io.prefstream.ingest.model.PairDraft;
import io.prefstream.ingest.model.Turn;
import io.prefstream.ingest.validate.InvalidRecordException;
import org.junit.jupiter.api.Test;

/** Every shape each format accepts, and the reasons for the ones it refuses. */
class FormatsTest {
    private static final TrlFormat TRL = new TrlFormat();
    private static final GenerationsFormat GENERATIONS = new GenerationsFormat();
    private static final HhRlhfFormat HH = new HhRlhfFormat();

    private static <T> T parse(RecordFormat<T> format, String json) throws InvalidRecordException {
        return format.parse(JsonRecords.object(json));
    }

    private static String refusal(RecordFormat<?> format, String json) {
        try {
            parse(format, json);
        } catch (InvalidRecordException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void trlExplicitPromptAsStrings() throws Exception {
        assertThat(parse(TRL, "{\"prompt\":\"2+2?\",\"chosen\":\"4\",\"rejected\":\"5\"}"))
            .isEqualTo(new PairDraft(List.of(Turn.user("2+2?")), "4", "5", null));
    }

    @Test
    void trlExplicitPromptAsMessages() throws Exception {
        String json = "{\"prompt\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"2+2?\"}],"
            + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"4\"}],\"rejected\":[{\"role\":\"assistant\",\"content\":\"5\"}],"
            + "\"label_source\":\"llm\",\"score\":0.3}";
        assertThat(parse(TRL, json)).isEqualTo(
            new PairDraft(List.of(new Turn("system", "be brief"), Turn.user("2+2?")), "4", "5", "llm"));
    }

    @Test
    void trlImplicitPromptAsMessages() throws Exception {
        String json = "{\"chosen\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello\"}],"
            + "\"rejected\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"go away\"}]}";
        assertThat(parse(TRL, json)).isEqualTo(new PairDraft(List.of(Turn.user("hi")), "hello", "go away", null));
    }

    @Test
    void trlRefusals() {
        assertThat(refusal(TRL, "{\"chosen\":\"a\",\"rejected\":\"b\"}"))
            .isEqualTo("prompt: required when chosen and rejected are not both lists of messages");
        assertThat(refusal(TRL, "{\"prompt\":\"p\",\"chosen\":\"a\"}")).isEqualTo("rejected: required");
        assertThat(refusal(TRL, "{\"prompt\":\"p\",\"chosen\":7,\"rejected\":\"b\"}"))
            .isEqualTo("chosen: expected a string or a list of messages, got number");
        assertThat(refusal(TRL, "{\"prompt\":[{\"role\":\"user\"}],\"chosen\":\"a\",\"rejected\":\"b\"}"))
            .isEqualTo("prompt[0].content: required");
        assertThat(refusal(TRL, "{\"prompt\":\"p\",\"chosen\":[{\"role\":\"user\",\"content\":\"a\"}],\"rejected\":\"b\"}"))
            .isEqualTo("chosen[0].role: a response must be an assistant message, got \"user\"");
        assertThat(refusal(TRL, "{\"chosen\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"a\"}],"
            + "\"rejected\":[{\"role\":\"user\",\"content\":\"y\"},{\"role\":\"assistant\",\"content\":\"b\"}]}"))
            .isEqualTo("prompt: chosen and rejected differ before their last message, so they share no prompt");
    }

    @Test
    void generationsAcceptEitherAliasAndIgnoreOtherFields() throws Exception {
        GenerationDraft expected = new GenerationDraft(List.of(Turn.user("q")), "a", "m");
        assertThat(parse(GENERATIONS, "{\"instruction\":\"q\",\"output\":\"a\",\"generator\":\"m\",\"dataset\":\"x\"}"))
            .isEqualTo(expected);
        assertThat(parse(GENERATIONS, "{\"prompt\":[{\"role\":\"user\",\"content\":\"q\"}],\"response\":\"a\",\"model\":\"m\"}"))
            .isEqualTo(expected);
    }

    @Test
    void generationsRefusals() {
        assertThat(refusal(GENERATIONS, "{\"output\":\"a\",\"generator\":\"m\"}")).isEqualTo("instruction|prompt: required");
        assertThat(refusal(GENERATIONS, "{\"instruction\":\"q\",\"prompt\":\"q\",\"output\":\"a\",\"generator\":\"m\"}"))
            .isEqualTo("instruction: give only one of instruction, prompt");
        assertThat(refusal(GENERATIONS, "{\"instruction\":\"q\",\"output\":[1],\"generator\":null}"))
            .isEqualTo("generator|model: required; output: expected a string, got array");
    }

    @Test
    void hhRlhfRefusals() {
        assertThat(refusal(HH, "{\"chosen\":\"hello\",\"rejected\":\"\\n\\nHuman: a\\n\\nAssistant: b\"}"))
            .isEqualTo("chosen: no \"\\n\\nHuman:\" or \"\\n\\nAssistant:\" turn markers");
        assertThat(refusal(HH, "{\"chosen\":\"\\n\\nHuman: a\",\"rejected\":\"\\n\\nHuman: a\\n\\nAssistant: b\"}"))
            .isEqualTo("chosen: the dialogue must end with an \"\\n\\nAssistant:\" turn");
        assertThat(refusal(HH, "{\"chosen\":\"\\n\\nHuman: a\\n\\nAssistant: b\"}")).isEqualTo("rejected: required");
    }

    @Test
    void jsonRefusals() {
        assertThat(refusal(TRL, "[1]")).isEqualTo("record: expected a JSON object, got array");
        assertThat(refusal(TRL, "{\"prompt\":\"a\",\"prompt\":\"b\"}")).startsWith("record: malformed JSON at column").contains("Duplicate field 'prompt'");
        assertThat(refusal(TRL, "{\"prompt\":\"a\"} {}")).startsWith("record: malformed JSON at column");
        assertThat(refusal(TRL, "{\"prompt\":")).startsWith("record: malformed JSON at column");
        assertThatThrownBy(() -> JsonRecords.object("")).isInstanceOf(InvalidRecordException.class).hasMessage("record: no JSON value");
    }
}
