package io.prefstream.schemas.registry;

import org.apache.avro.Schema;

/** One version of a subject: the answer of {@code GET /subjects/{subject}/versions/{version}}. */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {
}
