package io.prefstream.ingest.read;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.prefstream.ingest.model.GenerationDraft;
import io.prefstream.ingest.model.Turn;
import io.prefstream.ingest.validate.InvalidRecordException;
import io.prefstream.ingest.validate.Problems;

/**
 * Model generations, one JSON object per line, in the AlpacaEval style and its common aliases:
 * {@code instruction} or {@code prompt} (a string, read as one user message, or a list of
 * {role, content} messages), {@code output} or {@code response} (a string), and {@code generator}
 * or {@code model} (a string). Other fields, such as AlpacaEval's {@code dataset}, are ignored.
 */
public final class GenerationsFormat implements RecordFormat<GenerationDraft> {
    @Override
    public GenerationDraft parse(JsonNode object) throws InvalidRecordException {
        Problems problems = new Problems();
        JsonFields fields = new JsonFields(object, problems);
        String promptField = fields.oneOf("instruction", "prompt");
        String responseField = fields.oneOf("output", "response");
        String generatorField = fields.oneOf("generator", "model");
        List<Turn> prompt = promptField == null ? null : fields.conversation(promptField);
        String response = responseField == null ? null : fields.string(responseField);
        String generator = generatorField == null ? null : fields.string(generatorField);
        problems.throwIfAny();
        return new GenerationDraft(prompt, response, generator);
    }
}
