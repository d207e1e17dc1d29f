package io.prefstream.sinks;

import static io.prefstream.sinks.IcebergSinkTest.assertExactlyOnce;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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

/** The sink in a child JVM, killed with SIGKILL mid-run, then restarted: the table ends with every record once. */
@ExtendWith(SharedKafkaBroker.class)
class SinkCrashTest {
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
    void killedSinkResumesFromTheTableWithoutDuplicates(EmbeddedKafkaBroker broker, @TempDir Path dir)
        throws Exception {
        try (SinkFixture world = new SinkFixture(broker, registry, dir)) {
            Topics topics = world.topics();
            List<Verdict> verdicts = HhRlhfVerdicts.verdicts(2000);
            world.produce(topics.pairsCurated(), verdicts, v -> v.getPair().getPairId(), 200, true);
            Map<String, String> settings = world.settings(Map.of(SinkConfig.PARTITIONS, "all",
                SinkConfig.COMMIT_RECORDS, "40", SinkConfig.COMMIT_INTERVAL_MS, "3600000", "max.poll.records", "10"));

            List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), SinkProcessMain.class.getName()));
            settings.forEach((key, value) -> command.add(key + "=" + value));
            Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
            Table table = world.table();
            long atKill;
            try {
                Await.until(Duration.ofSeconds(90), "the child's first commits", () -> rowsIn(table) >= 200);
            } finally {
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no final commit
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            atKill = rowsIn(table);
            assertThat(atKill).as("rows when killed").isBetween(200L, 1999L);

            IcebergSink restarted = world.curatedSink(Map.of(SinkConfig.PARTITIONS, "all"));
            assertThat(restarted.runUntilCaughtUp(Duration.ofSeconds(60))).isTrue();
            assertThat(restarted.stats().recordsRead()).isEqualTo(2000 - atKill);
            assertExactlyOnce(SinkFixture.rows(world.table()), verdicts);
        }
    }

    private static long rowsIn(Table table) {
        table.refresh();
        return table.currentSnapshot() == null ? 0
            : Long.parseLong(table.currentSnapshot().summary().get("total-records"));
    }
}
