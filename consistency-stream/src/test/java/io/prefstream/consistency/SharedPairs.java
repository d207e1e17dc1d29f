package io.prefstream.consistency;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.prefstream.inference.reward.Conversation;
import io.prefstream.platform.testing.SharedData;
import io.prefstream.schemas.LabelSource;
import io.prefstream.schemas.Message;
import io.prefstream.schemas.PrefIds;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.Response;
import io.prefstream.schemas.Role;

/**
 * The shared real data as the pairs the upstream stages would write to pairs.raw (one per pair_id):
 * HH-RLHF pairs with their human label, and AlpacaEval generations paired within each prompt without
 * a label, as the pairing stage does.
 */
final class SharedPairs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private SharedPairs() {
    }

    /** HH-RLHF harmless-base test: chosen and rejected share the dialogue and differ in the last assistant turn. */
    static List<PreferencePair> hhRlhf() {
        Map<String, PreferencePair> pairs = new LinkedHashMap<>();
        lines(SharedData.HH_RLHF, row -> {
            Conversation chosen = Conversation.fromHhTranscript(row.get("chosen").asText());
            Conversation rejected = Conversation.fromHhTranscript(row.get("rejected").asText());
            List<Message> prompt = prompt(chosen);
            if (!prompt.equals(prompt(rejected))) {
                return;
            }
            PreferencePair pair = pair(prompt, last(chosen), last(rejected), LabelSource.HUMAN, "hh-rlhf/harmless-base/test");
            pairs.putIfAbsent(pair.getPairId(), pair);
        });
        return new ArrayList<>(pairs.values());
    }

    /** Every pair of distinct responses to each AlpacaEval instruction, unlabelled. */
    static List<PreferencePair> alpacaEvalAllPairs() {
        Map<String, List<String>> responsesByInstruction = new LinkedHashMap<>();
        lines(SharedData.ALPACA_EVAL, row -> {
            List<String> responses = responsesByInstruction.computeIfAbsent(row.get("instruction").asText(),
                i -> new ArrayList<>());
            String output = row.get("output").asText();
            if (!responses.contains(output)) {
                responses.add(output);
            }
        });
        List<PreferencePair> pairs = new ArrayList<>();
        responsesByInstruction.forEach((instruction, responses) -> {
            List<Message> prompt = List.of(new Message(Role.user, instruction));
            for (int i = 0; i < responses.size(); i++) {
                for (int j = i + 1; j < responses.size(); j++) {
                    pairs.add(pair(prompt, responses.get(i), responses.get(j), LabelSource.NONE, "alpaca-eval"));
                }
            }
        });
        return pairs;
    }

    /** Distinct response ids among {@code pairs}. */
    static long distinctResponses(List<PreferencePair> pairs) {
        return pairs.stream().flatMap(p -> Stream.of(p.getChosen().getResponseId(),
            p.getRejected().getResponseId())).distinct().count();
    }

    private static PreferencePair pair(List<Message> prompt, String chosen, String rejected, LabelSource label,
                                       String source) {
        String promptId = PrefIds.promptId(prompt);
        Response c = new Response(PrefIds.responseId(promptId, chosen), chosen, null);
        Response r = new Response(PrefIds.responseId(promptId, rejected), rejected, null);
        return PreferencePair.newBuilder()
            .setPairId(PrefIds.pairId(promptId, c.getResponseId(), r.getResponseId()))
            .setPromptId(promptId).setPrompt(prompt).setChosen(c).setRejected(r).setLabelSource(label)
            .setSource(source).setCreatedAt(CREATED).setMetadata(Map.of()).build();
    }

    private static List<Message> prompt(Conversation conversation) {
        List<Conversation.Turn> turns = conversation.turns();
        List<Message> prompt = new ArrayList<>();
        for (Conversation.Turn turn : turns.subList(0, turns.size() - 1)) {
            prompt.add(new Message(Role.valueOf(turn.role()), turn.content()));
        }
        return prompt;
    }

    private static String last(Conversation conversation) {
        return conversation.turns().get(conversation.turns().size() - 1).content();
    }

    private static void lines(String file, Consumer<JsonNode> row) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(SharedData.file(file))), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                row.accept(JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
