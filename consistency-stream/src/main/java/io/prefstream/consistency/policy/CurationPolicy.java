package io.prefstream.consistency.policy;

import java.util.Locale;

import io.prefstream.schemas.Preference;

/**
 * The dual reward-model consistency rule of SynPref-40M stage 2 (arXiv 2507.01352), as one object
 * whose thresholds and switches are configuration. For a pair with a proposed label
 * (chosen &#8827; rejected) and rewards r from each reward model m:
 * {@code p_m = sigmoid(r_m(chosen) - r_m(rejected))}, the model's probability that the proposed
 * label is right. A model <em>agrees</em> when {@code p_m > 0.5} and <em>prefers the opposite</em>
 * when {@code p_m < 0.5}; exactly 0.5 is neither.
 *
 * <table>
 *   <caption>The rule, in the order it is applied</caption>
 *   <tr><th>when</th><th>condition</th><th>route</th></tr>
 *   <tr><td>after scoring</td><td>{@code p_gold > 0.5} and {@code p_best > 0.5 + delta}</td>
 *       <td>{@link Route#RM_CONSENSUS}: accept, no LLM call</td></tr>
 *   <tr><td>after scoring</td><td>otherwise</td><td>{@link Route#ADJUDICATE}</td></tr>
 *   <tr><td>after labelling</td><td>gold agrees and (LLM majority is CHOSEN or best agrees)</td>
 *       <td>{@link Route#LLM_ADJUDICATED}: accept</td></tr>
 *   <tr><td>after labelling</td><td>gold prefers the opposite and LLM majority is REJECTED</td>
 *       <td>{@link Route#FLIPPED} when flipping is on (reject, and accept the swapped pair), else
 *       {@link Route#REJECTED}</td></tr>
 *   <tr><td>after labelling</td><td>no LLM majority (TIE, INVALID or none)</td><td>{@link Route#REVIEW}</td></tr>
 *   <tr><td>after labelling</td><td>otherwise</td><td>{@link Route#REJECTED}</td></tr>
 * </table>
 * A pair without a proposed label first gets one from the best RM ({@link #bestPrefersSecond}):
 * the response with the higher best-RM reward becomes chosen; on a tie the order is kept.
 *
 * <p>Every verdict names the policy by {@link #name()} and {@link #versionTag()}, which includes the
 * thresholds, so a change of delta or of the flip switch is visible in the data.
 */
public final class CurationPolicy {
    private final String name;
    private final String version;
    private final double delta;
    private final boolean flipEnabled;

    /**
     * @param name        policy name written into every verdict
     * @param version     policy version written into every verdict (thresholds are appended)
     * @param delta       margin the best RM needs above 0.5 for RM consensus, in [0, 0.5)
     * @param flipEnabled whether pairs that gold and the LLM majority both reverse are emitted flipped
     */
    public CurationPolicy(String name, String version, double delta, boolean flipEnabled) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("policy name must not be empty");
        }
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("policy version must not be empty");
        }
        if (!(delta >= 0 && delta < 0.5)) {
            throw new IllegalArgumentException("delta must be in [0, 0.5), got " + delta);
        }
        this.name = name;
        this.version = version;
        this.delta = delta;
        this.flipEnabled = flipEnabled;
    }

    /** Step 1: RM consensus, or adjudication. */
    public Route afterScoring(double pBest, double pGold) {
        return pGold > 0.5 && pBest > 0.5 + delta ? Route.RM_CONSENSUS : Route.ADJUDICATE;
    }

    /** Step 3: the verdict on an adjudicated pair, given the LLM majority ({@code null}: no valid vote). */
    public Route afterLabelling(double pBest, double pGold, Preference llmMajority) {
        boolean goldAgrees = pGold > 0.5;
        boolean goldOpposes = pGold < 0.5;
        boolean bestAgrees = pBest > 0.5;
        if (goldAgrees && (llmMajority == Preference.CHOSEN || bestAgrees)) {
            return Route.LLM_ADJUDICATED;
        }
        if (goldOpposes && llmMajority == Preference.REJECTED) {
            return flipEnabled ? Route.FLIPPED : Route.REJECTED;
        }
        if (!hasMajority(llmMajority)) {
            return Route.REVIEW;
        }
        return Route.REJECTED;
    }

    /** True when the LLM votes produced a majority for one side. */
    private static boolean hasMajority(Preference llmMajority) {
        return llmMajority == Preference.CHOSEN || llmMajority == Preference.REJECTED;
    }

    /** {@code sigmoid(rewardChosen - rewardRejected)}: a model's probability that chosen is better. */
    public static double agreement(double rewardChosen, double rewardRejected) {
        return 1.0 / (1.0 + Math.exp(-(rewardChosen - rewardRejected)));
    }

    /**
     * Proposed label for an unlabelled pair (a, b): true when the best RM rewards b strictly higher,
     * so b becomes chosen; on a tie a stays chosen.
     */
    public static boolean bestPrefersSecond(double bestRewardA, double bestRewardB) {
        return bestRewardB > bestRewardA;
    }

    public String name() {
        return name;
    }

    /** The version with its thresholds, e.g. {@code 1 (delta=0.1, flip=on)}. */
    public String versionTag() {
        return version + String.format(Locale.ROOT, " (delta=%s, flip=%s)", delta, flipEnabled ? "on" : "off");
    }

    @Override
    public String toString() {
        return name + " " + versionTag();
    }
}
