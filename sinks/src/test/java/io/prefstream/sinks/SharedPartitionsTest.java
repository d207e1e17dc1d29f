package io.prefstream.sinks;

import static io.prefstream.sinks.IcebergSinkTest.assertExactlyOnce;
import static io.prefstream.sinks.IcebergSinkTest.assertOffsetsGrowAndEndAt;
import static io.prefstream.sinks.IcebergSinkTest.endOffsets;
import static io.prefstream.sinks.IcebergSinkTest.history;
import static io.prefstream.sinks.IcebergSinkTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.Verdict;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.sinks.config.SinkConfig;
import io.prefstream.sinks.iceberg.IcebergSink;
import io.prefstream.sinks.support.HhRlhfVerdicts;
import io.prefstream.sinks.support.SinkFixture;

/** Several sink instances on one table: overlapping manual assignments, and a consumer group. */
@ExtendWith(SharedKafkaBroker.class)
class SharedPartitionsTest {
    private static SchemaRegistryServer registry;

    @BeforeAll
    static void startRegistry(EmbeddedKafkaBroker broker) {
        registry = SinkFixture.startRegistry(broker);
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void theSecondInstanceToCommitTheSameRecordsDropsItsCopy(EmbeddedKafkaBroker broker, @TempDir Path dir)
        throws Exception {
        try (SinkFixture world = new SinkFixture(broker, registry, dir)) {
            Topics topics = world.topics();
            List<Verdict> verdicts = HhRlhfVerdicts.verdicts(300);
            // one transaction: each partition ends with exactly one commit marker
            world.produce(topics.pairsCurated(), verdicts, v -> v.getPair().getPairId(), 300, false);
            Map<String, String> partitionZero = Map.of(SinkConfig.PARTITIONS, "0",
                SinkConfig.COMMIT_RECORDS, "1000000", SinkConfig.COMMIT_INTERVAL_MS, "3600000");
            IcebergSink a = world.curatedSink(with(partitionZero, SinkConfig.INSTANCE_ID, "a"));
            IcebergSink b = world.curatedSink(with(partitionZero, SinkConfig.INSTANCE_ID, "b"));
            Await.until(Duration.ofSeconds(30), "a reads", () -> {
                a.step();
                return a.stats().recordsRead() > 0;
            });
            Await.until(Duration.ofSeconds(30), "b reads", () -> {
                b.step();
                return b.stats().recordsRead() > 0;
            });
            a.commit();
            b.commit();

            assertThat(a.stats().rowsCommitted()).isEqualTo(a.stats().recordsRead());
            // b started from the same table offsets: its slice no longer starts where the table ends
            assertThat(b.stats().staleSlices()).isEqualTo(1);
            assertThat(b.stats().rowsCommitted()).isZero();
            Table table = world.table();
            assertThat(SinkFixture.rows(table)).hasSize((int) a.stats().rowsCommitted());

            // b was moved to the table's offset: it now writes only what a has not
            Await.until(Duration.ofSeconds(30), "b catches up on partition 0", () -> {
                b.step();
                b.commit();
                return SinkFixture.rows(world.table()).stream()
                    .filter(r -> (int) r.getField("kafka_partition") == 0).count()
                    == endOffsets(broker, topics).get(0) - 1;
            });
            List<Verdict> partitionZeroVerdicts = SinkFixture.rows(world.table()).stream()
                .map(r -> (String) r.getField("pair_id"))
                .map(id -> verdicts.stream().filter(v -> v.getPair().getPairId().equals(id)).findFirst().orElseThrow())
                .toList();
            assertExactlyOnce(SinkFixture.rows(world.table()), partitionZeroVerdicts);
        }
    }

    @Test
    void concurrentInstancesOnAllPartitionsWriteEachRecordExactlyOnce(EmbeddedKafkaBroker broker, @TempDir Path dir)
        throws Exception {
        try (SinkFixture world = new SinkFixture(broker, registry, dir)) {
            Topics topics = world.topics();
            List<Verdict> verdicts = HhRlhfVerdicts.verdicts(900);
            world.produce(topics.pairsCurated(), verdicts, v -> v.getPair().getPairId(), 100, true);
            Map<String, String> settings = Map.of(SinkConfig.PARTITIONS, "all", SinkConfig.COMMIT_RECORDS, "37",
                SinkConfig.COMMIT_INTERVAL_MS, "200", "max.poll.records", "20");
            List<IcebergSink> sinks = List.of(world.curatedSink(with(settings, SinkConfig.INSTANCE_ID, "a")),
                world.curatedSink(with(settings, SinkConfig.INSTANCE_ID, "b")),
                world.curatedSink(with(settings, SinkConfig.INSTANCE_ID, "c")));
            runUntilTableHas(world, sinks, verdicts.size());

            Table table = world.table();
            assertExactlyOnce(SinkFixture.rows(table), verdicts);
            assertOffsetsGrowAndEndAt(history(table), topics.pairsCurated().name(), endOffsets(broker, topics));
            long races = sinks.stream().mapToLong(s -> s.stats().conflicts() + s.stats().staleSlices()).sum();
            assertThat(races).as("commits that met another instance's commit").isPositive();
        }
    }

    @Test
    void instancesInOneConsumerGroupShareThePartitions(EmbeddedKafkaBroker broker, @TempDir Path dir)
        throws Exception {
        try (SinkFixture world = new SinkFixture(broker, registry, dir)) {
            Topics topics = world.topics();
            List<Verdict> verdicts = HhRlhfVerdicts.verdicts(600);
            world.produce(topics.pairsCurated(), verdicts, v -> v.getPair().getPairId(), 100, false);
            Map<String, String> settings = Map.of(SinkConfig.GROUP_ID, SharedKafkaBroker.uniqueName("group"),
                SinkConfig.COMMIT_RECORDS, "50", SinkConfig.COMMIT_INTERVAL_MS, "200");
            List<IcebergSink> sinks = List.of(world.curatedSink(with(settings, SinkConfig.INSTANCE_ID, "a")),
                world.curatedSink(with(settings, SinkConfig.INSTANCE_ID, "b")));
            runUntilTableHas(world, sinks, verdicts.size());
            assertExactlyOnce(SinkFixture.rows(world.table()), verdicts);
        }
    }

    /** Runs every sink on a thread of its own until the table has {@code rows} rows, then stops them. */
    private static void runUntilTableHas(SinkFixture world, List<IcebergSink> sinks, int rows) throws Exception {
        List<Thread> threads = sinks.stream().map(sink -> new Thread(sink::run, "sink")).toList();
        threads.forEach(Thread::start);
        try {
            Await.until(Duration.ofSeconds(90), rows + " rows in the table", () -> totalRecords(world.table()) >= rows);
        } finally {
            sinks.forEach(IcebergSink::stop);
            for (Thread thread : threads) {
                thread.join(30_000);
                assertThat(thread.isAlive()).isFalse();
            }
        }
    }

    private static long totalRecords(Table table) {
        table.refresh();
        return table.currentSnapshot() == null ? 0
            : Long.parseLong(table.currentSnapshot().summary().get("total-records"));
    }
}
