package io.prefstream.ingest.read;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.prefstream.ingest.model.PairDraft;
import io.prefstream.ingest.model.Turn;
import io.prefstream.ingest.validate.InvalidRecordException;
import io.prefstream.ingest.validate.Problems;

/**
 * TRL's preference format, one JSON object per line, in its four shapes:
 * <ul>
 * <li>explicit prompt, standard: {@code prompt}, {@code chosen}, {@code rejected} as strings (the
 *     prompt is one user message);</li>
 * <li>explicit prompt, conversational: {@code prompt} a list of {role, content} messages, and
 *     {@code chosen}/{@code rejected} each a list of exactly one assistant message (or a string);</li>
 * <li>implicit prompt, conversational: no {@code prompt}; {@code chosen} and {@code rejected} are
 *     whole conversations that must be identical up to their last message, which must be the
 *     assistant's;</li>
 * <li>implicit prompt with strings is refused: without turn markers the shared prompt cannot be
 *     found (use {@code --format hh-rlhf} for Anthropic's dialogue strings).</li>
 * </ul>
 * An optional {@code label_source} (human, dataset, llm, rm, none) overrides the default. Other
 * fields are ignored.
 */
public final class TrlFormat implements RecordFormat<PairDraft> {
    /** The fields every record has (prompt may be implicit); a Parquet file without these columns is refused whole. */
    public static final List<String> REQUIRED_FIELDS = List.of("chosen", "rejected");

    @Override
    public PairDraft parse(JsonNode object) throws InvalidRecordException {
        Problems problems = new Problems();
        JsonFields fields = new JsonFields(object, problems);
        String labelSource = fields.optionalString("label_source");
        if (!fields.has("chosen") || !fields.has("rejected")) {
            if (!fields.has("chosen")) {
                problems.add("chosen", "required");
            }
            if (!fields.has("rejected")) {
                problems.add("rejected", "required");
            }
            problems.throwIfAny();
        }
        PairDraft pair = fields.has("prompt")
            ? explicitPrompt(fields, problems, labelSource)
            : implicitPrompt(fields, problems, labelSource);
        problems.throwIfAny();
        return pair;
    }

    private static PairDraft explicitPrompt(JsonFields fields, Problems problems, String labelSource) {
        List<Turn> prompt = fields.conversation("prompt");
        String chosen = response(fields, problems, "chosen");
        String rejected = response(fields, problems, "rejected");
        return new PairDraft(prompt, chosen, rejected, labelSource);
    }

    /** A response after an explicit prompt: a string, or a list holding one assistant message. */
    private static String response(JsonFields fields, Problems problems, String field) {
        JsonNode value = fields.get(field);
        if (value.isTextual()) {
            return value.textValue();
        }
        if (!value.isArray()) {
            problems.add(field, "expected a string or a list of messages, got " + JsonFields.typeOf(value));
            return null;
        }
        List<Turn> messages = fields.messages(field, value);
        if (messages == null) {
            return null;
        }
        if (messages.size() != 1) {
            problems.add(field, "expected one assistant message after an explicit prompt, got " + messages.size() + " messages");
            return null;
        }
        return assistantText(field + "[0]", messages.get(0), problems);
    }

    private static PairDraft implicitPrompt(JsonFields fields, Problems problems, String labelSource) {
        JsonNode chosenNode = fields.get("chosen");
        JsonNode rejectedNode = fields.get("rejected");
        if (!chosenNode.isArray() || !rejectedNode.isArray()) {
            problems.add("prompt", "required when chosen and rejected are not both lists of messages");
            return null;
        }
        List<Turn> chosen = fields.messages("chosen", chosenNode);
        List<Turn> rejected = fields.messages("rejected", rejectedNode);
        if (chosen == null || rejected == null) {
            return null;
        }
        if (chosen.size() < 2 || rejected.size() < 2) {
            String short_ = chosen.size() < 2 ? "chosen" : "rejected";
            problems.add(short_, "needs at least a prompt message and an assistant reply when no prompt is given");
            return null;
        }
        List<Turn> prompt = chosen.subList(0, chosen.size() - 1);
        if (!prompt.equals(rejected.subList(0, rejected.size() - 1))) {
            problems.add("prompt", "chosen and rejected differ before their last message, so they share no prompt");
            return null;
        }
        String chosenText = assistantText("chosen[" + (chosen.size() - 1) + "]", chosen.get(chosen.size() - 1), problems);
        String rejectedText = assistantText("rejected[" + (rejected.size() - 1) + "]", rejected.get(rejected.size() - 1), problems);
        return new PairDraft(prompt, chosenText, rejectedText, labelSource);
    }

    private static String assistantText(String path, Turn message, Problems problems) {
        if (!Turn.ASSISTANT.equals(message.role())) {
            problems.add(path + ".role", "a response must be an assistant message, got \"" + message.role() + "\"");
            return null;
        }
        return message.content();
    }
}
