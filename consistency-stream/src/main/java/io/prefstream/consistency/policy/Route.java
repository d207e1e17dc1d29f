package io.prefstream.consistency.policy;

/** Where the {@link CurationPolicy} sends a pair. */
public enum Route {
    /** Both reward models agree with the proposed label: accepted with no LLM call. */
    RM_CONSENSUS,
    /** The reward models are not enough: to {@code pairs.adjudicate} for LLM attributes and votes. */
    ADJUDICATE,
    /** Accepted after labelling: gold agrees, and the LLM majority or the best RM agrees. */
    LLM_ADJUDICATED,
    /** Rejected, and the swapped pair accepted: gold and the LLM majority both prefer the proposed rejected. */
    FLIPPED,
    /** No LLM majority (tie, or no valid vote) and no acceptance: to humans on {@code pairs.review}. */
    REVIEW,
    /** Rejected. */
    REJECTED
}
