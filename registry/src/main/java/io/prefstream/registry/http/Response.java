package io.prefstream.registry.http;

import com.fasterxml.jackson.core.JsonProcessingException;

/** A status and a JSON body. */
public record Response(int status, String body) {

    public static Response ok(Object value) {
        return new Response(200, write(value));
    }

    /** A body that already is JSON text, such as a stored schema. */
    public static Response rawJson(String json) {
        return new Response(200, json);
    }

    public static Response error(int status, int errorCode, String message) {
        return new Response(status, write(new ErrorBody(errorCode, message)));
    }

    private record ErrorBody(@com.fasterxml.jackson.annotation.JsonProperty("error_code") int errorCode, String message) {}

    private static String write(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write response as JSON", e);
        }
    }
}
