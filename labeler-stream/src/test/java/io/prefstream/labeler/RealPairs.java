package io.prefstream.labeler;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.prefstream.platform.testing.SharedData;
import io.prefstream.schemas.LabelSource;
import io.prefstream.schemas.Message;
import io.prefstream.schemas.ModelRef;
import io.prefstream.schemas.PrefRecords;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.Role;
import io.prefstream.schemas.ScoredPair;

/**
 * Scored pairs built from the shared real data sets (HH-RLHF pairs, AlpacaEval generations), each pair id
 * once (some AlpacaEval generators gave identical answers, which makes identical pairs).
 */
public final class RealPairs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TURN = Pattern.compile("\n\n(Human|Assistant): ");

    private RealPairs() {
    }

    /** Up to {@code limit} HH-RLHF harmless-base test pairs, human label as proposed label. */
    public static List<ScoredPair> hhRlhf(int limit) {
        Map<String, ScoredPair> pairs = new LinkedHashMap<>();
        for (JsonNode line : lines(SharedData.HH_RLHF)) {
            List<Message> chosen = turns(line.get("chosen").asText());
            List<Message> rejected = turns(line.get("rejected").asText());
            if (chosen.size() < 2 || chosen.size() != rejected.size()
                || chosen.get(chosen.size() - 1).getRole() != Role.assistant
                || !chosen.subList(0, chosen.size() - 1).equals(rejected.subList(0, rejected.size() - 1))) {
                continue;
            }
            String a = chosen.get(chosen.size() - 1).getContent();
            String b = rejected.get(rejected.size() - 1).getContent();
            if (a.isBlank() || b.isBlank() || a.equals(b)) {
                continue;
            }
            ScoredPair pair = scored(PrefRecords.pair(chosen.subList(0, chosen.size() - 1), a, null, b, null,
                LabelSource.HUMAN, "hh-rlhf/harmless-base/test", Instant.EPOCH, Map.of()));
            pairs.putIfAbsent(pair.getPair().getPairId(), pair);
            if (pairs.size() == limit) {
                break;
            }
        }
        return List.copyOf(pairs.values());
    }

    /** Up to {@code limit} pairs of AlpacaEval generations: every two generators' answers to one instruction. */
    public static List<ScoredPair> alpacaEval(int limit) {
        Map<String, List<JsonNode>> byInstruction = new LinkedHashMap<>();
        for (JsonNode line : lines(SharedData.ALPACA_EVAL)) {
            byInstruction.computeIfAbsent(line.get("instruction").asText(), k -> new ArrayList<>()).add(line);
        }
        Map<String, ScoredPair> pairs = new LinkedHashMap<>();
        for (var entry : byInstruction.entrySet()) {
            List<Message> prompt = List.of(new Message(Role.user, entry.getKey()));
            List<JsonNode> answers = entry.getValue();
            for (int i = 0; i < answers.size(); i++) {
                for (int j = i + 1; j < answers.size(); j++) {
                    String a = answers.get(i).get("output").asText();
                    String b = answers.get(j).get("output").asText();
                    if (a.isBlank() || b.isBlank() || a.equals(b)) {
                        continue;
                    }
                    ScoredPair pair = scored(PrefRecords.pair(prompt, a, answers.get(i).get("generator").asText(), b,
                        answers.get(j).get("generator").asText(), LabelSource.RM, "alpaca-eval", Instant.EPOCH, Map.of()));
                    pairs.putIfAbsent(pair.getPair().getPairId(), pair);
                    if (pairs.size() == limit) {
                        return List.copyOf(pairs.values());
                    }
                }
            }
        }
        return List.copyOf(pairs.values());
    }

    private static ScoredPair scored(PreferencePair pair) {
        return ScoredPair.newBuilder().setPair(pair).setRewards(List.of()).setPBest(0.6).setPGold(0.45)
            .setBestModel(new ModelRef("rm-best", "1")).setGoldModel(new ModelRef("rm-gold", "1"))
            .setScoredAt(Instant.EPOCH).build();
    }

    private static List<Message> turns(String dialogue) {
        List<Message> turns = new ArrayList<>();
        Matcher m = TURN.matcher(dialogue);
        int start = -1;
        Role role = null;
        while (m.find()) {
            if (role != null) {
                turns.add(new Message(role, dialogue.substring(start, m.start())));
            }
            role = m.group(1).equals("Human") ? Role.user : Role.assistant;
            start = m.end();
        }
        if (role != null) {
            turns.add(new Message(role, dialogue.substring(start)));
        }
        return turns;
    }

    private static List<JsonNode> lines(String file) {
        List<JsonNode> nodes = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(SharedData.file(file))), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    nodes.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return nodes;
    }
}
