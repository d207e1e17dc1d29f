package io.prefstream.ingest.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.prefstream.ingest.validate.InvalidRecordException;

/**
 * Parses one JSON record strictly: exactly one object, no trailing tokens, no duplicate keys (which
 * one would win is ambiguous), and a parse error reported with its column.
 */
public final class JsonRecords {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .build();

    private JsonRecords() {}

    /** The JSON object in {@code text}; anything else is refused with field {@code record}. */
    public static JsonNode object(String text) throws InvalidRecordException {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
            throw new InvalidRecordException("record", "malformed JSON" + where + ": " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidRecordException("record", "no JSON value");
        }
        if (!node.isObject()) {
            throw new InvalidRecordException("record", "expected a JSON object, got " + JsonFields.typeOf(node));
        }
        return node;
    }

}
