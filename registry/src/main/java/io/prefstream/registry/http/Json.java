package io.prefstream.registry.http;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The one JSON mapper of the HTTP layer. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}
}
