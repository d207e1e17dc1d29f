package io.prefstream.sinks.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.RegistryOptions;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.topic.Topic;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.sinks.config.SinkConfig;
import io.prefstream.sinks.iceberg.IcebergSink;
import io.prefstream.sinks.table.Catalogs;

/**
 * One test's world: a topic prefix of its own on the shared broker, the real schema registry, a data
 * directory for the warehouse, and helpers to produce verdicts and read the table back.
 */
public final class SinkFixture implements AutoCloseable {
    private final EmbeddedKafkaBroker broker;
    private final SchemaRegistryServer registry;
    private final Path dataDir;
    private final String prefix = SharedKafkaBroker.uniqueName("sink") + ".";
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Catalog catalog;
    private boolean topicsCreated;

    public SinkFixture(EmbeddedKafkaBroker broker, SchemaRegistryServer registry, Path dataDir) {
        this.broker = broker;
        this.registry = registry;
        this.dataDir = dataDir;
    }

    /** A registry server on the shared broker with a schema topic of its own; close it after the class. */
    public static SchemaRegistryServer startRegistry(EmbeddedKafkaBroker broker) {
        return SchemaRegistryServer.start(broker.bootstrapServers(), 0,
            RegistryOptions.defaults().withTopic(SharedKafkaBroker.uniqueName("_schemas")));
    }

    /** The settings of this world plus {@code overrides}. */
    public Map<String, String> settings(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put("schema.registry.url", registry.url());
        settings.put("topic.prefix", prefix);
        settings.put("topic.partitions", "3");
        settings.put(SinkConfig.DATA_DIR, dataDir.toString());
        settings.putAll(overrides);
        return settings;
    }

    public SinkConfig config(Map<String, String> overrides) {
        return new SinkConfig(settings(overrides));
    }

    /** The topics of this world, created on the broker. */
    public Topics topics() {
        Topics topics = Topics.from(config(Map.of()));
        if (!topicsCreated) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                topics.createMissing(admin, Duration.ofSeconds(30));
            }
            topicsCreated = true;
        }
        return topics;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Catalog catalog() {
        if (catalog == null) {
            catalog = Catalogs.open(config(Map.of()));
        }
        return catalog;
    }

    /** The dataset table (created if missing), freshly loaded. */
    public Table table() {
        return Catalogs.loadOrCreate(catalog(), config(Map.of()).getString(SinkConfig.TABLE));
    }

    /** A sink of pairs.curated with these settings; closed with the fixture. */
    public IcebergSink curatedSink(Map<String, String> overrides) {
        SinkConfig config = config(overrides);
        Topics topics = Topics.from(config);
        IcebergSink sink = new IcebergSink(config, topics, topics.pairsCurated(),
            Catalogs.loadOrCreate(Catalogs.open(config), config.getString(SinkConfig.TABLE)), Clock.systemUTC());
        closeables.add(sink);
        return sink;
    }

    /**
     * Sends {@code values} keyed by {@code key} in transactions of {@code perTransaction} records, as the
     * exactly-once stream stages do; when {@code abortedCopy} is true each transaction's records are first
     * sent once in a transaction that is aborted (a read_committed reader must never see those).
     */
    public <V> void produce(Topic<String, V> topic, List<V> values, java.util.function.Function<V, String> key,
                            int perTransaction, boolean abortedCopy) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-" + UUID.randomUUID());
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(properties, topic.keySerde().serializer(),
            topic.valueSerde().serializer())) {
            producer.initTransactions();
            for (int from = 0; from < values.size(); from += perTransaction) {
                List<V> chunk = values.subList(from, Math.min(values.size(), from + perTransaction));
                if (abortedCopy) {
                    producer.beginTransaction();
                    chunk.forEach(v -> producer.send(new ProducerRecord<>(topic.name(), key.apply(v), v)));
                    producer.flush();
                    producer.abortTransaction();
                }
                producer.beginTransaction();
                chunk.forEach(v -> producer.send(new ProducerRecord<>(topic.name(), key.apply(v), v)));
                producer.commitTransaction();
            }
        }
    }

    /** Sends raw bytes (a record no deserializer can read) to {@code topic}. */
    public void produceRaw(String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Every row of {@code table} as of its current snapshot. */
    public static List<Record> rows(Table table) {
        table.refresh();
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            records.forEach(record -> rows.add(record.copy()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        if (catalog != null) {
            Catalogs.closeQuietly(catalog);
        }
    }
}
