package io.prefstream.app.campaign;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefstream.ingest.model.GenerationDraft;
import io.prefstream.ingest.model.Turn;

/**
 * As many pairs as a campaign asks for, from a generations file (AlpacaEval: 805 instructions × 6
 * models, about 12,000 pairs): its prompts in file order, then again with a numbered variant line
 * appended to every instruction, and so on. A variant is a different prompt (a different prompt_id),
 * so its responses make pairs of their own, and the whole input stays deterministic.
 */
final class VariantGenerations {
    /** One prompt's generations and the pairs they make (n(n−1)/2 over its distinct answers). */
    record Prompt(List<GenerationDraft> generations, int pairs) {}

    private VariantGenerations() {
    }

    /** The first prompts, variants included, that together make at least {@code minPairs} pairs. */
    static List<Prompt> atLeast(Path file, long minPairs) {
        Map<String, Map<String, String>> answers = read(file);
        List<Prompt> prompts = new ArrayList<>();
        long pairs = 0;
        for (int variant = 0; pairs < minPairs; variant++) {
            for (Map.Entry<String, Map<String, String>> entry : answers.entrySet()) {
                if (pairs >= minPairs) {
                    break;
                }
                String instruction = variant == 0 ? entry.getKey()
                    : entry.getKey() + "\n\n(Variant " + variant + " of this request.)";
                List<GenerationDraft> generations = new ArrayList<>();
                entry.getValue().forEach((answer, generator) -> generations.add(
                    new GenerationDraft(List.of(new Turn("user", instruction)), answer, generator)));
                int n = generations.size();
                prompts.add(new Prompt(generations, n * (n - 1) / 2));
                pairs += n * (n - 1) / 2;
            }
        }
        return prompts;
    }

    /** Instruction → distinct answer text → the first generator that wrote it, in file order. */
    private static Map<String, Map<String, String>> read(Path file) {
        ObjectMapper json = new ObjectMapper();
        Map<String, Map<String, String>> answers = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                file.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file), 1 << 16)
                    : Files.newInputStream(file), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = json.readTree(line);
                String instruction = text(node, "instruction", file);
                String output = text(node, "output", file);
                if (output.isBlank()) {
                    continue; // ingest rejects empty responses: they make no pair
                }
                answers.computeIfAbsent(instruction, i -> new LinkedHashMap<>())
                    .putIfAbsent(output, node.path("generator").asText("unknown"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the generations " + file, e);
        }
        Set<String> lone = new LinkedHashSet<>();
        answers.forEach((instruction, texts) -> {
            if (texts.size() < 2) {
                lone.add(instruction);
            }
        });
        lone.forEach(answers::remove);
        if (answers.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no prompt with two distinct answers: no pairs to make");
        }
        return answers;
    }

    private static String text(JsonNode node, String field, Path file) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(file + ": a line without a text \"" + field + "\": not generations "
                + "({\"instruction\", \"output\", \"generator\"} per line)");
        }
        return value.asText();
    }
}
