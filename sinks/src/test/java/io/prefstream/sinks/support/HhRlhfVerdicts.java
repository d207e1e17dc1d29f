package io.prefstream.sinks.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.prefstream.platform.testing.SharedData;
import io.prefstream.schemas.CurationPath;
import io.prefstream.schemas.Decision;
import io.prefstream.schemas.Evidence;
import io.prefstream.schemas.LabelSource;
import io.prefstream.schemas.Lineage;
import io.prefstream.schemas.Message;
import io.prefstream.schemas.ModelRef;
import io.prefstream.schemas.ModelReward;
import io.prefstream.schemas.PrefIds;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.Response;
import io.prefstream.schemas.ReviewItem;
import io.prefstream.schemas.Role;
import io.prefstream.schemas.Verdict;

/** Verdicts and review items made from the real HH-RLHF pairs in the shared data folder. */
public final class HhRlhfVerdicts {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Two curation days, so that the table has two partitions. */
    private static final Instant DAY_ONE = Instant.parse("2026-11-27T10:00:00Z");

    private HhRlhfVerdicts() {}

    /** The first {@code count} HH-RLHF pairs as accepted verdicts (every 7th flipped), deterministic. */
    public static List<Verdict> verdicts(int count) {
        List<PreferencePair> pairs = pairs(count);
        List<Verdict> verdicts = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            verdicts.add(verdict(pairs.get(i), i));
        }
        return verdicts;
    }

    public static List<ReviewItem> reviewItems(int from, int count) {
        List<PreferencePair> pairs = pairs(from + count).subList(from, from + count);
        List<ReviewItem> items = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            items.add(ReviewItem.newBuilder().setPair(pairs.get(i)).setEvidence(evidence(pairs.get(i), i))
                .setReason("llm tie").setLineage(new Lineage("prefstream.pairs.labeled", 0, (long) i))
                .setCreatedAt(DAY_ONE).build());
        }
        return items;
    }

    private static Verdict verdict(PreferencePair pair, int i) {
        boolean flipped = i % 7 == 3;
        return Verdict.newBuilder().setPair(pair).setDecision(Decision.ACCEPT)
            .setPath(flipped ? CurationPath.FLIPPED : i % 2 == 0 ? CurationPath.RM_CONSENSUS : CurationPath.LLM_ADJUDICATED)
            .setFlipped(flipped).setEvidence(evidence(pair, i)).setPolicyName("synpref").setPolicyVersion("1")
            .setLineage(new Lineage("prefstream.pairs.scored", i % 3, (long) i))
            .setDecidedAt(DAY_ONE.plusSeconds(i * 97L)) // crosses into the next day after ~890 verdicts
            .build();
    }

    private static Evidence evidence(PreferencePair pair, int i) {
        float chosen = 1 + (i % 5) * 0.25f;
        return Evidence.newBuilder()
            .setRewards(List.of(new ModelReward("rm-best", "1", pair.getChosen().getResponseId(), chosen),
                new ModelReward("rm-best", "1", pair.getRejected().getResponseId(), -chosen)))
            .setPBest(1 / (1 + Math.exp(-2 * chosen))).setPGold(0.6)
            .setModels(List.of(new ModelRef("rm-best", "1"), new ModelRef("rm-gold", "1"))).build();
    }

    public static List<PreferencePair> pairs(int count) {
        List<PreferencePair> pairs = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(SharedData.file(SharedData.HH_RLHF))), StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while (pairs.size() < count && (line = reader.readLine()) != null) {
                number++;
                JsonNode node = JSON.readTree(line);
                List<Message> chosen = dialogue(node.get("chosen").asText());
                List<Message> rejected = dialogue(node.get("rejected").asText());
                if (chosen.size() < 2 || rejected.size() != chosen.size()
                    || chosen.get(chosen.size() - 1).getRole() != Role.assistant) {
                    continue;
                }
                List<Message> prompt = chosen.subList(0, chosen.size() - 1);
                String chosenText = chosen.get(chosen.size() - 1).getContent();
                String rejectedText = rejected.get(rejected.size() - 1).getContent();
                if (chosenText.equals(rejectedText)) {
                    continue;
                }
                String promptId = PrefIds.promptId(prompt);
                String chosenId = PrefIds.responseId(promptId, chosenText);
                String rejectedId = PrefIds.responseId(promptId, rejectedText);
                String pairId = PrefIds.pairId(promptId, chosenId, rejectedId);
                if (pairs.stream().anyMatch(p -> p.getPairId().equals(pairId))) {
                    continue;
                }
                pairs.add(PreferencePair.newBuilder().setPairId(pairId).setPromptId(promptId)
                    .setPrompt(List.copyOf(prompt))
                    .setChosen(new Response(chosenId, chosenText, null))
                    .setRejected(new Response(rejectedId, rejectedText, null))
                    .setLabelSource(LabelSource.HUMAN).setSource("hh-rlhf/harmless-base/test")
                    .setCreatedAt(DAY_ONE.minusSeconds(3600)).setMetadata(Map.of("line", Integer.toString(number)))
                    .build());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (pairs.size() < count) {
            throw new IllegalStateException("only " + pairs.size() + " usable HH-RLHF pairs, wanted " + count);
        }
        return pairs;
    }

    /** Splits an HH-RLHF dialogue ("\n\nHuman: ...\n\nAssistant: ...") into turns. */
    static List<Message> dialogue(String text) {
        List<Message> turns = new ArrayList<>();
        String[] parts = text.split("\n\n(?=(Human|Assistant): )");
        for (String part : parts) {
            if (part.startsWith("Human: ")) {
                turns.add(new Message(Role.user, part.substring("Human: ".length())));
            } else if (part.startsWith("Assistant: ")) {
                turns.add(new Message(Role.assistant, part.substring("Assistant: ".length())));
            } else if (!part.isBlank() && !turns.isEmpty()) {
                Message last = turns.remove(turns.size() - 1);
                turns.add(new Message(last.getRole(), last.getContent() + "\n\n" + part));
            }
        }
        return turns;
    }
}
