package io.prefstream.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Confluent's compatibility levels, checked with Avro's own {@link SchemaCompatibility}.
 * BACKWARD: the new schema can read data written with the old one. FORWARD: the old schema can
 * read data written with the new one. FULL: both. Plain levels compare with the latest live
 * version only; the {@code _TRANSITIVE} forms with every live version.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    public static final CompatibilityLevel DEFAULT = BACKWARD;

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** Parses a level name, case-insensitively; an unknown name fails with 42203. */
    public static CompatibilityLevel parse(String name) {
        if (name != null) {
            for (CompatibilityLevel level : values()) {
                if (level.name().equals(name.trim().toUpperCase(Locale.ROOT))) {
                    return level;
                }
            }
        }
        throw Errors.invalidCompatibilityLevel(name);
    }

    /**
     * Checks {@code candidate} against {@code existing} (live versions, oldest first).
     *
     * @return one message per incompatibility found; empty when compatible
     */
    public List<String> check(Schema candidate, List<SchemaVersion> existing) {
        List<String> problems = new ArrayList<>();
        if (existing.isEmpty()) {
            return problems;
        }
        List<SchemaVersion> compared = transitive ? existing : List.of(existing.get(existing.size() - 1));
        for (SchemaVersion old : compared) {
            Schema oldSchema = AvroSchemas.parse(old.schema());
            if (backward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, oldSchema),
                    "BACKWARD: the new schema cannot read data written with version " + old.version(), problems);
            }
            if (forward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(oldSchema, candidate),
                    "FORWARD: version " + old.version() + " cannot read data written with the new schema", problems);
            }
        }
        return problems;
    }

    private static void describe(SchemaCompatibility.SchemaPairCompatibility result, String what, List<String> problems) {
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            problems.add(what + ": " + incompatibility.getType() + " at " + incompatibility.getLocation() + ": "
                + incompatibility.getMessage());
        }
    }
}
