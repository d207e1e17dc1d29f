package io.prefstream.schemas.serde;

import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/** Whether data written with one schema can be read with another, in Avro's own terms. */
final class SchemaResolution {
    private SchemaResolution() {
    }

    /** Why {@code reader} cannot read data written with {@code writer}, or empty if it can. */
    static Optional<String> problems(Schema reader, Schema writer) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return Optional.empty();
        }
        return Optional.of(result.getResult().getIncompatibilities().stream()
            .map(i -> i.getType() + " '" + i.getMessage() + "' at " + i.getLocation())
            .collect(Collectors.joining("; ")));
    }
}
