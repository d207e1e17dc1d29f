package io.prefstream.inference.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.inference.client.InferenceClient;
import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.reward.Conversation;
import io.prefstream.inference.reward.RewardModel;

/**
 * The two reference reward models, scored over the protocol with the default (Llama 3) chat
 * template, disagree on a realistic share of the shared HH-RLHF harmless-base test pairs.
 */
class ReferenceRewardModelsTest {
    @Test
    void bestAndGoldDisagreeOnTenToThirtyPercentOfRealPairs() throws Exception {
        List<HhPairs> pairs = HhPairs.load();
        List<Conversation> texts = new ArrayList<>();
        pairs.forEach(p -> {
            texts.add(p.chosen());
            texts.add(p.rejected());
        });
        try (ReferenceInferenceServer server = ReferenceInferenceServer.start(ReferenceServerSettings.defaults());
             InferenceClient client = new InferenceClient(new InferenceConfig(
                 Map.of(InferenceConfig.INFERENCE_ENDPOINTS, server.address())), new SimpleMeterRegistry())) {
            List<Float> best = RewardModel.open(client, client.config().bestRewardModel()).scoreAll(texts).get(60, TimeUnit.SECONDS);
            List<Float> gold = RewardModel.open(client, client.config().goldRewardModel()).scoreAll(texts).get(60, TimeUnit.SECONDS);
            int disagree = 0;
            int bestAgreesWithHumans = 0;
            int goldAgreesWithHumans = 0;
            for (int i = 0; i < pairs.size(); i++) {
                boolean bestPrefersChosen = best.get(2 * i) > best.get(2 * i + 1);
                boolean goldPrefersChosen = gold.get(2 * i) > gold.get(2 * i + 1);
                disagree += bestPrefersChosen != goldPrefersChosen ? 1 : 0;
                bestAgreesWithHumans += bestPrefersChosen ? 1 : 0;
                goldAgreesWithHumans += goldPrefersChosen ? 1 : 0;
            }
            double share = disagree / (double) pairs.size();
            System.out.printf("reference RMs over %d HH-RLHF harmless-base test pairs: disagreement=%.3f "
                    + "rm-best agrees with human label=%.3f rm-gold=%.3f%n", pairs.size(), share,
                bestAgreesWithHumans / (double) pairs.size(), goldAgreesWithHumans / (double) pairs.size());
            assertThat(pairs).hasSizeGreaterThan(2000);
            assertThat(share).isBetween(0.10, 0.30);
            assertThat(goldAgreesWithHumans).isGreaterThan(pairs.size() / 2);
        }
    }
}
