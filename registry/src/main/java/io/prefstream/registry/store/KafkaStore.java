package io.prefstream.registry.store;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import io.prefstream.registry.Errors;
import io.prefstream.registry.RegistryException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A log-backed store, like Confluent's {@code KafkaStore}: every change is a record of one
 * compacted, single-partition topic; one reader thread consumes that topic from the beginning and
 * hands each record to a sink, which is the only way state changes.
 *
 * <p>{@link #put} returns only after the record was acknowledged by every in-sync replica
 * (acks=all, idempotent producer) <em>and</em> the reader applied it, so the writer reads its own
 * writes. One process writes; see the README.
 */
public final class KafkaStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaStore.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long METADATA_RETRY_MS = 50;

    private final String topic;
    private final TopicPartition partition;
    private final Map<String, Object> clientProperties;
    private final Duration timeout;
    private final BiConsumer<String, String> sink;

    private KafkaConsumer<String, String> consumer;
    private KafkaProducer<String, String> producer;
    private Thread reader;
    private volatile boolean running;
    private volatile RuntimeException readerFailure;
    /** Guards {@link #appliedUpTo}; separate from the write lock so the reader never waits for a writer. */
    private final Object progress = new Object();
    private long appliedUpTo;
    /** Set when a write failed: records of that write may still land, so catch up before the next one. */
    private volatile boolean mustResync;

    /**
     * @param clientProperties Kafka client settings (bootstrap.servers, security, ...) for the admin client,
     *                         producer and consumer
     * @param timeout          how long one write, or the initial catch-up, may take before it fails
     * @param sink             receives every record, key and value (null for a tombstone), in log order
     */
    public KafkaStore(String topic, Map<String, Object> clientProperties, Duration timeout, BiConsumer<String, String> sink) {
        this.topic = topic;
        this.partition = new TopicPartition(topic, 0);
        this.clientProperties = Map.copyOf(clientProperties);
        this.timeout = timeout;
        this.sink = sink;
    }

    /** Creates the topic if missing, then reads it to its end before returning. */
    public void start() {
        ensureTopic();
        consumer = new KafkaConsumer<>(consumerProperties(), new StringDeserializer(), new StringDeserializer());
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
        producer = newProducer();
        running = true;
        reader = new Thread(this::readLoop, "registry-store-reader-" + topic);
        reader.setDaemon(true);
        reader.start();
        awaitApplied(end, "reading " + topic + " to its end (offset " + end + ")");
        log.info("schema store {} loaded: {} records", topic, end);
    }

    /**
     * Writes one record and waits until the reader applied it. {@code value} null writes a tombstone.
     *
     * @throws RegistryException 50001 if the write or the read-back fails or times out
     */
    public synchronized void put(String key, String value) {
        resyncIfNeeded();
        long offset = produce(key, value);
        awaitApplied(offset + 1, "reading back offset " + offset + " of " + topic);
    }

    /**
     * After a failed write, writes a marker and waits for it: every record of the failed write that
     * reached the log is then applied, so the next write computes ids and versions from the truth.
     */
    public synchronized void resyncIfNeeded() {
        if (mustResync) {
            long offset = produce(StoreRecords.encodeKey(new StoreRecords.NoopKey()), null);
            awaitApplied(offset + 1, "catching up with " + topic + " after a failed write");
            mustResync = false;
        }
    }

    private long produce(String key, String value) {
        try {
            return producer.send(new ProducerRecord<>(topic, 0, key, value))
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failedWrite("interrupted while writing to " + topic, e);
        } catch (ExecutionException e) {
            throw failedWrite("writing to " + topic + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw failedWrite("writing to " + topic + " timed out after " + timeout.toMillis() + " ms", e);
        } catch (RuntimeException e) {
            throw failedWrite("writing to " + topic + " failed", e);
        }
    }

    /** Drops the producer (and any batch it still holds) so a late retry cannot land after the caller gave up. */
    private RegistryException failedWrite(String what, Throwable cause) {
        mustResync = true;
        producer.close(Duration.ZERO);
        producer = newProducer();
        return Errors.storeError(what, cause);
    }

    private void awaitApplied(long offset, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (appliedUpTo < offset) {
                if (readerFailure != null) {
                    throw Errors.storeError("the store reader stopped", readerFailure);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    mustResync = true;
                    throw Errors.storeError(what + " timed out after " + timeout.toMillis() + " ms", null);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw Errors.storeError("interrupted while " + what, e);
                }
            }
        }
    }

    private void readLoop() {
        try {
            while (running) {
                try {
                    for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                        sink.accept(record.key(), record.value());
                    }
                    long position = consumer.position(partition);
                    synchronized (progress) {
                        appliedUpTo = position;
                        progress.notifyAll();
                    }
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    // The broker is unreachable for now; keep the state we have and try again.
                    log.warn("schema store reader of {} cannot reach the broker: {}", topic, e.getMessage());
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            log.error("schema store reader of {} stopped", topic, e);
            readerFailure = e;
            synchronized (progress) {
                progress.notifyAll();
            }
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void ensureTopic() {
        Map<String, Object> adminProperties = new HashMap<>(clientProperties);
        adminProperties.put(AdminClientConfig.CLIENT_ID_CONFIG, "prefstream-registry-admin");
        try (Admin admin = Admin.create(adminProperties)) {
            NewTopic newTopic = new NewTopic(topic, Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                log.info("created schema topic {} (compacted, 1 partition)", topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            TopicDescription description = describeOnceKnown(admin);
            if (description.partitions().size() != 1) {
                throw new IllegalStateException("schema topic " + topic + " must have exactly 1 partition (it keeps a "
                    + "total order of changes) but has " + description.partitions().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.storeError("interrupted while preparing topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw Errors.storeError("cannot create or describe topic " + topic, e.getCause() == null ? e : e.getCause());
        }
    }

    /** A topic just created may not be in the broker's metadata yet: ask again until the store timeout. */
    private TopicDescription describeOnceKnown(Admin admin)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return admin.describeTopics(Set.of(topic)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(METADATA_RETRY_MS);
            }
        }
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> properties = new HashMap<>(clientProperties);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "prefstream-registry-reader");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return properties;
    }

    private KafkaProducer<String, String> newProducer() {
        Map<String, Object> properties = new HashMap<>(clientProperties);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "prefstream-registry-writer");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    /** Why the reader thread stopped for good, or null while it runs: the store then serves stale state. */
    public RuntimeException readerFailure() {
        return readerFailure;
    }

    @Override
    public void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (reader != null) {
            try {
                reader.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (consumer != null) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
        synchronized (this) {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
                producer = null;
            }
        }
    }
}
