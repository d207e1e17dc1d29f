package io.prefstream.consistency;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.prefstream.consistency.policy.CurationPolicy;
import io.prefstream.consistency.policy.Route;
import io.prefstream.schemas.CurationPath;
import io.prefstream.schemas.Decision;
import io.prefstream.schemas.Evidence;
import io.prefstream.schemas.LabelSource;
import io.prefstream.schemas.LabeledPair;
import io.prefstream.schemas.Lineage;
import io.prefstream.schemas.ModelRef;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.ReviewItem;
import io.prefstream.schemas.ScoredPair;
import io.prefstream.schemas.Verdict;
import io.prefstream.schemas.Vote;

/**
 * Applies the {@link CurationPolicy} to scored and labelled pairs and writes the records it decides:
 * {@link Verdict}s for pairs.curated and pairs.rejected, {@link ReviewItem}s for pairs.review, each
 * with its evidence (rewards, p's, votes, attributes, models), the policy name and version, and the
 * lineage of the original pair.
 */
final class Verdicts {
    /** A record for one output topic. */
    sealed interface Output {
        record Curated(Verdict verdict) implements Output {
        }

        record Rejected(Verdict verdict) implements Output {
        }

        record Review(ReviewItem item) implements Output {
        }
    }

    /** The route the policy chose for a labelled pair, and the records it writes. */
    record Labelled(Route route, List<Output> outputs) {
    }

    private final CurationPolicy policy;

    Verdicts(CurationPolicy policy) {
        this.policy = policy;
    }

    Route afterScoring(ScoredPair scored) {
        return policy.afterScoring(scored.getPBest(), pGold(scored));
    }

    /** The RM-consensus acceptance of a scored pair. */
    Verdict consensus(ScoredPair scored, Instant now) {
        return verdict(scored.getPair(), Decision.ACCEPT, CurationPath.RM_CONSENSUS, false, evidence(scored, null),
            lineage(scored, null), now);
    }

    /** The records a labelled pair leads to; {@code readFrom} is used as lineage only if the pair lost its own. */
    Labelled afterLabelling(LabeledPair labeled, Lineage readFrom, Instant now) {
        ScoredPair scored = labeled.getScored();
        Evidence evidence = evidence(scored, labeled);
        Lineage lineage = lineage(scored, readFrom);
        PreferencePair pair = scored.getPair();
        Route route = policy.afterLabelling(scored.getPBest(), pGold(scored), labeled.getLlmMajority());
        return new Labelled(route, switch (route) {
            case LLM_ADJUDICATED -> List.of(new Output.Curated(
                verdict(pair, Decision.ACCEPT, CurationPath.LLM_ADJUDICATED, false, evidence, lineage, now)));
            case FLIPPED -> List.of(
                new Output.Rejected(verdict(pair, Decision.REJECT, CurationPath.REJECTED, false, evidence, lineage, now)),
                new Output.Curated(verdict(flip(pair), Decision.ACCEPT, CurationPath.FLIPPED, true, evidence, lineage,
                    now)));
            case REVIEW -> List.of(new Output.Review(ReviewItem.newBuilder()
                .setPair(pair).setEvidence(evidence).setLineage(lineage).setCreatedAt(now)
                .setReason(labeled.getLlmMajority() == null ? "no valid LLM vote"
                    : "no LLM majority (" + labeled.getLlmMajority() + ") and the gold and best RMs do not both agree")
                .build()));
            case REJECTED -> List.of(new Output.Rejected(
                verdict(pair, Decision.REJECT, CurationPath.REJECTED, false, evidence, lineage, now)));
            case RM_CONSENSUS, ADJUDICATE -> throw new IllegalStateException(
                "policy returned " + route + " after labelling");
        });
    }

    /** Without a gold score the gold RM neither agrees nor opposes: 0.5. */
    private static double pGold(ScoredPair scored) {
        return scored.getPGold() == null ? 0.5 : scored.getPGold();
    }

    /**
     * The pair with chosen and rejected swapped. It keeps its pair_id (the identity of the pair as
     * ingested, and the key of pairs.curated); label_source becomes LLM, since the LLM majority (with
     * the gold RM) chose the orientation.
     */
    static PreferencePair flip(PreferencePair pair) {
        return PreferencePair.newBuilder(pair).setChosen(pair.getRejected()).setRejected(pair.getChosen())
            .setLabelSource(LabelSource.LLM).build();
    }

    private Verdict verdict(PreferencePair pair, Decision decision, CurationPath path, boolean flipped,
                            Evidence evidence, Lineage lineage, Instant now) {
        return Verdict.newBuilder()
            .setPair(pair).setDecision(decision).setPath(path).setFlipped(flipped).setEvidence(evidence)
            .setPolicyName(policy.name()).setPolicyVersion(policy.versionTag()).setLineage(lineage).setDecidedAt(now)
            .build();
    }

    /** Evidence of the decision; the p's refer to the proposed label (before any flip). */
    private static Evidence evidence(ScoredPair scored, LabeledPair labeled) {
        Set<ModelRef> models = new LinkedHashSet<>();
        models.add(scored.getBestModel());
        if (scored.getGoldModel() != null) {
            models.add(scored.getGoldModel());
        }
        Evidence.Builder evidence = Evidence.newBuilder()
            .setRewards(scored.getRewards()).setPBest(scored.getPBest()).setPGold(scored.getPGold());
        if (labeled != null) {
            models.addAll(labeled.getJudges());
            for (Vote vote : labeled.getVotes()) {
                models.add(new ModelRef(vote.getJudgeModel(), vote.getJudgeVersion()));
            }
            evidence.setVotes(labeled.getVotes()).setLlmMajority(labeled.getLlmMajority())
                .setAttributes(labeled.getAttributes());
        }
        return evidence.setModels(new ArrayList<>(models)).build();
    }

    private static Lineage lineage(ScoredPair scored, Lineage fallback) {
        if (scored.getLineage() != null) {
            return scored.getLineage();
        }
        if (fallback == null) {
            throw new IllegalStateException("pair " + scored.getPair().getPairId() + " has no lineage");
        }
        return fallback;
    }
}
