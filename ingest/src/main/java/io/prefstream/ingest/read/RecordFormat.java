package io.prefstream.ingest.read;

import com.fasterxml.jackson.databind.JsonNode;

import io.prefstream.ingest.validate.InvalidRecordException;

/**
 * Turns one JSON object of some input format into a draft record. Problems of shape (missing
 * fields, wrong types, a dialogue that cannot be split) are reported here; content rules are the
 * {@link io.prefstream.ingest.validate.Validator}'s.
 */
public interface RecordFormat<T> {
    T parse(JsonNode object) throws InvalidRecordException;
}
