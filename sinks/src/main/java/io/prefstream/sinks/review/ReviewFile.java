package io.prefstream.sinks.review;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.prefstream.schemas.Message;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.Response;

/**
 * The JSON-lines file reviewers work on. {@code review export} writes one line per waiting pair:
 *
 * <pre>{"pair_id": "...", "prompt": [{"role": "user", "content": "..."}], "response_1": "...",
 *  "response_2": "...", "response_1_id": "...", "response_2_id": "...", "reason": "llm tie",
 *  "verdict": null, "reviewer": null, "note": null}</pre>
 *
 * The reviewer sets {@code verdict} to {@code "1"} or {@code "2"} (the better response) or
 * {@code "discard"} (neither is acceptable), optionally {@code reviewer} and {@code note}, and leaves
 * lines it did not review at null. Which proposed response is shown as 1 is decided by the pair id
 * (about half each way), so reviewers cannot learn a position bias; the ids in the line say which is which.
 */
public final class ReviewFile {
    static final ObjectMapper JSON = new ObjectMapper();

    private ReviewFile() {}

    /** A human decision: keep the proposed label, flip it, or discard the pair. */
    public enum Outcome { ACCEPT_AS_PROPOSED, ACCEPT_FLIPPED, DISCARD }

    /**
     * One valid, answered line.
     *
     * @param line     1-based line number
     * @param waiting  the pair's open review item
     * @param outcome  what the reviewer decided
     * @param reviewer who decided, when given
     * @param note     the reviewer's note, when given
     */
    public record Decision(int line, ReviewQueue.Waiting waiting, Outcome outcome, String reviewer, String note) {}

    /**
     * What a file holds.
     *
     * @param decisions  valid answered lines
     * @param errors     one message per invalid line, each starting with "line N:"
     * @param unanswered lines whose verdict is still null
     */
    public record Parsed(List<Decision> decisions, List<String> errors, int unanswered) {}

    /** Writes the items, one line each, in the given order. Returns the number of lines. */
    public static int write(Path file, Collection<ReviewQueue.Waiting> items) throws IOException {
        int lines = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (ReviewQueue.Waiting waiting : items) {
                out.write(JSON.writeValueAsString(line(waiting)));
                out.write('\n');
                lines++;
            }
        }
        return lines;
    }

    private static ObjectNode line(ReviewQueue.Waiting waiting) {
        PreferencePair pair = waiting.item().getPair();
        Response one = chosenShownFirst(pair.getPairId()) ? pair.getChosen() : pair.getRejected();
        Response two = one == pair.getChosen() ? pair.getRejected() : pair.getChosen();
        ObjectNode line = JSON.createObjectNode();
        line.put("pair_id", pair.getPairId());
        var prompt = line.putArray("prompt");
        for (Message turn : pair.getPrompt()) {
            prompt.addObject().put("role", turn.getRole().name()).put("content", turn.getContent());
        }
        line.put("response_1", one.getText());
        line.put("response_2", two.getText());
        line.put("response_1_id", one.getResponseId());
        line.put("response_2_id", two.getResponseId());
        line.put("reason", waiting.item().getReason());
        line.putNull("verdict");
        line.putNull("reviewer");
        line.putNull("note");
        return line;
    }

    /** Whether the proposed chosen response is shown as response 1: by the last hex digit of the pair id. */
    static boolean chosenShownFirst(String pairId) {
        return Character.digit(pairId.charAt(pairId.length() - 1), 16) % 2 == 0;
    }

    /** Reads and validates a reviewed file against the pairs waiting now. */
    public static Parsed read(Path file, Map<String, ReviewQueue.Waiting> waiting) throws IOException {
        List<Decision> decisions = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        int unanswered = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int number = 0;
            while ((text = in.readLine()) != null) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                try {
                    Decision decision = parse(number, text, waiting, seen);
                    if (decision == null) {
                        unanswered++;
                    } else {
                        decisions.add(decision);
                    }
                } catch (InvalidLine e) {
                    errors.add("line " + number + ": " + e.getMessage());
                }
            }
        }
        return new Parsed(decisions, errors, unanswered);
    }

    private static Decision parse(int number, String text, Map<String, ReviewQueue.Waiting> waiting,
                                  Map<String, Integer> seen) throws InvalidLine {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidLine("not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidLine("expected a JSON object");
        }
        String pairId = text(node, "pair_id", true);
        Pick pick = pick(node.get("verdict"));
        Integer earlier = seen.putIfAbsent(pairId, number);
        if (earlier != null) {
            throw new InvalidLine("pair_id " + pairId + " appears again (first on line " + earlier + ")");
        }
        if (pick == null) {
            return null;
        }
        ReviewQueue.Waiting open = waiting.get(pairId);
        if (open == null) {
            throw new InvalidLine("pair_id " + pairId + " is not waiting in pairs.review (already decided, or never "
                + "queued)");
        }
        PreferencePair pair = open.item().getPair();
        String one = text(node, "response_1_id", true);
        String two = text(node, "response_2_id", true);
        String chosenId = pair.getChosen().getResponseId();
        String rejectedId = pair.getRejected().getResponseId();
        boolean chosenIsOne = one.equals(chosenId) && two.equals(rejectedId);
        boolean chosenIsTwo = one.equals(rejectedId) && two.equals(chosenId);
        if (!chosenIsOne && !chosenIsTwo) {
            throw new InvalidLine("response_1_id/response_2_id do not match the two responses of pair " + pairId);
        }
        Outcome outcome = switch (pick) {
            case DISCARD -> Outcome.DISCARD;
            case ONE -> chosenIsOne ? Outcome.ACCEPT_AS_PROPOSED : Outcome.ACCEPT_FLIPPED;
            case TWO -> chosenIsOne ? Outcome.ACCEPT_FLIPPED : Outcome.ACCEPT_AS_PROPOSED;
        };
        return new Decision(number, open, outcome, text(node, "reviewer", false), text(node, "note", false));
    }

    /** What the reviewer picked in the verdict field, as shown in the file. */
    private enum Pick { ONE, TWO, DISCARD }

    /** The verdict field; null when the line is not answered yet. */
    private static Pick pick(JsonNode verdict) throws InvalidLine {
        if (verdict == null || verdict.isNull() || verdict.isTextual() && verdict.asText().isBlank()) {
            return null;
        }
        String value = verdict.asText().trim().toLowerCase(java.util.Locale.ROOT);
        return switch (value) {
            case "1" -> Pick.ONE;
            case "2" -> Pick.TWO;
            case "discard" -> Pick.DISCARD;
            default -> throw new InvalidLine("verdict must be \"1\", \"2\" or \"discard\" (or null to leave the pair "
                + "waiting), not " + verdict);
        };
    }

    private static String text(JsonNode node, String field, boolean required) throws InvalidLine {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidLine("missing " + field);
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidLine(field + " must be a string, not " + value);
        }
        return value.asText();
    }

    /** The reason one line is invalid; becomes "line N: reason". */
    private static final class InvalidLine extends Exception {
        InvalidLine(String message) {
            super(message);
        }
    }
}
