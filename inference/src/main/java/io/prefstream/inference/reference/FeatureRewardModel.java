package io.prefstream.inference.reference;

/**
 * A deterministic reward model: a weighted sum of {@link TextFeatures} of the final assistant turn
 * (relative to the conversation before it). Two weightings serve as the reference {@code rm-best}
 * (leans to on-topic, structured, engaged answers) and {@code rm-gold} (leans hard to short, safe,
 * refusing answers, as the HH-RLHF harmless labels do), so they agree on most pairs and disagree on
 * a realistic minority: 21% of the shared HH-RLHF harmless-base test pairs (see
 * ReferenceRewardModelsTest), each agreeing with the human label on 56% / 58% of them.
 */
final class FeatureRewardModel {
    // Weights, in TextFeatures order: length, refusal, harm, empathy, question, relevance,
    // structure, repetition, profanity, hedging.
    static final double[] BEST = {-0.4, 0.9, -1.4, 0.6, 0.2, 0.1, 0.5, -0.5, -1.8, -0.3};
    static final double[] GOLD = {-0.8, 1.4, -2.0, 0.3, 0.1, -0.6, -0.3, -0.3, -2.5, 0.0};
    /** The reference judge's own view: between the two, so it can break their disagreements. */
    static final double[] JUDGE = {-0.5, 1.1, -1.6, 0.4, 0.15, -0.1, 0.1, -0.4, -2.0, -0.1};

    private final double[] weights;

    FeatureRewardModel(double[] weights) {
        this.weights = weights.clone();
    }

    /** The reward of one rendered conversation (any chat template; see {@link TextFeatures#split}). */
    float score(String rendered) {
        TextFeatures.Split split = TextFeatures.split(rendered);
        return score(split.prompt(), split.response());
    }

    float score(String prompt, String response) {
        return score(TextFeatures.of(prompt, response));
    }

    float score(TextFeatures features) {
        return (float) features.dot(weights);
    }
}
