package io.prefstream.registry.http;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.prefstream.registry.Errors;
import io.prefstream.registry.RegistryException;
import io.prefstream.registry.VersionSpec;

/** One HTTP request, reduced to what handlers need: decoded path parameters, query and body. */
public record Request(Map<String, String> pathParams, Map<String, String> query, byte[] body) {

    public String path(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path parameter {" + name + "}");
        }
        return value;
    }

    public VersionSpec version() {
        return VersionSpec.parse(path("version"));
    }

    /** A schema id from the path; anything but a positive integer names no schema (40403). */
    public int schemaId() {
        String text = path("id");
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw Errors.schemaNotFound("id '" + text + "'");
        }
    }

    /** A boolean query flag such as {@code ?deleted=true}; absent means false. */
    public boolean flag(String name) {
        return Boolean.parseBoolean(query.getOrDefault(name, "false"));
    }

    /** The body as a JSON object; 400 (as Confluent) if it is not one. */
    public JsonNode json() {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw new RegistryException(400, 400, "the request body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new RegistryException(400, 400, "the request body is not valid JSON: " + e.getMessage());
        }
    }

    /** A text field of the JSON body, or null if absent. */
    public String jsonText(String field) {
        JsonNode value = json().get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
