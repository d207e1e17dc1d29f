package io.prefstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.junit.jupiter.api.Test;

/**
 * The evolution rule: every released version of a record, and the current .avsc, can read data written
 * with the version released before it (BACKWARD, the registry's default level), so consumers can be
 * upgraded before producers. Released versions live in {@code schemas/released/<Record>/v<N>.avsc}.
 */
class SchemaEvolutionTest {
    private static final Path RELEASED = Path.of("released");
    private static final Pattern VERSION_FILE = Pattern.compile("v(\\d+)\\.avsc");

    /** The records that are written to topics, so their schemas are registered and must evolve safely. */
    static final Map<String, Schema> CURRENT = Map.of(
        "Generation", Generation.getClassSchema(),
        "PreferencePair", PreferencePair.getClassSchema(),
        "ScoredPair", ScoredPair.getClassSchema(),
        "LabeledPair", LabeledPair.getClassSchema(),
        "Verdict", Verdict.getClassSchema(),
        "ReviewItem", ReviewItem.getClassSchema(),
        "DeadLetter", DeadLetter.getClassSchema());

    @Test
    void everyTopicRecordHasReleasedVersions() throws IOException {
        try (Stream<Path> dirs = Files.list(RELEASED)) {
            assertThat(dirs.map(dir -> dir.getFileName().toString()))
                .containsExactlyInAnyOrderElementsOf(CURRENT.keySet());
        }
    }

    @Test
    void everyReleasedVersionReadsDataOfThePreviousOne() throws IOException {
        for (String record : CURRENT.keySet()) {
            List<Schema> versions = releasedVersions(record);
            assertThat(versions).as(record + " has v1").isNotEmpty();
            for (int v = 1; v < versions.size(); v++) {
                assertBackward(record + " v" + (v + 1) + " reading v" + v, versions.get(v), versions.get(v - 1));
            }
        }
    }

    @Test
    void currentSchemasReadDataOfTheLatestRelease() throws IOException {
        for (Map.Entry<String, Schema> current : CURRENT.entrySet()) {
            List<Schema> versions = releasedVersions(current.getKey());
            Schema latest = versions.get(versions.size() - 1);
            assertBackward(current.getKey() + " current reading v" + versions.size(), current.getValue(), latest);
        }
    }

    @Test
    void anIncompatibleChangeIsDetected() {
        Schema generation = Generation.getClassSchema();
        Schema withRequiredField = withExtraField(generation, "{\"name\":\"temperature\",\"type\":\"double\"}");
        assertThat(compatibility(withRequiredField, generation).getType())
            .as("a new field without a default cannot be read from old data")
            .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(compatibility(withRequiredField, generation).getResult().getIncompatibilities().get(0).getMessage())
            .contains("temperature");

        Schema withOptionalField = withExtraField(generation,
            "{\"name\":\"temperature\",\"type\":[\"null\",\"double\"],\"default\":null}");
        assertThat(compatibility(withOptionalField, generation).getType())
            .as("the same field with a default is fine")
            .isEqualTo(SchemaCompatibilityType.COMPATIBLE);

        Schema roleWithoutSystem = new Schema.Parser().parse(Generation.getClassSchema().toString()
            .replace("\"symbols\":[\"system\",\"user\",\"assistant\"]", "\"symbols\":[\"user\",\"assistant\"]"));
        assertThat(compatibility(roleWithoutSystem, generation).getType())
            .as("dropping an enum symbol without an enum default breaks old data")
            .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    private static Schema withExtraField(Schema schema, String fieldJson) {
        String json = schema.toString();
        int end = json.lastIndexOf(']');
        return new Schema.Parser().parse(json.substring(0, end) + "," + fieldJson + json.substring(end));
    }

    private static void assertBackward(String what, Schema reader, Schema writer) {
        SchemaPairCompatibility result = compatibility(reader, writer);
        assertThat(result.getType())
            .as(what + ": " + result.getResult().getIncompatibilities())
            .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    private static SchemaPairCompatibility compatibility(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    }

    /** v1, v2, ... in version order (numerically, so v10 follows v9); the numbering must have no gaps. */
    private static List<Schema> releasedVersions(String record) throws IOException {
        Map<Integer, Path> byVersion = new TreeMap<>();
        try (Stream<Path> files = Files.list(RELEASED.resolve(record))) {
            for (Path file : files.toList()) {
                Matcher name = VERSION_FILE.matcher(file.getFileName().toString());
                assertThat(name.matches()).as("unexpected file " + file).isTrue();
                byVersion.put(Integer.parseInt(name.group(1)), file);
            }
        }
        List<Schema> versions = new ArrayList<>();
        int expected = 1;
        for (Map.Entry<Integer, Path> version : byVersion.entrySet()) {
            assertThat(version.getKey()).as(record + " versions are numbered without gaps").isEqualTo(expected++);
            versions.add(new Schema.Parser().parse(version.getValue().toFile()));
        }
        return versions;
    }
}
