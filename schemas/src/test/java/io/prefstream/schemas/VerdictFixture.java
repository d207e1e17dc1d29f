package io.prefstream.schemas;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A fully populated Verdict: every nested record, enum, union and map of the schemas in use. */
public final class VerdictFixture {
    private VerdictFixture() {
    }

    public static Verdict verdict() {
        List<Message> prompt = List.of(new Message(Role.user, "Is the earth flat?"));
        String promptId = PrefIds.promptId(prompt);
        String round = PrefIds.responseId(promptId, "No, it is round.");
        String flat = PrefIds.responseId(promptId, "Yes.");
        PreferencePair pair = PreferencePair.newBuilder()
            .setPairId(PrefIds.pairId(promptId, round, flat)).setPromptId(promptId).setPrompt(prompt)
            .setChosen(new Response(round, "No, it is round.", "model-a"))
            .setRejected(new Response(flat, "Yes.", "model-b"))
            .setLabelSource(LabelSource.LLM).setSource("fixture")
            .setCreatedAt(Instant.ofEpochMilli(1_000)).setMetadata(Map.of("k", "v")).build();
        Attributes attributes = Attributes.newBuilder().setTaskCategory("factual QA")
            .setPreferenceObjectivity(PreferenceObjectivity.OBJECTIVE).setControversiality(Controversiality.LOW)
            .setDesiredAttributes(List.of("correct")).setGuideline("Prefer the factually correct answer.").build();
        Vote vote = new Vote("judge", "1", 0, CandidateOrder.REJECTED_FIRST, Preference.CHOSEN, "round");
        Evidence evidence = Evidence.newBuilder()
            .setRewards(List.of(new ModelReward("rm-best", "1", round, 1.5f), new ModelReward("rm-best", "1", flat, -2f)))
            .setPBest(0.97).setPGold(0.2).setVotes(List.of(vote)).setLlmMajority(Preference.CHOSEN)
            .setAttributes(attributes).setModels(List.of(new ModelRef("rm-best", "1"), new ModelRef("rm-gold", "3")))
            .build();
        return Verdict.newBuilder().setPair(pair).setDecision(Decision.ACCEPT).setPath(CurationPath.FLIPPED)
            .setFlipped(true).setEvidence(evidence).setPolicyName("synpref").setPolicyVersion("1.0")
            .setLineage(new Lineage("prefstream.pairs.labeled", 2, 17L)).setDecidedAt(Instant.ofEpochMilli(2_000))
            .build();
    }
}
