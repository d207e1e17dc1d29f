package io.prefstream.sinks;

import static io.prefstream.sinks.ExportAndMaintenanceTest.cli;
import static io.prefstream.sinks.ExportAndMaintenanceTest.configFile;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.CurationPath;
import io.prefstream.schemas.Decision;
import io.prefstream.schemas.ReviewItem;
import io.prefstream.schemas.Verdict;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.sinks.cli.ReviewCommand;
import io.prefstream.sinks.config.SinkConfig;
import io.prefstream.sinks.support.HhRlhfVerdicts;
import io.prefstream.sinks.support.SinkFixture;
import io.prefstream.sinks.support.TopicContents;
import io.prefstream.sinks.table.Catalogs;

/** review export, human verdicts, review import: validation with line numbers, final decisions, the gold set. */
@ExtendWith(SharedKafkaBroker.class)
class ReviewLoopTest {
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
    void reviewedPairsBecomeHumanDecisionsAndGoldRows(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        try (SinkFixture world = new SinkFixture(broker, registry, dir.resolve("data"))) {
            Topics topics = world.topics();
            List<ReviewItem> items = HhRlhfVerdicts.reviewItems(0, 6);
            world.produce(topics.pairsReview(), items, i -> i.getPair().getPairId(), 6, false);
            Path config = configFile(world, dir);
            Path file = dir.resolve("review.jsonl");

            var exported = cli(new ReviewCommand(), "export", "--config", config.toString(), "--out", file.toString());
            assertThat(exported.exit()).as(exported.err()).isZero();
            List<ObjectNode> lines = lines(file);
            assertThat(lines).hasSize(6);
            assertThat(lines).allSatisfy(line -> {
                assertThat(line.get("verdict").isNull()).isTrue();
                assertThat(line.get("prompt").get(0).get("role").asText()).isEqualTo("user");
            });

            // the reviewer answers three lines: 1, 2 and discard; three stay unanswered
            lines.get(0).put("verdict", "1");
            lines.get(1).put("verdict", "2").put("reviewer", "ana");
            lines.get(2).put("verdict", "discard").put("note", "both unsafe");
            write(file, lines);
            var imported = cli(new ReviewCommand(), "import", "--config", config.toString(), file.toString());
            assertThat(imported.exit()).as(imported.err()).isZero();
            assertThat(imported.out()).contains("imported 3 verdicts (2 accepted").contains("3 lines left unanswered")
                .contains("gold-set table");

            List<ConsumerRecord<String, Verdict>> decisions = TopicContents.read(broker, topics.reviewVerdicts());
            assertThat(decisions).hasSize(3);
            assertThat(decisions).allSatisfy(d -> assertThat(d.value().getPath()).isEqualTo(CurationPath.HUMAN));
            for (int i = 0; i < 3; i++) {
                ObjectNode line = lines.get(i);
                Verdict verdict = decisions.stream().filter(d -> d.key().equals(line.get("pair_id").asText()))
                    .findFirst().orElseThrow().value();
                if (i == 2) {
                    assertThat(verdict.getDecision()).isEqualTo(Decision.REJECT);
                    continue;
                }
                String picked = line.get(i == 0 ? "response_1_id" : "response_2_id").asText();
                assertThat(verdict.getDecision()).isEqualTo(Decision.ACCEPT);
                assertThat(verdict.getPair().getChosen().getResponseId()).isEqualTo(picked);
                ReviewItem item = items.stream().filter(it -> it.getPair().getPairId().equals(verdict.getPair().getPairId()))
                    .findFirst().orElseThrow();
                assertThat(verdict.getFlipped()).isEqualTo(!picked.equals(item.getPair().getChosen().getResponseId()));
            }
            List<ConsumerRecord<String, Verdict>> curated = TopicContents.read(broker, topics.pairsCurated());
            assertThat(curated).hasSize(2)
                .allSatisfy(d -> assertThat(d.value().getDecision()).isEqualTo(Decision.ACCEPT));

            List<Record> gold = SinkFixture.rows(Catalogs.load(world.catalog(),
                world.config(Map.of()).getString(SinkConfig.GOLD_TABLE)));
            assertThat(gold).hasSize(3);
            assertThat(gold.stream().map(r -> (String) r.getField("path")).distinct().toList()).containsExactly("HUMAN");

            // decided pairs no longer wait; importing the same file again is refused, line by line
            var again = cli(new ReviewCommand(), "export", "--config", config.toString(), "--out",
                dir.resolve("again.jsonl").toString());
            assertThat(again.exit()).isZero();
            assertThat(lines(dir.resolve("again.jsonl"))).hasSize(3);
            var twice = cli(new ReviewCommand(), "import", "--config", config.toString(), file.toString());
            assertThat(twice.exit()).isEqualTo(1);
            assertThat(twice.err()).contains("line 1: pair_id " + lines.get(0).get("pair_id").asText()
                + " is not waiting in pairs.review").contains("line 3:").contains("nothing imported");
            assertThat(TopicContents.read(broker, topics.reviewVerdicts())).hasSize(3);
        }
    }

    @Test
    void invalidLinesAreListedWithTheirNumbersAndNothingIsImported(EmbeddedKafkaBroker broker, @TempDir Path dir)
        throws Exception {
        try (SinkFixture world = new SinkFixture(broker, registry, dir.resolve("data"))) {
            Topics topics = world.topics();
            world.produce(topics.pairsReview(), HhRlhfVerdicts.reviewItems(10, 4), i -> i.getPair().getPairId(), 4,
                false);
            Path config = configFile(world, dir);
            Path file = dir.resolve("review.jsonl");
            assertThat(cli(new ReviewCommand(), "export", "--config", config.toString(), "--out", file.toString())
                .exit()).isZero();
            List<ObjectNode> lines = lines(file);
            List<String> edited = new ArrayList<>();
            edited.add(JSON.writeValueAsString(lines.get(0).put("verdict", "1")));          // line 1: valid
            edited.add("{\"pair_id\": \"abc\", \"verdict\": ");                              // line 2: broken JSON
            edited.add(JSON.writeValueAsString(lines.get(1).deepCopy().put("verdict", "3"))); // line 3: bad verdict
            edited.add("");                                                                  // line 4: blank, ignored
            edited.add(JSON.writeValueAsString(lines.get(2).deepCopy().put("verdict", "2")
                .put("pair_id", "f".repeat(64))));                                           // line 5: unknown pair
            edited.add(JSON.writeValueAsString(lines.get(0)));                               // line 6: duplicate
            edited.add(JSON.writeValueAsString(lines.get(3).deepCopy().put("verdict", "discard")
                .put("response_1_id", "0".repeat(64))));                                     // line 7: wrong ids
            ObjectNode withoutId = lines.get(2).deepCopy();
            withoutId.remove("pair_id");
            edited.add(JSON.writeValueAsString(withoutId));                                  // line 8: no pair_id
            Files.write(file, edited);

            var result = cli(new ReviewCommand(), "import", "--config", config.toString(), file.toString());
            assertThat(result.exit()).isEqualTo(1);
            assertThat(result.err())
                .contains("line 2: not valid JSON")
                .contains("line 3: verdict must be \"1\", \"2\" or \"discard\"")
                .contains("line 5: pair_id " + "f".repeat(64) + " is not waiting in pairs.review")
                .contains("line 6: pair_id " + lines.get(0).get("pair_id").asText() + " appears again (first on line 1)")
                .contains("line 7: response_1_id/response_2_id do not match")
                .contains("line 8: missing pair_id")
                .contains("6 invalid lines")
                .doesNotContain("line 1:").doesNotContain("line 4:");
            assertThat(TopicContents.read(broker, topics.reviewVerdicts())).isEmpty();
            assertThat(TopicContents.read(broker, topics.pairsCurated())).isEmpty();
        }
    }

    private static List<ObjectNode> lines(Path file) throws Exception {
        List<ObjectNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode node = JSON.readTree(line);
            lines.add((ObjectNode) Objects.requireNonNull(node));
        }
        return lines;
    }

    private static void write(Path file, List<ObjectNode> lines) throws Exception {
        List<String> text = new ArrayList<>();
        for (ObjectNode line : lines) {
            text.add(JSON.writeValueAsString(line));
        }
        Files.write(file, text);
    }
}
