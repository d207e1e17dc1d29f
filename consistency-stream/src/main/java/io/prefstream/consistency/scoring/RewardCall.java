package io.prefstream.consistency.scoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.prefstream.inference.reward.Conversation;
import io.prefstream.inference.reward.RewardModel;
import io.prefstream.schemas.Message;
import io.prefstream.schemas.ModelRef;
import io.prefstream.streams.async.AsyncCall;

/**
 * The async call behind the scoring processor: routes each request to the reward model it names
 * (batched by the inference client) and counts calls per model
 * ({@code prefstream.consistency.rm.calls{model}}).
 */
public final class RewardCall implements AsyncCall<RewardRequest, Float> {
    private final Map<ModelRef, RewardModel> models;
    private final Map<ModelRef, Counter> calls;

    public RewardCall(Map<ModelRef, RewardModel> models, MeterRegistry registry) {
        this.models = Map.copyOf(models);
        this.calls = new HashMap<>();
        models.keySet().forEach(m -> calls.put(m, Counter.builder("prefstream.consistency.rm.calls")
            .description("Reward-model calls (memo misses), per model.").tag("model", m.getName())
            .tag("version", m.getVersion()).register(registry)));
    }

    @Override
    public CompletableFuture<Float> call(RewardRequest request) {
        RewardModel model = models.get(request.model());
        if (model == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                "no reward model " + request.model().getName() + " version '" + request.model().getVersion()
                    + "' is configured; configured: " + models.keySet()));
        }
        calls.get(request.model()).increment();
        return model.score(request.conversation());
    }

    /** The conversation a reward model scores: the pair's prompt turns, then the response as the assistant. */
    public static Conversation conversation(ScoringTask task) {
        List<Conversation.Turn> turns = new ArrayList<>();
        for (Message message : task.pair().getPrompt()) {
            turns.add(new Conversation.Turn(message.getRole().name(), message.getContent()));
        }
        turns.add(new Conversation.Turn("assistant", task.responseText()));
        return new Conversation(turns);
    }
}
