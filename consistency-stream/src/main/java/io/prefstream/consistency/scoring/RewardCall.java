package io.prefstream.consistency.scoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.grpc.Status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.prefstream.inference.client.InferenceException;
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
    /**
     * The statuses that mean the endpoint is unavailable (an open circuit is UNAVAILABLE), not that the request is
     * bad. CANCELLED too: a server that shuts down resets the streams it still has open (RST_STREAM), and this
     * stage cancels calls of its own only when it closes, when their results are dropped anyway.
     */
    private static final Set<Status.Code> OUTAGE = EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
        Status.Code.RESOURCE_EXHAUSTED, Status.Code.CANCELLED);

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

    /**
     * True for a failure that means the reward-model endpoint is unavailable, which is worth retrying
     * until it is back (see {@code consistency.inference.outage.timeout.ms}); the same statuses the
     * labeler's judge retries treat as transient.
     */
    public static boolean isOutage(Throwable failure) {
        return failure instanceof InferenceException inference && OUTAGE.contains(inference.code());
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
