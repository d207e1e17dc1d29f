package io.prefstream.ingest.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The request body shapes the ingest endpoint reads, from the Content-Type header. */
enum BodyType {
    /** One JSON object. */
    SINGLE,
    /** Newline-delimited JSON: one object per line. */
    NDJSON;

    static final List<String> NDJSON_TYPES = List.of("application/x-ndjson", "application/ndjson", "application/jsonl",
        "application/x-jsonlines");

    /** The body type of {@code contentType}; 415 for anything else, or for a charset other than UTF-8. */
    static BodyType of(String contentType) throws HttpError {
        if (contentType == null || contentType.isBlank()) {
            throw unsupported("no Content-Type");
        }
        String[] parts = contentType.split(";");
        String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].trim().split("=", 2);
            if (parameter[0].trim().equalsIgnoreCase("charset") && parameter.length == 2
                && !parameter[1].trim().replace("\"", "").equalsIgnoreCase("utf-8")) {
                throw unsupported("charset " + parameter[1].trim() + " (only UTF-8 is accepted)");
            }
        }
        if (mediaType.equals("application/json")) {
            return SINGLE;
        }
        if (NDJSON_TYPES.contains(mediaType)) {
            return NDJSON;
        }
        throw unsupported("Content-Type " + mediaType);
    }

    private static HttpError unsupported(String what) {
        return new HttpError(415, "unsupported " + what + "; send application/json (one object) or "
            + "application/x-ndjson (one object per line), UTF-8", Map.of("accepted_types",
            List.of("application/json", "application/x-ndjson", "application/ndjson", "application/jsonl")), Map.of());
    }
}
