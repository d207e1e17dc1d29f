package io.prefstream.inference.reference;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.prefstream.inference.reward.Conversation;
import io.prefstream.platform.testing.SharedData;

/** The shared HH-RLHF harmless-base test pairs, as conversations. */
public record HhPairs(Conversation chosen, Conversation rejected) {
    public static List<HhPairs> load() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<HhPairs> pairs = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(SharedData.file(SharedData.HH_RLHF))), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode row = json.readTree(line);
                pairs.add(new HhPairs(Conversation.fromHhTranscript(row.get("chosen").asText()),
                    Conversation.fromHhTranscript(row.get("rejected").asText())));
            }
        }
        return pairs;
    }
}
