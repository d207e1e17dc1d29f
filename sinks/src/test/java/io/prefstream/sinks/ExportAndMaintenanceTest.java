package io.prefstream.sinks;

import static io.prefstream.sinks.IcebergSinkTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.ops.OpsServerConfig;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.Verdict;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.sinks.cli.ExportCommand;
import io.prefstream.sinks.cli.MaintenanceCommand;
import io.prefstream.sinks.config.SinkConfig;
import io.prefstream.sinks.iceberg.IcebergSink;
import io.prefstream.sinks.iceberg.UncommittedFiles;
import io.prefstream.sinks.support.HhRlhfVerdicts;
import io.prefstream.sinks.support.SinkFixture;
import picocli.CommandLine;

/** Exports read back by DuckDB (a reader that shares no code with the writer), and table maintenance. */
@ExtendWith(SharedKafkaBroker.class)
class ExportAndMaintenanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
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
    void exportsArePinnedDeterministicAndReadableByDuckDb(EmbeddedKafkaBroker broker, @TempDir Path dir)
        throws Exception {
        try (SinkFixture world = new SinkFixture(broker, registry, dir.resolve("data"))) {
            Topics topics = world.topics();
            List<Verdict> verdicts = HhRlhfVerdicts.verdicts(800);
            world.produce(topics.pairsCurated(), verdicts.subList(0, 700), v -> v.getPair().getPairId(), 100, false);
            drain(world, "200");
            long pinned = world.table().currentSnapshot().snapshotId();
            Path config = configFile(world, dir);

            Result first = cli(new ExportCommand(), "--config", config.toString(), "--format", "trl-parquet",
                "--snapshot", Long.toString(pinned), "--rows-per-shard", "300", "--out", dir.resolve("a").toString());
            assertThat(first.exit()).as(first.err()).isZero();
            JsonNode manifest = JSON.readTree(dir.resolve("a/manifest.json").toFile());
            assertThat(manifest.get("snapshot_id").asLong()).isEqualTo(pinned);
            assertThat(manifest.get("row_count").asLong()).isEqualTo(700);
            assertThat(manifest.get("shards")).hasSize(3);
            for (JsonNode shard : manifest.get("shards")) {
                Path file = dir.resolve("a").resolve(shard.get("file").asText());
                assertThat(sha256(file)).isEqualTo(shard.get("sha256").asText());
                assertThat(Files.size(file)).isEqualTo(shard.get("bytes").asLong());
            }

            // more data arrives and is committed; the pinned snapshot exports exactly as before
            world.produce(topics.pairsCurated(), verdicts.subList(700, 800), v -> v.getPair().getPairId(), 100, false);
            drain(world, "200");
            assertThat(world.table().currentSnapshot().snapshotId()).isNotEqualTo(pinned);
            Result second = cli(new ExportCommand(), "--config", config.toString(), "--format", "trl-parquet",
                "--snapshot", Long.toString(pinned), "--rows-per-shard", "300", "--out", dir.resolve("b").toString());
            assertThat(second.exit()).as(second.err()).isZero();
            assertSameBytes(dir.resolve("a"), dir.resolve("b"));

            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                 Statement sql = duck.createStatement()) {
                String shards = dir.resolve("a").toString() + "/*.parquet";
                ResultSet counts = sql.executeQuery("SELECT count(*), count(DISTINCT pair_id), "
                    + "count(DISTINCT curation_date), min(len(chosen)), max(len(rejected)), "
                    + "sum(CASE WHEN chosen[1].role = 'assistant' AND prompt[1].role = 'user' THEN 1 ELSE 0 END) "
                    + "FROM read_parquet('" + shards + "')");
                counts.next();
                assertThat(counts.getLong(1)).isEqualTo(manifest.get("row_count").asLong());
                assertThat(counts.getLong(2)).isEqualTo(700);
                assertThat(counts.getLong(3)).as("curation days").isEqualTo(2);
                assertThat(counts.getInt(4)).isEqualTo(1);
                assertThat(counts.getInt(5)).isEqualTo(1);
                assertThat(counts.getLong(6)).isEqualTo(700);
                ResultSet one = sql.executeQuery("SELECT chosen[1].content FROM read_parquet('" + shards
                    + "') WHERE pair_id = '" + verdicts.get(5).getPair().getPairId() + "'");
                one.next();
                assertThat(one.getString(1)).isEqualTo(verdicts.get(5).getPair().getChosen().getText());
            }

            Result jsonl = cli(new ExportCommand(), "--config", config.toString(), "--format", "trl-jsonl",
                "--snapshot", "latest", "--out", dir.resolve("j").toString());
            assertThat(jsonl.exit()).as(jsonl.err()).isZero();
            JsonNode jsonManifest = JSON.readTree(dir.resolve("j/manifest.json").toFile());
            assertThat(jsonManifest.get("row_count").asLong()).isEqualTo(800);
            List<String> lines = Files.readAllLines(dir.resolve("j/part-00000.jsonl"));
            assertThat(lines).hasSize(800);
            JsonNode row = JSON.readTree(lines.get(0));
            assertThat(row.get("prompt").get(0).get("role").asText()).isEqualTo("user");
            assertThat(row.get("chosen").get(0).get("role").asText()).isEqualTo("assistant");
            assertThat(row.get("rejected")).hasSize(1);
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                 Statement sql = duck.createStatement()) {
                ResultSet count = sql.executeQuery("SELECT count(*) FROM read_json_auto('"
                    + dir.resolve("j/part-00000.jsonl") + "', format = 'newline_delimited')");
                count.next();
                assertThat(count.getLong(1)).isEqualTo(800);
            }

            Result unknown = cli(new ExportCommand(), "--config", config.toString(), "--format", "trl-parquet",
                "--snapshot", "12345", "--out", dir.resolve("x").toString());
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.err()).contains("has no snapshot 12345");
            Result notEmpty = cli(new ExportCommand(), "--config", config.toString(), "--format", "trl-jsonl",
                "--out", dir.resolve("a").toString());
            assertThat(notEmpty.exit()).isEqualTo(2);
            assertThat(notEmpty.err()).contains("is not empty");
        }
    }

    @Test
    void maintenanceDeletesOrphansOfACrashAndExpiresSnapshotsKeepingOffsets(EmbeddedKafkaBroker broker,
                                                                           @TempDir Path dir) throws Exception {
        try (SinkFixture world = new SinkFixture(broker, registry, dir.resolve("data"))) {
            Topics topics = world.topics();
            List<Verdict> verdicts = HhRlhfVerdicts.verdicts(400);
            world.produce(topics.pairsCurated(), verdicts.subList(0, 300), v -> v.getPair().getPairId(), 100, false);
            drain(world, "50");
            Table table = world.table();
            Path dataFiles = Path.of(table.location().replaceFirst("^file:", "")).resolve("data");
            List<Path> committedFiles = files(dataFiles);

            // a sink that wrote a batch's files and died before committing them
            world.produce(topics.pairsCurated(), verdicts.subList(300, 400), v -> v.getPair().getPairId(), 100, false);
            List<String> written = UncommittedFiles.write(table, topics.pairsCurated().name(), verdicts.subList(300, 400));
            List<Path> orphans = new ArrayList<>(files(dataFiles));
            orphans.removeAll(committedFiles);
            assertThat(orphans).hasSize(written.size());
            assertThat(orphans).as("files of the uncommitted batch").isNotEmpty();
            assertThat(SinkFixture.rows(world.table())).hasSize(300);

            Path config = configFile(world, dir);
            Result dryRun = cli(new MaintenanceCommand(), "--config", config.toString(), "--tables", "dataset",
                "--orphans-older-than", "0s", "--dry-run");
            assertThat(dryRun.exit()).as(dryRun.err()).isZero();
            orphans.forEach(orphan -> assertThat(dryRun.out()).contains(orphan.getFileName().toString()));
            assertThat(files(dataFiles)).containsAll(orphans);

            int snapshotsBefore = IcebergSinkTest.history(world.table()).size();
            Map<Integer, Long> offsetsBefore = io.prefstream.sinks.table.TableOffsets
                .current(world.table(), topics.pairsCurated().name()).all();
            Result run = cli(new MaintenanceCommand(), "--config", config.toString(), "--tables", "both",
                "--orphans-older-than", "0s", "--expire-older-than", "0s", "--retain-last", "1");
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("expired " + (snapshotsBefore - 1) + " snapshots, 1 kept")
                .contains("deleted " + orphans.size() + " orphan files")
                .contains("gold_pairs: no such table, skipped");
            assertThat(files(dataFiles)).containsExactlyInAnyOrderElementsOf(committedFiles);
            Table maintained = world.table();
            assertThat(IcebergSinkTest.history(maintained)).hasSize(1);
            assertThat(io.prefstream.sinks.table.TableOffsets.current(maintained, topics.pairsCurated().name()).all())
                .isEqualTo(offsetsBefore);
            IcebergSinkTest.assertExactlyOnce(SinkFixture.rows(maintained), verdicts.subList(0, 300));

            // the sink resumes from the offsets kept through the expiry: exactly the 100 uncommitted records
            IcebergSink resumed = world.curatedSink(Map.of(SinkConfig.PARTITIONS, "all"));
            assertThat(resumed.runUntilCaughtUp(Duration.ofSeconds(60))).isTrue();
            assertThat(resumed.stats().recordsRead()).isEqualTo(100);
            IcebergSinkTest.assertExactlyOnce(SinkFixture.rows(world.table()), verdicts);
        }
    }

    private static void drain(SinkFixture world, String commitRecords) {
        IcebergSink sink = world.curatedSink(with(Map.of(SinkConfig.PARTITIONS, "all"),
            SinkConfig.COMMIT_RECORDS, commitRecords));
        assertThat(sink.runUntilCaughtUp(Duration.ofSeconds(60))).isTrue();
    }

    static Path configFile(SinkFixture world, Path dir) throws IOException {
        Properties properties = new Properties();
        properties.putAll(world.settings(Map.of()));
        // `run sink` serves its ops endpoint on a free port, never the deployment default 9400
        properties.put(OpsServerConfig.PORT, "0");
        Path file = dir.resolve("prefstream-" + System.nanoTime() + ".properties");
        try (Writer writer = Files.newBufferedWriter(file)) {
            properties.store(writer, null);
        }
        return file;
    }

    record Result(int exit, String out, String err) {}

    static Result cli(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void assertSameBytes(Path a, Path b) throws IOException {
        List<String> names;
        try (Stream<Path> list = Files.list(a)) {
            names = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        try (Stream<Path> list = Files.list(b)) {
            assertThat(list.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(names);
        }
        for (String name : names) {
            assertThat(Files.readAllBytes(b.resolve(name))).as(name).isEqualTo(Files.readAllBytes(a.resolve(name)));
        }
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
