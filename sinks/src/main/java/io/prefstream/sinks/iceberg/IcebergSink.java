package io.prefstream.sinks.iceberg;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prefstream.platform.ops.ClientMetrics;
import io.prefstream.schemas.DeadLetter;
import io.prefstream.schemas.Verdict;
import io.prefstream.schemas.topic.DeadLetters;
import io.prefstream.schemas.topic.Topic;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.sinks.config.SinkConfig;
import io.prefstream.sinks.table.SettledPosition;
import io.prefstream.sinks.table.TableOffsets;
import io.prefstream.sinks.table.VerdictRows;

/**
 * Writes a topic of {@link Verdict}s ({@code pairs.curated}, or {@code review.verdicts} for the gold
 * set) into an Iceberg table, exactly once.
 *
 * <p>Positions come from the table, never from a consumer group: on start (and whenever Kafka assigns
 * it a partition) the sink reads the offsets recorded in the table's newest sink snapshot and seeks
 * there. Records read since the last commit are written to Parquet files; every
 * {@code sink.commit.records} records or {@code sink.commit.interval.ms}, whichever comes first, the
 * files are appended in one snapshot whose summary records the next offset of every partition
 * ({@link TableOffsets}). A crash before that commit leaves the files unreferenced (orphans for
 * {@code maintenance}) and the offsets where they were, so the records are read and written again:
 * no row is lost and none is written twice. How concurrent instances stay correct is described in
 * {@link TableCommitter}.
 *
 * <p>When nothing is buffered and the consumer has stepped past the table's offset over control records
 * only (transaction markers, aborted records), the sink commits that position to its consumer group as a
 * hint for {@code prefstream lag} ({@link SettledPosition}); it never reads it back.
 *
 * <p>Its meters ({@code prefstream.sink.*}, see {@link SinkMetrics}) and its consumer's
 * ({@code kafka.consumer.*}) go to the registry given to the constructor.
 *
 * <p>Not thread-safe: one thread calls {@link #run()} (or {@link #start()} and {@link #step()});
 * {@link #stop()} may be called from any thread.
 */
public final class IcebergSink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IcebergSink.class);
    private static final Duration MAX_POLL = Duration.ofMillis(200);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final String STAGE = "sink";

    private final SinkConfig config;
    private final Topic<String, Verdict> topic;
    private final Topic<byte[], DeadLetter> dlq;
    private final Table table;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<Verdict> verdicts;
    private final VerdictRows rows;
    private final TableCommitter committer;
    private final Clock clock;
    private final SinkStats stats = new SinkStats();
    private final Timer commitLatency;
    private final KafkaClientMetrics consumerMetrics;
    /** Partition to the table's next offset as this instance last saw it (-1: nothing recorded yet). */
    private final Map<Integer, Long> tablePositions = new HashMap<>();
    /** Partition to the offset after the last record polled, or where it was last sought to (-1: beginning). */
    private final Map<Integer, Long> readNext = new HashMap<>();
    /** Partition to the last settled position committed to the group as a hint for lag. */
    private final Map<Integer, Long> hinted = new HashMap<>();
    private KafkaProducer<byte[], DeadLetter> dlqProducer;
    private PendingBatch batch;
    private boolean started;
    private boolean closed;
    private RuntimeException failure;
    private volatile boolean stopping;

    /** A sink whose meters are kept in memory only (embedded use, tests). */
    public IcebergSink(SinkConfig config, Topics topics, Topic<String, Verdict> topic, Table table, Clock clock) {
        this(config, topics, topic, table, clock, new SimpleMeterRegistry());
    }

    /**
     * A sink from {@code topic} (one of {@code topics}) into {@code table}, which must have the
     * {@link io.prefstream.sinks.table.VerdictTableSchema} layout, with its meters in {@code metrics}.
     */
    public IcebergSink(SinkConfig config, Topics topics, Topic<String, Verdict> topic, Table table, Clock clock,
                       MeterRegistry metrics) {
        this.config = config;
        this.topic = topic;
        this.dlq = topics.dlq(topic);
        this.table = table;
        this.clock = clock;
        this.verdicts = topic.valueSerde().deserializer();
        this.rows = new VerdictRows(table.schema());
        String instance = config.instanceId();
        this.committer = new TableCommitter(table, topic.name(), instance, config.commitMaxAttempts());
        this.consumer = new KafkaConsumer<>(consumerProperties(config, topic.name()), new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
        this.batch = new PendingBatch(table, config.targetFileSizeBytes());
        this.commitLatency = SinkMetrics.register(metrics, table.name(), stats);
        this.consumerMetrics = ClientMetrics.bind(consumer, metrics);
    }

    private static Map<String, Object> consumerProperties(SinkConfig config, String topicName) {
        Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // never jump silently: a table offset outside the topic's range (topic recreated or truncated by
        // retention) must stop the sink rather than re-read from 0 (duplicates) or skip ahead (loss)
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        properties.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(500, config.commitRecords()));
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG,
            "prefstream-sink-" + config.instanceId() + "-" + topicName);
        // shares partitions when sink.partitions is empty; in both modes it receives the settled-position hints
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId(topicName));
        return properties;
    }

    public SinkStats stats() {
        return stats;
    }

    public Table table() {
        return table;
    }

    /** Runs until {@link #stop()}; then commits what was read and returns. */
    public void run() {
        start();
        try {
            while (!stopping) {
                step();
            }
        } catch (WakeupException e) {
            if (!stopping) {
                throw e;
            }
        }
        commit();
    }

    /**
     * Runs until every partition this instance reads is in the table up to the end offsets seen when the
     * partition was first assigned (the last stable offsets, as the consumer reads committed data only).
     * Returns false if {@code timeout} passed first; what was read is committed either way.
     */
    public boolean runUntilCaughtUp(Duration timeout) {
        start();
        long deadline = clock.millis() + timeout.toMillis();
        Map<TopicPartition, Long> targets = new HashMap<>();
        try {
            while (!stopping && clock.millis() < deadline) {
                step();
                Set<TopicPartition> assigned = consumer.assignment();
                if (assigned.isEmpty()) {
                    continue;
                }
                List<TopicPartition> unknown = assigned.stream().filter(tp -> !targets.containsKey(tp)).toList();
                if (!unknown.isEmpty()) {
                    targets.putAll(consumer.endOffsets(unknown));
                }
                if (reached(assigned, targets)) {
                    commit();
                    // a commit that found stale slices moved positions back: then keep reading
                    if (batch.isEmpty() && reached(assigned, targets)) {
                        return true;
                    }
                }
            }
        } catch (WakeupException e) {
            if (!stopping) {
                throw e;
            }
        }
        commit();
        return false;
    }

    private boolean reached(Set<TopicPartition> assigned, Map<TopicPartition, Long> targets) {
        for (TopicPartition tp : assigned) {
            if (consumer.position(tp) < targets.get(tp)) {
                return false;
            }
        }
        return true;
    }

    /** Asks {@link #run()} or {@link #runUntilCaughtUp} to commit and return; callable from any thread. */
    public void stop() {
        stopping = true;
        consumer.wakeup();
    }

    /** Creates the topic if missing and joins the group or assigns the configured partitions. Idempotent. */
    public void start() {
        checkNotFailed();
        if (started) {
            return;
        }
        started = true;
        ensureTopics();
        if (config.partitions().isEmpty()) {
            consumer.subscribe(List.of(topic.name()), new Rebalance());
            log.info("sink {} -> {}: joining group {}", topic, table.name(), config.groupId(topic.name()));
        } else {
            List<TopicPartition> partitions = configuredPartitions();
            consumer.assign(partitions);
            seekToTable(partitions);
            log.info("sink {} -> {}: reading partitions {}", topic, table.name(), partitions);
        }
    }

    /** One poll: writes what it returns and commits if N records or T seconds are reached. */
    public void step() {
        start();
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(pollTimeout());
        } catch (OffsetOutOfRangeException e) {
            throw new IllegalStateException("the offsets recorded in " + table.name() + " are outside the range of "
                + topic + " " + e.offsetOutOfRangePartitions() + ": was the topic recreated, or did retention delete "
                + "records the table never got? Nothing was written; fix the topic or the table before restarting", e);
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
            handle(record);
        }
        if (commitDue()) {
            commit();
        }
        if (batch.isEmpty()) {
            publishSettledPositions();
        }
    }

    /**
     * Commits, as a hint for {@code lag}, the consumer position of every partition whose records read so far
     * are all in the table while the consumer has moved past the table's offset: only control records lie
     * in between. Asynchronous and best effort: a failed hint is sent again on a later step.
     */
    private void publishSettledPositions() {
        Map<TopicPartition, OffsetAndMetadata> settled = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            Long tableNext = tablePositions.get(tp.partition());
            if (tableNext == null || !tableNext.equals(readNext.get(tp.partition()))) {
                continue; // records read that the table does not hold (yet): the table's offset is the position
            }
            long position;
            try {
                position = consumer.position(tp, Duration.ZERO);
            } catch (org.apache.kafka.common.errors.TimeoutException unknownYet) {
                continue; // a reset to the log start is still in flight
            }
            if (position > tableNext && position > hinted.getOrDefault(tp.partition(), -1L)) {
                settled.put(tp, SettledPosition.hint(position, tableNext));
            }
        }
        if (settled.isEmpty()) {
            return;
        }
        settled.forEach((tp, offset) -> hinted.put(tp.partition(), offset.offset()));
        consumer.commitAsync(settled, (offsets, error) -> {
            if (error != null) {
                log.debug("settled positions {} not committed to the group, retried later: {}", offsets, error.toString());
                offsets.keySet().forEach(tp -> hinted.remove(tp.partition()));
            }
        });
    }

    private Duration pollTimeout() {
        if (batch.isEmpty()) {
            return MAX_POLL;
        }
        long remaining = batch.firstRecordAtMillis() + config.commitInterval().toMillis() - clock.millis();
        return Duration.ofMillis(Math.max(0, Math.min(remaining, MAX_POLL.toMillis())));
    }

    private boolean commitDue() {
        return !batch.isEmpty() && (batch.records() >= config.commitRecords()
            || clock.millis() - batch.firstRecordAtMillis() >= config.commitInterval().toMillis());
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        stats.recordsRead.incrementAndGet();
        readNext.put(record.partition(), record.offset() + 1);
        Record row = null;
        if (record.value() == null) {
            stats.tombstones.incrementAndGet();
        } else {
            try {
                Verdict verdict = verdicts.deserialize(record.topic(), record.headers(), record.value());
                row = rows.row(verdict, record.topic(), record.partition(), record.offset());
            } catch (RuntimeException e) {
                deadLetter(record, e);
            }
        }
        batch.add(record.partition(), tablePositions.getOrDefault(record.partition(), -1L), record.offset(), row,
            clock.millis());
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, RuntimeException error) {
        log.warn("{}-{}@{} cannot be written to the table, sending it to {}: {}", record.topic(), record.partition(),
            record.offset(), dlq.name(), error.toString());
        if (dlqProducer == null) {
            Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            dlqProducer = new KafkaProducer<>(properties, dlq.keySerde().serializer(), dlq.valueSerde().serializer());
        }
        DeadLetter letter = DeadLetters.of(record.topic(), record.partition(), record.offset(), record.key(),
            record.value(), STAGE, error, 1, clock.instant());
        dlqProducer.send(new ProducerRecord<>(dlq.name(), record.key(), letter));
        stats.deadLettered.incrementAndGet();
    }

    /** Commits what was read since the last commit (no-op when nothing was). */
    public void commit() {
        checkNotFailed();
        if (batch.isEmpty()) {
            return;
        }
        if (dlqProducer != null) {
            // dead letters must be durable before the table's offsets move past their records
            dlqProducer.flush();
        }
        PendingBatch committing = batch;
        batch = new PendingBatch(table, config.targetFileSizeBytes());
        TableCommitter.Result result;
        long startedNanos = System.nanoTime();
        try {
            result = committer.commit(committing);
            commitLatency.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            // the consumer is past records that may not be in the table: only a restart from the table's
            // offsets is safe now
            failure = e;
            throw e;
        }
        tablePositions.putAll(result.committed());
        stats.conflicts.addAndGet(result.conflicts());
        if (result.snapshotId() != null) {
            stats.commits.incrementAndGet();
            stats.rowsCommitted.addAndGet(result.rows());
            stats.lastSnapshotId.set(result.snapshotId());
            log.debug("committed snapshot {} with {} rows, offsets {}", result.snapshotId(), result.rows(),
                result.committed());
        }
        Set<TopicPartition> assigned = consumer.assignment();
        result.stale().forEach((partition, tableNext) -> {
            stats.staleSlices.incrementAndGet();
            TopicPartition tp = new TopicPartition(topic.name(), partition);
            tablePositions.put(partition, tableNext.orElse(-1));
            if (assigned.contains(tp)) {
                seek(tp, tableNext);
            }
        });
    }

    private void checkNotFailed() {
        if (failure != null) {
            throw new IllegalStateException("sink " + config.instanceId() + " failed to commit and must be "
                + "restarted (it resumes from the table's offsets)", failure);
        }
    }

    private void seekToTable(Collection<TopicPartition> partitions) {
        table.refresh();
        TableOffsets offsets = TableOffsets.current(table, topic.name());
        for (TopicPartition tp : partitions) {
            OptionalLong next = offsets.next(tp.partition());
            tablePositions.put(tp.partition(), next.orElse(-1));
            seek(tp, next);
        }
        log.info("sink {} resumes {} from table offsets {}", config.instanceId(), partitions, offsets);
    }

    private void seek(TopicPartition tp, OptionalLong next) {
        readNext.put(tp.partition(), next.orElse(-1));
        if (next.isPresent()) {
            consumer.seek(tp, next.getAsLong());
        } else {
            consumer.seekToBeginning(List.of(tp));
        }
    }

    private List<TopicPartition> configuredPartitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic.name());
        List<String> wanted = config.partitions();
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : infos) {
            if (wanted.contains("all") || wanted.contains(Integer.toString(info.partition()))) {
                partitions.add(new TopicPartition(topic.name(), info.partition()));
            }
        }
        for (String partition : wanted) {
            if (!partition.equals("all") && partitions.stream().noneMatch(tp -> Integer.toString(tp.partition())
                .equals(partition))) {
                throw new IllegalArgumentException(SinkConfig.PARTITIONS + ": " + topic + " has no partition \""
                    + partition + "\" (it has " + infos.size() + ")");
            }
        }
        return partitions;
    }

    private void ensureTopics() {
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            for (var result : admin.createTopics(List.of(topic.newTopic(), dlq.newTopic())).values().entrySet()) {
                try {
                    result.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    log.info("created topic {}", result.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new KafkaException("cannot create topic " + result.getKey() + ": " + e.getCause(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new KafkaException("timed out creating topics " + topic + ", " + dlq, e);
        }
    }

    /**
     * Releases the consumer and producer. Records read since the last commit are not committed: their
     * files stay behind as orphans, exactly as after a crash, and the next start reads them again.
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        consumerMetrics.close();
        consumer.close();
        if (dlqProducer != null) {
            dlqProducer.close();
        }
    }

    /** Group mode: commit before giving partitions up, drop what was lost, resume new ones from the table. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit();
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            batch.discard(partitions.stream().map(TopicPartition::partition).toList());
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> {
                tablePositions.remove(tp.partition());
                readNext.remove(tp.partition());
                hinted.remove(tp.partition());
            });
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                seekToTable(partitions);
            }
        }
    }
}
