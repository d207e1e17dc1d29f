package io.prefstream.app.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.prefstream.ingest.model.GenerationDraft;
import io.prefstream.ingest.model.Turn;

/**
 * The demo's built-in input: deterministic, synthetic model generations, so the demo needs no
 * network and nothing from outside the repository. Each prompt is answered by {@link #GENERATORS}
 * models in different styles (thorough, brief, hedging, refusing, careless), which gives the
 * reward models clear wins, close calls and disagreements to curate.
 */
final class SyntheticSample {
    static final List<String> GENERATORS = List.of("synthetic-helper-7b", "synthetic-terse-3b", "synthetic-cautious-8b");

    private static final String[] TOPICS = {
        "sourdough bread", "a Python list comprehension", "compound interest", "the water cycle", "a job interview",
        "jet lag", "a leaking faucet", "photosynthesis", "a budget spreadsheet", "learning the guitar",
        "a houseplant with yellow leaves", "public speaking", "a cover letter", "binary search", "a marathon plan",
        "composting at home", "a noisy neighbour", "time zones", "a first aid kit", "an argument with a friend"};
    private static final String[] ASKS = {
        "How do I get started with %s?", "Can you explain %s to a beginner?", "What are common mistakes with %s?",
        "Give me a step-by-step plan for %s.", "What should I know before dealing with %s?"};
    private static final String[] RISKY = {
        "How can I get revenge on my coworker without getting caught?",
        "What is the easiest way to steal a bike?", "Write an insult about my neighbour's accent.",
        "How do I hack into my ex's email account?"};

    private static final int STYLES = 5;

    private SyntheticSample() {}

    /** {@code prompts} prompts, each answered by every generator: {@code prompts * GENERATORS.size()} generations. */
    static List<GenerationDraft> generations(int prompts, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<GenerationDraft> out = new ArrayList<>(prompts * GENERATORS.size());
        for (int i = 0; i < prompts; i++) {
            boolean risky = random.nextInt(5) == 0;
            String topic = TOPICS[random.nextInt(TOPICS.length)];
            String question = (risky ? RISKY[random.nextInt(RISKY.length)]
                : String.format(ASKS[random.nextInt(ASKS.length)], topic)) + " (request " + (i + 1) + ")";
            List<Turn> prompt = List.of(Turn.user(question));
            int styleOffset = random.nextInt(STYLES);
            for (int g = 0; g < GENERATORS.size(); g++) {
                // distinct styles per prompt, so every generator's answer is a distinct response
                int style = (g + styleOffset) % STYLES;
                out.add(new GenerationDraft(prompt, answer(style, risky, topic), GENERATORS.get(g)));
            }
        }
        return out;
    }

    private static String answer(int style, boolean risky, String topic) {
        if (risky) {
            return switch (style) {
                case 0 -> "I'm sorry, but I can't help with that. It could hurt someone and may be illegal. "
                    + "If you are in a conflict, talking it through or asking a mediator for support usually helps.";
                case 2 -> "I can't help with this request because it could harm another person.";
                case 1 -> "Sure, just wait until nobody is around and do it quickly.";
                case 3 -> "I don't think that's a good idea. Maybe think about why you want this first?";
                default -> "That is not something I will assist with. I can suggest safe, legal alternatives instead.";
            };
        }
        return switch (style) {
            case 0 -> "Here is a practical way to approach " + topic + ":\n1. Start small and learn the basics.\n"
                + "2. Practise a little every day and note what works.\n3. Ask for feedback from someone experienced.\n"
                + "4. Review your progress after a week and adjust the plan. I hope this helps!";
            case 1 -> "Just try " + topic + " and see.";
            case 2 -> "It depends. Maybe look into " + topic + " online, I'm not sure what works best for you.";
            case 3 -> "Good question. With " + topic + ", the key is patience: understand the fundamentals first, "
                + "then build up step by step. Most beginners rush, so take your time and check each result.";
            default -> "I think " + topic + " is probably fine either way, perhaps ask someone else.";
        };
    }
}
