package io.prefstream.consistency;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.prefstream.consistency.scoring.RewardRequest;
import io.prefstream.inference.reward.Conversation;
import io.prefstream.streams.async.AsyncCall;

/**
 * Reward models as a table: the reward of a response text per model name, answered at once (whatever the model version); a text
 * missing from the table fails the call, as an endpoint that gave up would. Counts calls per model.
 */
final class TableRewards implements AsyncCall<RewardRequest, Float> {
    private final Map<String, float[]> bestAndGold;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    /** @param bestAndGold response text to {best reward, gold reward} */
    TableRewards(Map<String, float[]> bestAndGold) {
        this.bestAndGold = bestAndGold;
    }

    @Override
    public CompletableFuture<Float> call(RewardRequest request) {
        calls.computeIfAbsent(request.model().getName(), m -> new AtomicInteger()).incrementAndGet();
        Conversation.Turn last = request.conversation().turns().get(request.conversation().turns().size() - 1);
        float[] rewards = bestAndGold.get(last.content());
        if (rewards == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("endpoint gave up after 3 retries"));
        }
        return CompletableFuture.completedFuture(request.model().getName().equals(Fixtures.BEST.getName()) ? rewards[0] : rewards[1]);
    }

    int calls(String model) {
        AtomicInteger n = calls.get(model);
        return n == null ? 0 : n.get();
    }
}
