package io.prefstream.inference.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.inference.judge.Judge;
import io.prefstream.inference.judge.JudgeContract;
import io.prefstream.inference.proto.GRPCInferenceServiceGrpc;
import io.prefstream.inference.proto.ModelConfigRequest;
import io.prefstream.inference.proto.ModelConfigResponse;
import io.prefstream.inference.proto.ModelStatistics;
import io.prefstream.inference.proto.ServerLiveRequest;
import io.prefstream.inference.reference.ReferenceInferenceServer;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.inference.reward.Conversation;
import io.prefstream.inference.reward.RewardModel;

/** Happy paths over a real socket: rewards (raw and typed outputs), the judge, statistics, metadata. */
class InferenceRoundTripTest {
    static ReferenceInferenceServer server;

    @BeforeAll
    static void start() {
        server = ReferenceInferenceServer.start(ReferenceServerSettings.defaults());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static final Conversation SAFE = Conversation.of("How do I pick a lock to break into my neighbour's house?",
        "I'm sorry, I can't help with breaking into someone's home. If you are locked out of your own house, a licensed locksmith can help.");
    static final Conversation UNSAFE = Conversation.of("How do I pick a lock to break into my neighbour's house?",
        "Sure, just get a tension wrench and rake the pins, then break the door if it sticks and steal what you want, you idiot.");

    @Test
    void rewardModelsScoreBatchesOverTheProtocolAndCountTheWork() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (InferenceClient client = Clients.client(Clients.settings(server.address()), registry)) {
            RewardModel best = RewardModel.open(client, client.config().bestRewardModel());
            RewardModel gold = RewardModel.open(client, client.config().goldRewardModel());
            long before = items(client, "rm-gold");

            List<Float> bestRewards = best.scoreAll(List.of(SAFE, UNSAFE)).get(10, TimeUnit.SECONDS);
            List<Float> goldRewards = gold.scoreAll(List.of(SAFE, UNSAFE, SAFE)).get(10, TimeUnit.SECONDS);

            assertThat(goldRewards.get(0)).isGreaterThan(goldRewards.get(1));
            assertThat(bestRewards.get(0)).isGreaterThan(bestRewards.get(1));
            assertThat(goldRewards.get(0)).isEqualTo(goldRewards.get(2)).as("deterministic");
            assertThat(goldRewards.get(0)).isNotEqualTo(bestRewards.get(0)).as("two different models");
            assertThat(items(client, "rm-gold") - before).isEqualTo(3);
            assertThat(registry.get("prefstream.inference.items").tag("model", "rm-gold").counter().count()).isEqualTo(3);
            assertThat(registry.get("prefstream.inference.batch.size").tag("model", "rm-gold").summary().count()).isEqualTo(1);
        }
    }

    @Test
    void typedOutputContentsAreReadLikeRawOnes() throws Exception {
        try (ReferenceInferenceServer typed = ReferenceInferenceServer.start(
                ReferenceServerSettings.defaults().withTypedOutputs(true));
             InferenceClient raw = Clients.client(Clients.settings(server.address()), new SimpleMeterRegistry());
             InferenceClient viaTyped = Clients.client(Clients.settings(typed.address()), new SimpleMeterRegistry())) {
            float expected = RewardModel.open(raw, raw.config().goldRewardModel()).score(SAFE).get(10, TimeUnit.SECONDS);
            float actual = RewardModel.open(viaTyped, viaTyped.config().goldRewardModel()).score(SAFE).get(10, TimeUnit.SECONDS);
            assertThat(actual).isEqualTo(expected);

            String vote = Judge.open(viaTyped, viaTyped.config().judgeModel()).generate(votePrompt(), Map.of()).get(10, TimeUnit.SECONDS);
            assertThat(new ObjectMapper().readTree(vote).get(JudgeContract.PREFERRED).asText()).isEqualTo("Candidate 2");
        }
    }

    @Test
    void judgeAnswersVoteAndAttributePromptsInJsonOverTheStream() throws Exception {
        try (InferenceClient client = Clients.client(Clients.settings(server.address()), new SimpleMeterRegistry())) {
            Judge judge = Judge.open(client, client.config().judgeModel());
            ObjectMapper json = new ObjectMapper();

            JsonNode vote = json.readTree(judge.generate(votePrompt(), Map.of("temperature", 0.0, "max_tokens", 256))
                .get(10, TimeUnit.SECONDS));
            assertThat(vote.get(JudgeContract.PREFERRED).asText()).isEqualTo("Candidate 2");
            assertThat(vote.get(JudgeContract.CONFIDENCE).asDouble()).isBetween(0.5, 1.0);

            String attributePrompt = JudgeContract.CONVERSATION_HEADER + "\nUser: " + SAFE.turns().get(0).content()
                + "\n" + JudgeContract.INSTRUCTIONS_HEADER + "\nAnswer with JSON: task_category, preference_objectivity, "
                + "controversiality, desired_attributes, guideline.";
            JsonNode attributes = json.readTree(judge.generate(attributePrompt, Map.of()).get(10, TimeUnit.SECONDS));
            assertThat(attributes.get(JudgeContract.TASK_CATEGORY).asText()).isEqualTo("harmful_request");
            assertThat(attributes.get(JudgeContract.CONTROVERSIALITY).asText()).isIn("medium", "high");
            assertThat(attributes.get(JudgeContract.DESIRED_ATTRIBUTES).isArray()).isTrue();
            assertThat(attributes.get(JudgeContract.GUIDELINE).asText()).isNotBlank();
        }
    }

    @Test
    void serverAnswersLivenessAndModelConfigToAPlainStub() {
        ManagedChannel channel = Grpc.newChannelBuilder(server.address(), InsecureChannelCredentials.create()).build();
        try {
            var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
            assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
            ModelConfigResponse judge = stub.modelConfig(ModelConfigRequest.newBuilder().setName("judge").build());
            assertThat(judge.getConfig().getModelTransactionPolicy().getDecoupled()).isTrue();
            ModelConfigResponse rm = stub.modelConfig(ModelConfigRequest.newBuilder().setName("rm-best").build());
            assertThat(rm.getConfig().getMaxBatchSize()).isEqualTo(64);
            assertThat(rm.getConfig().hasDynamicBatching()).isTrue();
        } finally {
            channel.shutdownNow();
        }
    }

    static String votePrompt() {
        return JudgeContract.CONVERSATION_HEADER + "\nUser: " + SAFE.turns().get(0).content() + "\n"
            + JudgeContract.CANDIDATE_1_HEADER + "\n" + UNSAFE.turns().get(1).content() + "\n"
            + JudgeContract.CANDIDATE_2_HEADER + "\n" + SAFE.turns().get(1).content() + "\n"
            + JudgeContract.INSTRUCTIONS_HEADER + "\nWhich candidate is better? Answer {\"preferred\": ...}.";
    }

    static long items(InferenceClient client, String model) {
        return client.statistics(model).stream().mapToLong(ModelStatistics::getInferenceCount).sum();
    }
}
