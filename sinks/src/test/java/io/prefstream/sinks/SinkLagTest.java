package io.prefstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.prefstream.ops.Condition;
import io.prefstream.ops.LagEvaluator;
import io.prefstream.ops.LagMonitor;
import io.prefstream.ops.LagReport;
import io.prefstream.ops.PartitionEvaluation;
import io.prefstream.ops.PositionSource;
import io.prefstream.ops.StageLag;
import io.prefstream.ops.Status;
import io.prefstream.platform.config.PrefStreamConfig;
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
import io.prefstream.sinks.table.SinkPositionSource;

/**
 * The sink as {@code prefstream lag} sees it, on a topic written by transactional producers (commit
 * markers and aborted records after the last record the table holds): caught up and idle it shows lag 0
 * and OK, appears once (its consumer group is not a stage of its own), and stopped with records pending it
 * shows exactly what is pending and goes STALLED.
 */
@ExtendWith(SharedKafkaBroker.class)
class SinkLagTest {
    private static final int WINDOW = 3;
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
    void caughtUpIdleSinkHasLagZeroAndAStoppedSinkShowsWhatIsPending(EmbeddedKafkaBroker broker, @TempDir Path dir)
        throws Exception {
        String groupPrefix = SharedKafkaBroker.uniqueName("lagview") + "-";
        Map<String, String> overrides = Map.of(SinkConfig.COMMIT_INTERVAL_MS, "200",
            SinkConfig.GROUP_ID, groupPrefix + "sink");
        try (SinkFixture world = new SinkFixture(broker, registry, dir.resolve("data"));
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Topics topics = world.topics();
            String topic = topics.pairsCurated().name();
            List<Verdict> verdicts = HhRlhfVerdicts.verdicts(60);
            // 4 committed transactions of 10, each preceded by an aborted copy: markers and aborted records
            world.produce(topics.pairsCurated(), verdicts.subList(0, 40), v -> v.getPair().getPairId(), 10, true);

            List<PositionSource> sources = SinkPositionSource.sources(new PrefStreamConfig(world.settings(overrides)));
            // every group under the prefix is a stage, so the sink's group would show if it were not hidden
            LagMonitor monitor = LagMonitor.forPrefix(admin, groupPrefix, sources, new LagEvaluator(WINDOW),
                Duration.ofSeconds(15));

            IcebergSink sink = world.curatedSink(overrides);
            Thread running = new Thread(sink::run, "sink");
            running.start();
            try {
                Await.until(Duration.ofSeconds(60), "40 rows in the table", () -> sink.stats().rowsCommitted() == 40);
                LagReport caughtUp = Await.until(Duration.ofSeconds(30), "the idle sink at lag 0",
                    monitor::sample, report -> report.stage("sink").lag() == 0);
                for (int i = 1; i < WINDOW; i++) {
                    caughtUp = monitor.sample(); // a full window: still OK, not judged stalled
                }
                assertThat(caughtUp.stages()).extracting(StageLag::stage).as("the sink appears once").containsExactly("sink");
                StageLag stage = caughtUp.stage("sink");
                assertThat(stage.kind()).isEqualTo(StageLag.POSITION_SOURCE);
                assertThat(stage.status()).isEqualTo(Status.OK);
                assertThat(stage.condition()).isEqualTo(Condition.CAUGHT_UP);
                assertThat(stage.drainSeconds()).isZero();
                Map<TopicPartition, Long> ends = ends(admin, topic, 3);
                assertThat(stage.partitions()).hasSize(3).allSatisfy(p -> {
                    assertThat(p.position()).isEqualTo(ends.get(new TopicPartition(topic, p.partition())));
                    assertThat(p.lag()).isZero();
                    assertThat(p.status()).isEqualTo(Status.OK);
                });
                // the premise: the table alone stops short of the end (the commit markers after its last record)
                Map<TopicPartition, Long> tableOnly = sources.get(0).positions(Map.of());
                assertThat(tableOnly).hasSize(3).allSatisfy((tp, next) -> assertThat(next).isLessThan(ends.get(tp)));
            } finally {
                sink.stop();
                running.join(Duration.ofSeconds(60).toMillis());
            }
            assertThat(running.isAlive()).isFalse();
            sink.close(); // stopped for good: the group is empty, the records below stay pending

            Map<TopicPartition, Long> before = ends(admin, topic, 3);
            world.produce(topics.pairsCurated(), verdicts.subList(40, 60), v -> v.getPair().getPairId(), 20, false);
            Map<TopicPartition, Long> after = ends(admin, topic, 3);
            Map<TopicPartition, Long> pendingRecords = countCommitted(world, topic, before, after);
            assertThat(pendingRecords.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(20);

            LagReport stopped = monitor.sample();
            for (int i = 1; i < WINDOW; i++) {
                stopped = monitor.sample();
            }
            StageLag stage = stopped.stage("sink");
            assertThat(stopped.stages()).extracting(StageLag::stage).containsExactly("sink");
            // lag counts offsets: the 20 records plus the one commit marker their transaction left per partition
            long touched = pendingRecords.values().stream().filter(n -> n > 0).count();
            assertThat(stage.lag()).isEqualTo(20 + touched);
            for (PartitionEvaluation p : stage.partitions()) {
                TopicPartition tp = new TopicPartition(topic, p.partition());
                long records = pendingRecords.get(tp);
                assertThat(p.position()).isEqualTo(before.get(tp));
                assertThat(p.lag()).isEqualTo(records == 0 ? 0 : records + 1);
                assertThat(p.condition()).isEqualTo(records == 0 ? Condition.CAUGHT_UP : Condition.STALLED);
            }
            assertThat(stage.status()).isEqualTo(Status.ERR);
            assertThat(stage.condition()).isEqualTo(Condition.STALLED);

            // restarted, it reads the rest from the table's offsets and settles at the end again
            IcebergSink restarted = world.curatedSink(overrides);
            Thread again = new Thread(restarted::run, "sink-restarted");
            again.start();
            try {
                Await.until(Duration.ofSeconds(60), "the restarted sink at lag 0", monitor::sample,
                    report -> report.stage("sink").lag() == 0);
                assertThat(SinkFixture.rows(world.table())).hasSize(60);
            } finally {
                restarted.stop();
                again.join(Duration.ofSeconds(60).toMillis());
            }
        }
    }

    private static Map<TopicPartition, Long> ends(Admin admin, String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
            .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** Committed records of each partition between {@code from} and {@code to}, read with read_committed. */
    private static Map<TopicPartition, Long> countCommitted(SinkFixture world, String topic,
                                                           Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        Map<TopicPartition, Long> counts = new HashMap<>();
        from.keySet().forEach(tp -> counts.put(tp, 0L));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<byte[], byte[]>(Map.of(
            "bootstrap.servers", world.settings(Map.of()).get("bootstrap.servers"), "isolation.level", "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            Set<TopicPartition> partitions = from.keySet();
            consumer.assign(partitions);
            partitions.forEach(tp -> consumer.seek(tp, from.get(tp)));
            Await.until(Duration.ofSeconds(30), "reading up to the end offsets", () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> counts.merge(
                    new TopicPartition(record.topic(), record.partition()), 1L, Long::sum));
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= to.get(tp));
            });
        }
        return counts;
    }
}
