package io.prefstream.sinks;

import static io.prefstream.sinks.ExportAndMaintenanceTest.cli;
import static io.prefstream.sinks.ExportAndMaintenanceTest.configFile;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.CurationPath;
import io.prefstream.schemas.Verdict;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.sinks.cli.RunSinkCommand;
import io.prefstream.sinks.config.SinkConfig;
import io.prefstream.sinks.support.HhRlhfVerdicts;
import io.prefstream.sinks.support.SinkFixture;
import io.prefstream.sinks.table.Catalogs;

/** {@code prefstream run sink} fills the dataset table and the gold-set table. */
@ExtendWith(SharedKafkaBroker.class)
class RunSinkCommandTest {
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
    void writesCuratedPairsAndHumanVerdictsIntoTheirTables(EmbeddedKafkaBroker broker, @TempDir Path dir)
        throws Exception {
        try (SinkFixture world = new SinkFixture(broker, registry, dir.resolve("data"))) {
            Topics topics = world.topics();
            List<Verdict> verdicts = HhRlhfVerdicts.verdicts(60);
            world.produce(topics.pairsCurated(), verdicts.subList(0, 50), v -> v.getPair().getPairId(), 50, false);
            List<Verdict> human = verdicts.subList(50, 60).stream()
                .map(v -> Verdict.newBuilder(v).setPath(CurationPath.HUMAN).build()).toList();
            world.produce(topics.reviewVerdicts(), human, v -> v.getPair().getPairId(), 10, false);

            var result = cli(new RunSinkCommand(), "--config", configFile(world, dir).toString(),
                "--until-caught-up", "60s");
            assertThat(result.exit()).as(result.err()).isZero();
            assertThat(result.out()).contains("curated_pairs: read=50 rows=50").contains("gold_pairs: read=10 rows=10");
            IcebergSinkTest.assertExactlyOnce(SinkFixture.rows(world.table()), verdicts.subList(0, 50));
            IcebergSinkTest.assertExactlyOnce(SinkFixture.rows(Catalogs.load(world.catalog(),
                world.config(Map.of()).getString(SinkConfig.GOLD_TABLE))), human);
        }
    }
}
