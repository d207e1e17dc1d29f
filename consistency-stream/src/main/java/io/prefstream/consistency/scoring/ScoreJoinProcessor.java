package io.prefstream.consistency.scoring;

import java.time.Instant;
import java.util.Set;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import io.prefstream.schemas.ScoredPair;

/**
 * Joins rewards back by pair: input is one scored or failed {@link ScoringTask} per (response, model),
 * keyed by pair_id, one of which carries the pair; each is added to the changelogged (and cached: the partial versions of an entry that
 * completes within a commit interval never reach the changelog) join store under the pair's input record
 * ({@link ScoringTask#joinKey()}). When the pair is in and both responses have both models' rewards the entry is
 * deleted and one {@link JoinedPair.Scored} is forwarded, keyed by pair_id. The first failed task of a pair
 * is forwarded as {@link JoinedPair.Failed}, once: the pair's other tasks are only counted, and the
 * entry is deleted when all have arrived, so a pair is dead-lettered once and leaves nothing behind.
 */
public final class ScoreJoinProcessor implements Processor<String, ScoringTask, String, JoinedPair> {
    public static final String STORE = "pair-rewards";

    private final RewardModels models;
    private final PairScorer scorer;
    private ProcessorContext<String, JoinedPair> context;
    private KeyValueStore<String, PartialScores> store;

    private ScoreJoinProcessor(RewardModels models) {
        this.models = models;
        this.scorer = new PairScorer(models);
    }

    public static ProcessorSupplier<String, ScoringTask, String, JoinedPair> supplier(RewardModels models) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, ScoringTask, String, JoinedPair> get() {
                return new ScoreJoinProcessor(models);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                    InternalSerdes.partialScores()).withCachingEnabled());
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, JoinedPair> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, ScoringTask> record) {
        ScoringTask task = record.value();
        String key = task.joinKey();
        PartialScores before = store.get(key);
        PartialScores partial = (before == null ? PartialScores.start(task) : before).plus(task);
        boolean firstFailure = task.failure() != null && (before == null || before.failedTasks() == 0);
        if (firstFailure) {
            context.forward(record.withKey(task.pairId()).withValue(new JoinedPair.Failed(task)));
        }
        if (partial.complete(models.both())) {
            store.delete(key);
            ScoredPair scored = scorer.score(partial, Instant.ofEpochMilli(context.currentSystemTimeMs()));
            context.forward(record.withKey(task.pairId()).withValue(new JoinedPair.Scored(scored)));
        } else if (partial.failedTasks() > 0 && partial.allArrived(models.both())) {
            store.delete(key);
        } else {
            store.put(key, partial);
        }
    }
}
