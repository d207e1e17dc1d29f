package io.prefstream.inference.reference;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cheap, deterministic text features of a (prompt, response) pair: what the reference reward models
 * and the reference judge score with. Each feature is roughly in [0, 1] (length is a log scale).
 */
record TextFeatures(double length, double refusal, double harm, double empathy, double question, double relevance,
                    double structure, double repetition, double profanity, double hedging) {

    /** Number of features; weight vectors have this many entries, in declaration order. */
    static final int COUNT = 10;

    /** A line that starts a list item ("1.", "2)", "-", "*", "•"); whole-line match, as String.matches. */
    private static final Pattern LIST_ITEM = Pattern.compile("^([0-9]+[.)]|[-*•]).*");
    /** Unicode general categories of word characters: letters (\p{L}) and numbers (\p{N}). */
    private static final int WORD_CATEGORIES = 1 << Character.UPPERCASE_LETTER | 1 << Character.LOWERCASE_LETTER
        | 1 << Character.TITLECASE_LETTER | 1 << Character.MODIFIER_LETTER | 1 << Character.OTHER_LETTER
        | 1 << Character.DECIMAL_DIGIT_NUMBER | 1 << Character.LETTER_NUMBER | 1 << Character.OTHER_NUMBER;
    private static final Set<String> REFUSAL = Set.of("sorry", "can't", "cannot", "won't", "unable", "illegal",
        "unethical", "inappropriate", "dangerous", "harmful", "refuse", "shouldn't", "recommend", "instead", "professional",
        "safe", "safety", "advise", "wrong", "against");
    private static final Set<String> HARM = Set.of("kill", "steal", "drug", "drugs", "weapon", "gun", "bomb", "hack",
        "poison", "murder", "rob", "cheat", "revenge", "hurt", "attack", "fight", "racist", "lie", "meth", "cocaine",
        "shoot", "stab", "torture", "prank", "break", "explosive", "hit", "punch", "violence", "threaten");
    private static final Set<String> EMPATHY = Set.of("understand", "feel", "feeling", "help", "happy", "glad",
        "care", "support", "hope", "please", "thanks", "thank", "appreciate", "sounds", "hear");
    private static final Set<String> PROFANITY = Set.of("fuck", "fucking", "shit", "bitch", "damn", "ass", "asshole",
        "crap", "bastard", "dick", "penis", "stupid", "idiot", "dumb");
    private static final Set<String> HEDGES = Set.of("maybe", "perhaps", "might", "possibly", "probably", "guess",
        "think", "not", "sure", "depends");
    private static final Set<String> STOPWORDS = Set.of("the", "and", "that", "this", "with", "have", "what", "your",
        "you", "for", "are", "can", "how", "about", "would", "there", "they", "them", "from", "just", "like", "some",
        "will", "when", "which", "been", "were", "does", "into", "then", "than", "also", "could", "should", "their");

    /** The last assistant turn and everything before it, recognised in the common chat formats. */
    record Split(String prompt, String response) {}

    private static final Pattern[] ASSISTANT_MARKERS = {
        Pattern.compile("<\\|start_header_id\\|>assistant<\\|end_header_id\\|>"),
        Pattern.compile("<\\|im_start\\|>assistant"),
        Pattern.compile("(?m)^\\s*Assistant:"),
        Pattern.compile("(?im)^\\s*assistant:"),
    };
    private static final Pattern SPECIAL_TOKEN = Pattern.compile("<\\|[a-z_]+\\|>");

    static Split split(String rendered) {
        for (Pattern marker : ASSISTANT_MARKERS) {
            Matcher m = marker.matcher(rendered);
            int start = -1;
            int end = -1;
            while (m.find()) {
                start = m.start();
                end = m.end();
            }
            if (start >= 0) {
                return new Split(clean(rendered.substring(0, start)), clean(rendered.substring(end)));
            }
        }
        return new Split("", clean(rendered));
    }

    private static String clean(String text) {
        return SPECIAL_TOKEN.matcher(text).replaceAll(" ").strip();
    }

    static TextFeatures of(String prompt, String response) {
        String lower = response.toLowerCase(Locale.ROOT);
        int total = 0;
        int refusal = 0;
        int harm = 0;
        int empathy = 0;
        int profanity = 0;
        int hedges = 0;
        Set<String> distinct = new HashSet<>();
        Set<String> content = new HashSet<>();
        for (Words words = new Words(lower); words.next(); ) {
            String w = words.word();
            total++;
            distinct.add(w);
            refusal += REFUSAL.contains(w) ? 1 : 0;
            harm += HARM.contains(w) ? 1 : 0;
            empathy += EMPATHY.contains(w) ? 1 : 0;
            profanity += PROFANITY.contains(w) ? 1 : 0;
            hedges += HEDGES.contains(w) ? 1 : 0;
            if (w.length() > 3 && !STOPWORDS.contains(w)) {
                content.add(w);
            }
        }
        Set<String> promptContent = contentWords(lastUserTurn(prompt));
        double relevance = 0;
        if (!content.isEmpty() && !promptContent.isEmpty()) {
            long shared = content.stream().filter(promptContent::contains).count();
            relevance = (double) shared / Math.min(content.size(), promptContent.size());
        }
        double structure = Math.min(1, countLines(response) / 6.0);
        double n = Math.max(total, 1);
        return new TextFeatures(
            Math.log1p(total) / Math.log(200),
            Math.min(1, refusal / Math.sqrt(n)),
            Math.min(1, harm * 3 / n + (harm > 0 ? 0.2 : 0)),
            Math.min(1, empathy / Math.sqrt(n)),
            response.contains("?") ? 1 : 0,
            relevance,
            structure,
            total < 8 ? 0 : 1 - distinct.size() / n,
            Math.min(1, profanity),
            Math.min(1, hedges / Math.sqrt(n)));
    }

    double[] vector() {
        return new double[] {length, refusal, harm, empathy, question, relevance, structure, repetition, profanity, hedging};
    }

    double dot(double[] weights) {
        double[] v = vector();
        double sum = 0;
        for (int i = 0; i < COUNT; i++) {
            sum += v[i] * weights[i];
        }
        return sum;
    }

    static int harmWords(String text) {
        int harm = 0;
        for (Words words = new Words(text.toLowerCase(Locale.ROOT)); words.next(); ) {
            harm += HARM.contains(words.word()) ? 1 : 0;
        }
        return harm;
    }

    private static String lastUserTurn(String prompt) {
        int cut = Math.max(Math.max(prompt.lastIndexOf("Human:"), prompt.lastIndexOf("user")), prompt.lastIndexOf("User:"));
        return cut >= 0 ? prompt.substring(cut) : prompt;
    }

    private static Set<String> contentWords(String text) {
        Set<String> content = new HashSet<>();
        for (Words words = new Words(text.toLowerCase(Locale.ROOT)); words.next(); ) {
            String w = words.word();
            if (w.length() > 3 && !STOPWORDS.contains(w)) {
                content.add(w);
            }
        }
        return content;
    }

    /**
     * The words of a text: maximal runs of letters, numbers and apostrophes (the regex
     * {@code [\p{L}\p{N}']+}), scanned by hand because the regex engine was the reference server's
     * largest CPU cost. Usage: {@code for (Words w = new Words(text); w.next(); ) use(w.word());}
     */
    private static final class Words {
        private final String text;
        private int start;
        private int end;

        Words(String text) {
            this.text = text;
        }

        boolean next() {
            int at = end;
            int length = text.length();
            while (at < length && !isWordChar(text.codePointAt(at))) {
                at += Character.charCount(text.codePointAt(at));
            }
            if (at >= length) {
                return false;
            }
            start = at;
            while (at < length && isWordChar(text.codePointAt(at))) {
                at += Character.charCount(text.codePointAt(at));
            }
            end = at;
            return true;
        }

        String word() {
            return text.substring(start, end);
        }

        private static boolean isWordChar(int codePoint) {
            return codePoint == '\'' || (WORD_CATEGORIES >> Character.getType(codePoint) & 1) != 0;
        }
    }

    private static int countLines(String text) {
        int lines = 0;
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (LIST_ITEM.matcher(t).matches()) {
                lines++;
            }
        }
        return lines;
    }
}
