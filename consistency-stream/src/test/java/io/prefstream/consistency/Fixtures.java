package io.prefstream.consistency;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.prefstream.schemas.Attributes;
import io.prefstream.schemas.CandidateOrder;
import io.prefstream.schemas.Decision;
import io.prefstream.schemas.CurationPath;
import io.prefstream.schemas.Evidence;
import io.prefstream.schemas.LabelSource;
import io.prefstream.schemas.LabeledPair;
import io.prefstream.schemas.Lineage;
import io.prefstream.schemas.Message;
import io.prefstream.schemas.ModelRef;
import io.prefstream.schemas.PrefIds;
import io.prefstream.schemas.Preference;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.Response;
import io.prefstream.schemas.Role;
import io.prefstream.schemas.ScoredPair;
import io.prefstream.schemas.Verdict;
import io.prefstream.schemas.Vote;

/** Test records with real ids (PrefIds), built from a prompt and response texts. */
final class Fixtures {
    static final ModelRef BEST = new ModelRef("rm-best", "3");
    static final ModelRef GOLD = new ModelRef("rm-gold", "7");

    private Fixtures() {
    }

    static PreferencePair pair(String prompt, String chosen, String rejected, LabelSource source) {
        List<Message> conversation = List.of(new Message(Role.user, prompt));
        String promptId = PrefIds.promptId(conversation);
        Response c = new Response(PrefIds.responseId(promptId, chosen), chosen, null);
        Response r = new Response(PrefIds.responseId(promptId, rejected), rejected, null);
        return PreferencePair.newBuilder()
            .setPairId(PrefIds.pairId(promptId, c.getResponseId(), r.getResponseId()))
            .setPromptId(promptId).setPrompt(conversation).setChosen(c).setRejected(r).setLabelSource(source)
            .setSource("test").setCreatedAt(Instant.parse("2026-01-01T00:00:00Z")).setMetadata(Map.of())
            .build();
    }

    static ScoredPair scored(PreferencePair pair, double pBest, double pGold, Lineage lineage) {
        return ScoredPair.newBuilder().setPair(pair).setRewards(List.of()).setPBest(pBest).setPGold(pGold)
            .setBestModel(BEST).setGoldModel(GOLD).setScoredAt(Instant.now()).setLineage(lineage).build();
    }

    static LabeledPair labeled(ScoredPair scored, Preference majority) {
        Vote vote = Vote.newBuilder().setJudgeModel("judge").setJudgeVersion("1").setSample(0)
            .setCandidateOrder(CandidateOrder.CHOSEN_FIRST).setPreferred(majority == null ? Preference.INVALID : majority)
            .setRationale("because").build();
        Attributes attributes = Attributes.newBuilder().setTaskCategory("chat").setGuideline("be helpful").build();
        return LabeledPair.newBuilder().setScored(scored).setAttributes(attributes).setVotes(List.of(vote))
            .setLlmMajority(majority).setLabeledAt(Instant.now()).build();
    }

    static Verdict humanVerdict(PreferencePair pair, Decision decision) {
        return Verdict.newBuilder().setPair(pair).setDecision(decision).setPath(CurationPath.HUMAN)
            .setEvidence(Evidence.newBuilder().build()).setPolicyName("human").setPolicyVersion("review-1")
            .setLineage(new Lineage("pairs.review", 0, 41L)).setDecidedAt(Instant.now()).build();
    }
}
