package io.prefstream.streams.async;

import java.util.Map;

import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams settings every stage that calls inference through an {@link AsyncProcessor}
 * defaults to, where its configuration sets none: {@code processing.guarantee=exactly_once_v2},
 * {@code commit.interval.ms=}{@value #COMMIT_INTERVAL_MS} and {@code max.task.idle.ms=-1}.
 */
public final class AsyncStageDefaults {
    /**
     * Default {@code commit.interval.ms} (Kafka Streams' own default under exactly-once is 100). Each
     * commit is a transaction: markers on every partition written and a flush of the stores' caches.
     * Fewer, larger transactions cost the broker less per pair, and more pending and join entries are
     * created and deleted within one interval, so their versions never reach the changelog (measured in
     * docs/BENCHMARKS.md). The price is latency: read_committed readers see a stage's output up to one
     * interval later (half on average), and after a crash up to one interval of work is redone. Set
     * {@code commit.interval.ms} to trade back.
     */
    public static final long COMMIT_INTERVAL_MS = 500;

    private AsyncStageDefaults() {
    }

    /**
     * Puts the defaults into {@code streamsProperties} where it has no value. Task idling is disabled
     * because every task of these stages reads one partition at a time (no stream-stream or
     * stream-table join): there is nothing to synchronise by timestamp, and Kafka Streams then skips
     * its per-loop idling check (which formats log text eagerly) on every task whose buffer is empty.
     */
    public static void putIfAbsent(Map<? super String, Object> streamsProperties) {
        streamsProperties.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        streamsProperties.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        streamsProperties.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    }
}
