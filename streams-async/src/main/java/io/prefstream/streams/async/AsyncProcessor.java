package io.prefstream.streams.async;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prefstream.schemas.DeadLetter;
import io.prefstream.streams.async.PendingCall.Waiter;

/**
 * Calls a remote service for each record without stalling the stream thread, and without losing or
 * repeating output under {@code exactly_once_v2}. Public Processor API only:
 * <ol>
 *   <li>{@code process()} answers from the memo store when it can; otherwise it appends the record to
 *       the pending entry of its request key in the changelogged pending store and, if no call is in
 *       flight for that key, makes one.</li>
 *   <li>Calls complete on other threads into a queue. The queue is drained only on the stream thread:
 *       by a wall-clock punctuator and at every {@code process()}. Draining a completion forwards one
 *       outcome per waiting record, memoizes the result and deletes the pending entry.</li>
 *   <li>Above the bound (pending records or bytes), {@code process()} blocks while draining, for at most
 *       {@link AsyncSettings#maxBlock()}: backpressure into the consumer.</li>
 *   <li>{@code init()} re-submits every pending entry: after a crash, a rebalance or an aborted
 *       transaction the store holds exactly the committed entries whose outputs were not committed.</li>
 * </ol>
 * Forwarded outputs, pending-store changes and input offsets therefore commit in one transaction. A
 * failed call dead-letters each waiting record ({@link AsyncOutcome.Failure}) instead of failing the task.
 * Outputs leave in completion order, not input order.
 */
final class AsyncProcessor<K, V, Req, R> implements Processor<K, V, K, AsyncOutcome<V, R>> {
    private static final Logger log = LoggerFactory.getLogger(AsyncProcessor.class);
    private static final Duration BLOCK_POLL = Duration.ofMillis(100);
    /** Kafka Streams' own default for its consumers' max.poll.interval.ms. */
    private static final long DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;

    private final AsyncProcessorSupplier<K, V, Req, R> spec;
    private ProcessorContext<K, AsyncOutcome<V, R>> context;
    private KeyValueStore<String, byte[]> pending;
    private KeyValueStore<String, R> memo;
    private AsyncMetrics metrics;
    private Cancellable punctuator;
    /** Completions of the calls made by this incarnation; a new one after each init(). */
    private BlockingQueue<Completion<R>> completions;
    /** The calls in flight, so that closing the task can cancel them. */
    private final Set<CompletableFuture<R>> calls = ConcurrentHashMap.newKeySet();
    private long pendingRecords;
    private long pendingBytes;
    private long inFlight;
    /** Distinguishes several records forwarded from one input offset when there is no request key. */
    private String lastOffsetKey = "";
    private int sameOffsetSequence;

    private record Completion<R>(String key, R result, Throwable error, long startNanos) {
    }

    AsyncProcessor(AsyncProcessorSupplier<K, V, Req, R> spec) {
        this.spec = spec;
    }

    @Override
    public void init(ProcessorContext<K, AsyncOutcome<V, R>> context) {
        this.context = context;
        this.pending = context.getStateStore(spec.pendingStoreName());
        this.memo = spec.memoized() ? context.getStateStore(spec.memoStoreName()) : null;
        this.completions = new LinkedBlockingQueue<>();
        if (metrics != null) {
            metrics.removeGauges();
        }
        this.metrics = new AsyncMetrics(spec.metrics(), spec.name(), context.taskId().toString());
        metrics.gauges(this, p -> p.pendingRecords, p -> p.pendingBytes, p -> p.inFlight);
        warnIfBlockingRisksThePollInterval(context);
        resubmitPending();
        this.punctuator = context.schedule(spec.settings().drainInterval(), PunctuationType.WALL_CLOCK_TIME,
            now -> drainAvailable());
    }

    /** The stream thread stops processing to poll after half of max.poll.interval.ms; blocking must fit well inside. */
    private void warnIfBlockingRisksThePollInterval(ProcessorContext<?, ?> context) {
        Object configured = context.appConfigs().get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
        long maxPollIntervalMs = configured == null ? DEFAULT_MAX_POLL_INTERVAL_MS : Long.parseLong(configured.toString());
        if (spec.settings().maxBlock().toMillis() >= maxPollIntervalMs / 2) {
            log.warn("{}: max block {} ms is not well under half of {}={} ms; a blocked task may be kicked out of the "
                    + "group", spec.name(), spec.settings().maxBlock().toMillis(),
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, maxPollIntervalMs);
        }
    }

    /** Restored entries are calls whose results were never committed: make them again. */
    private void resubmitPending() {
        pendingRecords = 0;
        pendingBytes = 0;
        inFlight = 0;
        try (KeyValueIterator<String, byte[]> entries = pending.all()) {
            while (entries.hasNext()) {
                var entry = entries.next();
                PendingCall call = PendingCall.decode(entry.value);
                account(entry.key, call.waiters().size(), entry.value.length, 1);
                submit(entry.key, call.first());
                metrics.resubmitted.increment();
            }
        }
        if (inFlight > 0) {
            log.info("{} task {}: re-submitted {} pending calls ({} records) after restore", spec.name(),
                context.taskId(), inFlight, pendingRecords);
        }
    }

    @Override
    public void process(Record<K, V> record) {
        drainAvailable();
        Waiter waiter = waiter(record);
        String key = requestKey(record.value(), waiter);
        if (memo != null) {
            R known = memo.get(key);
            if (known != null) {
                metrics.memoHits.increment();
                metrics.forwarded.increment();
                context.forward(record.withValue(new AsyncOutcome.Success<>(record.value(), known, true)));
                return;
            }
        }
        byte[] existing = pending.get(key);
        if (existing != null) {
            PendingCall call = PendingCall.decode(existing);
            if (call.contains(waiter)) {
                return;
            }
            byte[] updated = call.plus(waiter).encode();
            pending.put(key, updated);
            account(key, 1, updated.length - existing.length, 0);
            metrics.coalesced.increment();
        } else {
            byte[] created = PendingCall.of(waiter).encode();
            pending.put(key, created);
            account(key, 1, created.length, 1);
            submit(key, waiter);
            metrics.calls.increment();
        }
        blockWhileOverBound();
    }

    private Waiter waiter(Record<K, V> record) {
        RecordMetadata source = context.recordMetadata().orElse(null);
        String topic = source == null ? "" : source.topic();
        int partition = source == null ? -1 : source.partition();
        long offset = source == null ? -1 : source.offset();
        byte[] key = spec.keySerde().serializer().serialize(spec.pendingStoreName(), record.key());
        byte[] value = spec.valueSerde().serializer().serialize(spec.pendingStoreName(), record.value());
        return new Waiter(key, value, record.timestamp(), topic, partition, offset);
    }

    private String requestKey(V value, Waiter waiter) {
        if (spec.requestKey() != null) {
            return spec.requestKey().apply(value);
        }
        String offsetKey = waiter.topic() + "/" + waiter.partition() + "/" + waiter.offset();
        sameOffsetSequence = offsetKey.equals(lastOffsetKey) ? sameOffsetSequence + 1 : 0;
        lastOffsetKey = offsetKey;
        return offsetKey + "/" + sameOffsetSequence;
    }

    /** Makes the call for {@code key}; whatever happens, exactly one completion reaches the queue. */
    private void submit(String key, Waiter first) {
        BlockingQueue<Completion<R>> queue = completions;
        long start = System.nanoTime();
        CompletableFuture<R> future;
        try {
            V value = spec.valueSerde().deserializer().deserialize(spec.pendingStoreName(), first.value());
            future = spec.call().call(spec.request().apply(value));
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        calls.add(future);
        CompletableFuture<R> call = future;
        future.whenComplete((result, error) -> {
            calls.remove(call);
            queue.add(new Completion<>(key, result, error, start));
        });
    }

    private void drainAvailable() {
        Completion<R> done;
        while ((done = completions.poll()) != null) {
            complete(done);
        }
    }

    private void complete(Completion<R> done) {
        byte[] entry = pending.get(done.key());
        if (entry == null) {
            metrics.staleCompletions.increment();
            return;
        }
        metrics.recordLatency(done.startNanos());
        PendingCall call = PendingCall.decode(entry);
        boolean ok = done.error() == null && done.result() != null;
        if (ok && memo != null) {
            memo.put(done.key(), done.result());
        }
        for (Waiter waiter : call.waiters()) {
            K key = spec.keySerde().deserializer().deserialize(spec.pendingStoreName(), waiter.key());
            V value = spec.valueSerde().deserializer().deserialize(spec.pendingStoreName(), waiter.value());
            AsyncOutcome<V, R> outcome;
            if (ok) {
                outcome = new AsyncOutcome.Success<>(value, done.result(), false);
                metrics.forwarded.increment();
            } else {
                outcome = new AsyncOutcome.Failure<>(value, deadLetter(done, waiter));
                metrics.failed.increment();
            }
            context.forward(new Record<>(key, outcome, waiter.timestamp()));
        }
        pending.delete(done.key());
        account(done.key(), -call.waiters().size(), -entry.length, -1);
    }

    private DeadLetter deadLetter(Completion<R> done, Waiter waiter) {
        Throwable cause = OutageRetry.unwrap(done.error());
        int attempts = 1;
        if (cause instanceof OutageRetry.FailedAttempts failed) {
            attempts = failed.attempts();
            cause = failed.getCause();
        }
        String reason = cause == null ? "the call returned no result"
            : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return DeadLetter.newBuilder()
            .setOriginalKey(waiter.key() == null ? null : ByteBuffer.wrap(waiter.key()))
            .setOriginalValue(waiter.value() == null ? null : ByteBuffer.wrap(waiter.value()))
            .setSourceTopic(waiter.topic())
            .setPartition(waiter.partition())
            .setOffset(waiter.offset())
            .setStage(spec.stage())
            .setErrorClass(cause == null ? NullPointerException.class.getName() : cause.getClass().getName())
            .setMessage(spec.name() + " call for request " + done.key() + " failed: " + reason)
            .setAttempts(attempts)
            .setTimestamp(Instant.ofEpochMilli(context.currentSystemTimeMs()))
            .build();
    }

    private void blockWhileOverBound() {
        if (!overBound()) {
            return;
        }
        AsyncSettings settings = spec.settings();
        long start = System.nanoTime();
        long deadline = start + settings.maxBlock().toNanos();
        try {
            while (overBound()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    metrics.blockTimeouts.increment();
                    log.warn("{} task {}: still {} records / {} bytes pending after blocking {} ms; continuing over "
                            + "the bound (is the inference endpoint down?)", spec.name(), context.taskId(),
                        pendingRecords, pendingBytes, settings.maxBlock().toMillis());
                    return;
                }
                Completion<R> done = completions.poll(Math.min(remaining, BLOCK_POLL.toNanos()), TimeUnit.NANOSECONDS);
                if (done != null) {
                    complete(done);
                    drainAvailable();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            metrics.blocked.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private boolean overBound() {
        AsyncSettings settings = spec.settings();
        return pendingRecords >= settings.maxPendingRecords() || pendingBytes >= settings.maxPendingBytes();
    }

    private void account(String key, long records, long valueBytes, long calls) {
        long keyBytes = calls == 0 ? 0 : calls * (long) key.length();
        pendingRecords += records;
        pendingBytes += valueBytes + keyBytes;
        inFlight += calls;
    }

    @Override
    public void close() {
        if (punctuator != null) {
            punctuator.cancel();
        }
        if (metrics != null) {
            metrics.removeGauges();
        }
        // Calls still in flight are cancelled (a call riding out an outage stops retrying) and complete
        // into a queue nobody drains: their entries stay in the pending store and are re-submitted by
        // whichever task owns the partition next.
        completions = new LinkedBlockingQueue<>();
        calls.forEach(call -> call.cancel(false));
    }
}
