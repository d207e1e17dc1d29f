package io.prefstream.labeler.vote;

import java.util.List;

import io.prefstream.schemas.Preference;
import io.prefstream.schemas.Vote;

/**
 * Merges the M × K votes of a pair into the LLM majority. Every vote weighs the same (a judge with
 * more samples counts more), votes are counted in terms of the pair's proposed label, and:
 * <ul>
 *   <li>more CHOSEN than REJECTED votes: CHOSEN; more REJECTED: REJECTED;</li>
 *   <li><b>tie rule</b>: an even split is TIE, never broken (not by confidence, judge order or
 *       position), so the verdict sends the pair to human review rather than guess;</li>
 *   <li>TIE and INVALID votes abstain; with no CHOSEN or REJECTED vote at all the majority is null.</li>
 * </ul>
 * Choose K odd with a single judge to make ties impossible.
 */
public final class VoteMerger {
    private VoteMerger() {
    }

    public static Preference majority(List<Vote> votes) {
        long chosen = votes.stream().filter(v -> v.getPreferred() == Preference.CHOSEN).count();
        long rejected = votes.stream().filter(v -> v.getPreferred() == Preference.REJECTED).count();
        if (chosen == 0 && rejected == 0) {
            return null;
        }
        return chosen > rejected ? Preference.CHOSEN : rejected > chosen ? Preference.REJECTED : Preference.TIE;
    }
}
