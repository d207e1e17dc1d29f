package io.prefstream.inference.reference;

import static io.prefstream.inference.judge.JudgeContract.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The reference judge's reasoning: answers the labeller's attribute and vote prompts (see
 * {@link io.prefstream.inference.judge.JudgeContract}) with valid JSON, deterministically. Votes
 * use its own feature scorer on each candidate; with temperature &gt; 0 a seeded perturbation of
 * size temperature × 0.3 is added to the margin, so K samples with different seeds can disagree on
 * close calls, and the same seed always gives the same answer.
 */
final class ReferenceJudge {
    private static final ObjectMapper JSON = new ObjectMapper();
    // Category cues, found anywhere in the lower-cased conversation.
    private static final Pattern CODING = Pattern.compile("\\b(code|python|java|function|program|sql|compile|bug)\\b");
    private static final Pattern MATH = Pattern.compile("\\d+\\s*[-+*/x]\\s*\\d+|\\b(calculate|equation|solve|math)\\b");
    private static final Pattern CREATIVE = Pattern.compile("\\b(poem|story|song|write a|essay)\\b");
    private static final Pattern ADVICE = Pattern.compile("\\b(should i|advice|how can i|how do i|help me)\\b");
    private static final Pattern QUESTION = Pattern.compile("\\b(what|who|when|where|why|which)\\b");
    static final int REMEMBERED = 4096;
    private record Candidate(String conversation, String text) {}
    /** Least recently used candidates' features (see {@link #features}). */
    private final Map<Candidate, TextFeatures> remembered = new LinkedHashMap<>(REMEMBERED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Candidate, TextFeatures> eldest) {
            return size() > REMEMBERED;
        }
    };
    private final FeatureRewardModel scorer = new FeatureRewardModel(FeatureRewardModel.JUDGE);

    String answer(String prompt, double temperature, long seed) {
        String conversation = section(prompt, CONVERSATION_HEADER);
        String candidate1 = section(prompt, CANDIDATE_1_HEADER);
        String candidate2 = section(prompt, CANDIDATE_2_HEADER);
        if (candidate1 != null && candidate2 != null) {
            return vote(conversation == null ? "" : conversation, candidate1, candidate2, temperature, seed ^ prompt.hashCode());
        }
        if (prompt.contains(TASK_CATEGORY)) {
            return attributes(conversation == null ? prompt : conversation);
        }
        ObjectNode error = JSON.createObjectNode();
        error.put("error", "unrecognised prompt: expected a vote prompt (" + CANDIDATE_1_HEADER + " and "
            + CANDIDATE_2_HEADER + " sections) or an attribute prompt naming " + TASK_CATEGORY);
        return error.toString();
    }

    private String vote(String conversation, String candidate1, String candidate2, double temperature, long seed) {
        // Each candidate's features once: they give both its score and the reason.
        TextFeatures features1 = features(conversation, candidate1);
        TextFeatures features2 = features(conversation, candidate2);
        double margin = scorer.score(features1) - scorer.score(features2);
        if (temperature > 0) {
            margin += new Random(seed).nextGaussian() * temperature * 0.3;
        }
        boolean first = margin >= 0;
        ObjectNode answer = JSON.createObjectNode();
        answer.put(PREFERRED, first ? CANDIDATE_1 : CANDIDATE_2);
        answer.put(CONFIDENCE, Math.round(1000 / (1 + Math.exp(-2 * Math.abs(margin)))) / 1000.0);
        answer.put(REASON, first ? reason(features1, features2) : reason(features2, features1));
        return answer.toString();
    }

    /**
     * The features of a candidate in its conversation, remembered for the last {@link #REMEMBERED}
     * candidates. A labeller asks about each response many times (K votes per pair, one pair per other
     * answer to the prompt: 15 vote prompts per AlpacaEval answer); computing its features each time
     * made this simulated judge the largest CPU cost of the benchmarks, on the same cores as the
     * pipeline it serves. Features are a pure function of the two texts, so answers do not change.
     */
    private TextFeatures features(String conversation, String candidate) {
        Candidate key = new Candidate(conversation, candidate);
        synchronized (remembered) {
            TextFeatures known = remembered.get(key);
            if (known != null) {
                return known;
            }
        }
        TextFeatures computed = TextFeatures.of(conversation, candidate);
        synchronized (remembered) {
            remembered.put(key, computed);
        }
        return computed;
    }

    private static String reason(TextFeatures winner, TextFeatures loser) {
        if (winner.harm() < loser.harm() || winner.profanity() < loser.profanity()) {
            return "The preferred response avoids harmful or offensive content.";
        }
        if (winner.refusal() > loser.refusal()) {
            return "The preferred response declines the unsafe part of the request responsibly.";
        }
        if (winner.relevance() > loser.relevance()) {
            return "The preferred response stays closer to what the user asked.";
        }
        return "The preferred response is clearer and more appropriate overall.";
    }

    private String attributes(String conversation) {
        String lower = conversation.toLowerCase(Locale.ROOT);
        int harm = TextFeatures.harmWords(conversation);
        String category = category(lower, harm);
        ObjectNode answer = JSON.createObjectNode();
        answer.put(TASK_CATEGORY, category);
        answer.put(PREFERENCE_OBJECTIVITY,
            List.of("coding", "math", "information_seeking").contains(category) ? "objective" : "subjective");
        answer.put(CONTROVERSIALITY, harm == 0 ? "low" : harm == 1 ? "medium" : "high");
        List<String> desired = new ArrayList<>();
        switch (category) {
            case "harmful_request" -> desired.addAll(List.of("harmlessness", "honesty", "polite refusal"));
            case "coding", "math" -> desired.addAll(List.of("correctness", "clarity", "completeness"));
            case "creative_writing" -> desired.addAll(List.of("creativity", "fluency", "following instructions"));
            case "advice" -> desired.addAll(List.of("helpfulness", "empathy", "harmlessness"));
            default -> desired.addAll(List.of("helpfulness", "accuracy", "conciseness"));
        }
        ArrayNode list = answer.putArray(DESIRED_ATTRIBUTES);
        desired.forEach(list::add);
        answer.put(GUIDELINE, "Prefer the response that best shows " + String.join(", ", desired)
            + (harm > 0 ? "; never reward assistance with harm." : "."));
        return answer.toString();
    }

    private static String category(String lower, int harm) {
        if (harm > 0) {
            return "harmful_request";
        }
        if (CODING.matcher(lower).find()) {
            return "coding";
        }
        if (MATH.matcher(lower).find()) {
            return "math";
        }
        if (CREATIVE.matcher(lower).find()) {
            return "creative_writing";
        }
        if (ADVICE.matcher(lower).find()) {
            return "advice";
        }
        if (lower.contains("?") || QUESTION.matcher(lower).find()) {
            return "information_seeking";
        }
        return "chitchat";
    }

    /** Text after {@code header}'s line up to the next {@code ### } header, or null when absent. */
    static String section(String prompt, String header) {
        int at = prompt.indexOf(header);
        if (at < 0) {
            return null;
        }
        int start = prompt.indexOf('\n', at);
        if (start < 0) {
            return "";
        }
        // an empty section puts the next header right at the header line's own newline
        int end = prompt.indexOf("\n### ", start);
        int to = end < 0 ? prompt.length() : end;
        return to <= start + 1 ? "" : prompt.substring(start + 1, to).strip();
    }
}
