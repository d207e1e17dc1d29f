package io.prefstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.DeadLetter;
import io.prefstream.schemas.Verdict;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.sinks.config.SinkConfig;
import io.prefstream.sinks.iceberg.IcebergSink;
import io.prefstream.sinks.support.HhRlhfVerdicts;
import io.prefstream.sinks.support.SinkFixture;
import io.prefstream.sinks.support.TopicContents;
import io.prefstream.sinks.table.TableOffsets;

@ExtendWith(SharedKafkaBroker.class)
class IcebergSinkTest {
    private static SchemaRegistryServer registry;

    @BeforeAll
    static void startRegistry(EmbeddedKafkaBroker broker) {
        registry = SinkFixture.startRegistry(broker);
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private static final Map<String, String> MANUAL_ALL = Map.of(SinkConfig.PARTITIONS, "all");

    @Test
    void commitsEveryNRecordsAndResumesFromTheTableNotTheGroup(EmbeddedKafkaBroker broker, @TempDir Path dir)
        throws Exception {
        try (SinkFixture world = new SinkFixture(broker, registry, dir)) {
            Topics topics = world.topics();
            List<Verdict> verdicts = HhRlhfVerdicts.verdicts(700);
            world.produce(topics.pairsCurated(), verdicts.subList(0, 500), v -> v.getPair().getPairId(), 50, true);

            IcebergSink first = world.curatedSink(with(MANUAL_ALL, SinkConfig.COMMIT_RECORDS, "100",
                SinkConfig.COMMIT_INTERVAL_MS, "3600000"));
            assertThat(first.runUntilCaughtUp(Duration.ofSeconds(60))).isTrue();
            first.close();

            Table table = world.table();
            List<Snapshot> snapshots = history(table);
            // 500 records, a commit whenever 100 were read: five snapshots of at most 100 rows each
            assertThat(snapshots).hasSize(5);
            for (Snapshot snapshot : snapshots) {
                assertThat(Long.parseLong(snapshot.summary().get("added-records"))).isBetween(1L, 100L);
            }
            assertOffsetsGrowAndEndAt(snapshots, topics.pairsCurated().name(), endOffsets(broker, topics));
            assertExactlyOnce(SinkFixture.rows(table), verdicts.subList(0, 500));

            world.produce(topics.pairsCurated(), verdicts.subList(500, 700), v -> v.getPair().getPairId(), 50, false);
            IcebergSink second = world.curatedSink(with(MANUAL_ALL, SinkConfig.COMMIT_RECORDS, "100",
                SinkConfig.COMMIT_INTERVAL_MS, "3600000"));
            assertThat(second.runUntilCaughtUp(Duration.ofSeconds(60))).isTrue();
            // no group offsets exist (manual assignment, nothing committed to Kafka): only the table can
            // have told the second sink to skip the first 500
            assertThat(second.stats().recordsRead()).isEqualTo(200);
            assertExactlyOnce(SinkFixture.rows(world.table()), verdicts);
        }
    }

    @Test
    void commitsAfterTheIntervalWhenFewerThanNRecordsArrive(EmbeddedKafkaBroker broker, @TempDir Path dir)
        throws Exception {
        try (SinkFixture world = new SinkFixture(broker, registry, dir)) {
            Topics topics = world.topics();
            List<Verdict> verdicts = HhRlhfVerdicts.verdicts(20);
            IcebergSink sink = world.curatedSink(with(MANUAL_ALL, SinkConfig.COMMIT_RECORDS, "1000000",
                SinkConfig.COMMIT_INTERVAL_MS, "300"));
            Thread runner = new Thread(sink::run, "sink");
            runner.start();
            try {
                world.produce(topics.pairsCurated(), verdicts, v -> v.getPair().getPairId(), 20, false);
                // far fewer than N records: only the interval can trigger this commit, and the sink is still running
                Await.until(Duration.ofSeconds(30), "a commit by time", () -> sink.stats().rowsCommitted() == 20);
                assertThat(runner.isAlive()).isTrue();
                assertExactlyOnce(SinkFixture.rows(world.table()), verdicts);
            } finally {
                sink.stop();
                runner.join(30_000);
            }
        }
    }

    @Test
    void abruptStopLosesNothingAndDuplicatesNothing(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        try (SinkFixture world = new SinkFixture(broker, registry, dir)) {
            Topics topics = world.topics();
            List<Verdict> verdicts = HhRlhfVerdicts.verdicts(300);
            world.produce(topics.pairsCurated(), verdicts, v -> v.getPair().getPairId(), 30, true);

            IcebergSink crashing = world.curatedSink(with(MANUAL_ALL, SinkConfig.COMMIT_RECORDS, "60",
                SinkConfig.COMMIT_INTERVAL_MS, "3600000", ConsumerConfigKeys.MAX_POLL_RECORDS, "25"));
            crashing.start();
            Await.until(Duration.ofSeconds(30), "two commits", () -> {
                crashing.step();
                return crashing.stats().commits() >= 2;
            });
            long committedBeforeCrash = crashing.stats().rowsCommitted();
            // read some more without reaching N: a batch with open data files is pending when it "crashes"
            long readAtCommit = crashing.stats().recordsRead();
            Await.until(Duration.ofSeconds(30), "an uncommitted batch", () -> {
                crashing.step();
                return crashing.stats().recordsRead() > readAtCommit;
            });
            assertThat(crashing.stats().rowsCommitted()).isEqualTo(committedBeforeCrash);
            crashing.close(); // no final commit: what a kill does

            assertThat(SinkFixture.rows(world.table())).hasSize((int) committedBeforeCrash);
            IcebergSink restarted = world.curatedSink(MANUAL_ALL);
            assertThat(restarted.runUntilCaughtUp(Duration.ofSeconds(60))).isTrue();
            assertThat(restarted.stats().recordsRead()).isEqualTo(300 - committedBeforeCrash);
            assertExactlyOnce(SinkFixture.rows(world.table()), verdicts);
        }
    }

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicAndTheRestToTheTable(EmbeddedKafkaBroker broker, @TempDir Path dir)
        throws Exception {
        try (SinkFixture world = new SinkFixture(broker, registry, dir)) {
            Topics topics = world.topics();
            List<Verdict> verdicts = HhRlhfVerdicts.verdicts(30);
            world.produce(topics.pairsCurated(), verdicts.subList(0, 15), v -> v.getPair().getPairId(), 15, false);
            world.produceRaw(topics.pairsCurated().name(), "poison", "not avro".getBytes(StandardCharsets.UTF_8));
            world.produce(topics.pairsCurated(), verdicts.subList(15, 30), v -> v.getPair().getPairId(), 15, false);

            IcebergSink sink = world.curatedSink(MANUAL_ALL);
            assertThat(sink.runUntilCaughtUp(Duration.ofSeconds(60))).isTrue();
            assertThat(sink.stats().deadLettered()).isEqualTo(1);
            assertExactlyOnce(SinkFixture.rows(world.table()), verdicts);
            var letters = TopicContents.read(broker, topics.dlq(topics.pairsCurated()));
            assertThat(letters).hasSize(1);
            DeadLetter letter = letters.get(0).value();
            assertThat(letter.getStage()).isEqualTo("sink");
            assertThat(StandardCharsets.UTF_8.decode(letter.getOriginalValue()).toString()).isEqualTo("not avro");
            assertThat(letter.getMessage()).isNotBlank();

            // the poison record is behind the table's offsets: a restart does not dead-letter it again
            IcebergSink restarted = world.curatedSink(MANUAL_ALL);
            assertThat(restarted.runUntilCaughtUp(Duration.ofSeconds(60))).isTrue();
            assertThat(restarted.stats().recordsRead()).isZero();
        }
    }

    @Test
    void refusesToResumeFromATableItCannotPlaceOnTheTopic(EmbeddedKafkaBroker broker, @TempDir Path dir)
        throws Exception {
        try (SinkFixture world = new SinkFixture(broker, registry, dir)) {
            Topics topics = world.topics();
            List<Verdict> verdicts = HhRlhfVerdicts.verdicts(30);
            world.produce(topics.pairsCurated(), verdicts, v -> v.getPair().getPairId(), 30, false);
            assertThat(world.curatedSink(MANUAL_ALL).runUntilCaughtUp(Duration.ofSeconds(60))).isTrue();

            // the topic is deleted and created again, empty: the table's offsets are past its end
            String name = topics.pairsCurated().name();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.deleteTopics(List.of(name)).all().get();
                Await.until(Duration.ofSeconds(30), "topic recreated", () -> {
                    try {
                        admin.createTopics(List.of(topics.pairsCurated().newTopic())).all().get();
                        return true;
                    } catch (Exception stillDeleting) {
                        return false;
                    }
                });
            }
            IcebergSink lost = world.curatedSink(MANUAL_ALL);
            assertThatThrownBy(() -> lost.runUntilCaughtUp(Duration.ofSeconds(60)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside the range of " + name)
                .hasMessageContaining("was the topic recreated");

            // a sink of another topic into the same table finds rows but no offsets of its topic
            SinkConfig other = world.config(with(MANUAL_ALL, "topic.prefix", "other-" + name + "."));
            Topics otherTopics = Topics.from(other);
            IcebergSink stranger = new IcebergSink(other, otherTopics, otherTopics.pairsCurated(), world.table(),
                java.time.Clock.systemUTC());
            try {
                assertThatThrownBy(stranger::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("has rows but no snapshot in its history records offsets of other-");
            } finally {
                stranger.close();
            }
            assertThat(SinkFixture.rows(world.table())).hasSize(30);
        }
    }

    static Map<String, String> with(Map<String, String> base, String... keyValues) {
        Map<String, String> merged = new java.util.HashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            merged.put(keyValues[i], keyValues[i + 1]);
        }
        return merged;
    }

    /** The table's snapshots, oldest first. */
    static List<Snapshot> history(Table table) {
        table.refresh();
        List<Snapshot> snapshots = new ArrayList<>();
        table.snapshots().forEach(snapshots::add);
        snapshots.sort(java.util.Comparator.comparingLong(Snapshot::sequenceNumber));
        return snapshots;
    }

    static Map<Integer, Long> endOffsets(EmbeddedKafkaBroker broker, Topics topics) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
            Map.of("bootstrap.servers", broker.bootstrapServers(), "isolation.level", "read_committed"),
            new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            String topic = topics.pairsCurated().name();
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().partition(), Map.Entry::getValue));
        }
    }

    /** Every snapshot records offsets for the topic; they never go back, and the last ones are the end offsets. */
    static void assertOffsetsGrowAndEndAt(List<Snapshot> snapshots, String topic, Map<Integer, Long> end) {
        Map<Integer, Long> previous = Map.of();
        for (Snapshot snapshot : snapshots) {
            Map<Integer, Long> offsets = TableOffsets.recordedIn(snapshot, topic);
            assertThat(offsets).as("offsets in snapshot %s", snapshot.snapshotId()).isNotEmpty();
            for (var entry : previous.entrySet()) {
                assertThat(offsets.get(entry.getKey())).isGreaterThanOrEqualTo(entry.getValue());
            }
            previous = offsets;
        }
        // the last offset of each partition may be a transaction marker after the last record
        for (var entry : end.entrySet()) {
            assertThat(previous.get(entry.getKey())).isBetween(entry.getValue() - 1, entry.getValue());
        }
    }

    /** The table holds each verdict exactly once, and each Kafka record exactly once. */
    static void assertExactlyOnce(List<Record> rows, List<Verdict> expected) {
        Set<String> positions = new HashSet<>();
        for (Record row : rows) {
            positions.add(row.getField("kafka_partition") + "@" + row.getField("kafka_offset"));
        }
        assertThat(positions).as("distinct Kafka positions").hasSize(rows.size());
        assertThat(rows.stream().map(r -> (String) r.getField("pair_id")).toList())
            .containsExactlyInAnyOrderElementsOf(expected.stream().map(v -> v.getPair().getPairId()).toList());
    }

    /** Consumer keys the tests override through the sink's pass-through settings. */
    static final class ConsumerConfigKeys {
        static final String MAX_POLL_RECORDS = "max.poll.records";
    }
}
