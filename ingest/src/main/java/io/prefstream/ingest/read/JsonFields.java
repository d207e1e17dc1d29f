package io.prefstream.ingest.read;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.prefstream.ingest.model.Turn;
import io.prefstream.ingest.validate.Problems;

/**
 * Typed access to the fields of one JSON record, recording a problem that names the field for
 * anything missing or of the wrong type. Unknown fields are ignored.
 */
final class JsonFields {
    private final JsonNode object;
    private final Problems problems;

    JsonFields(JsonNode object, Problems problems) {
        this.object = object;
        this.problems = problems;
    }

    /**
     * The name of the one field of {@code aliases} that is present (null values count as absent),
     * or null after recording "required" or "give only one of" as a problem.
     */
    String oneOf(String... aliases) {
        String found = null;
        for (String alias : aliases) {
            if (has(alias)) {
                if (found != null) {
                    problems.add(found, "give only one of " + String.join(", ", aliases));
                    return null;
                }
                found = alias;
            }
        }
        if (found == null) {
            problems.add(String.join("|", aliases), "required");
        }
        return found;
    }

    boolean has(String field) {
        JsonNode value = object.get(field);
        return value != null && !value.isNull();
    }

    JsonNode get(String field) {
        return object.get(field);
    }

    /** A required string field, or null after recording why not. */
    String string(String field) {
        if (!has(field)) {
            problems.add(field, "required");
            return null;
        }
        return string(field, object.get(field));
    }

    /** An optional string field: null when absent. */
    String optionalString(String field) {
        return has(field) ? string(field, object.get(field)) : null;
    }

    String string(String path, JsonNode value) {
        if (!value.isTextual()) {
            problems.add(path, "expected a string, got " + typeOf(value));
            return null;
        }
        return value.textValue();
    }

    /** A conversation given as a string (one user message) or a list of {role, content} messages. */
    List<Turn> conversation(String field) {
        if (!has(field)) {
            problems.add(field, "required");
            return null;
        }
        JsonNode value = object.get(field);
        if (value.isTextual()) {
            return List.of(Turn.user(value.textValue()));
        }
        if (value.isArray()) {
            return messages(field, value);
        }
        problems.add(field, "expected a string or a list of messages, got " + typeOf(value));
        return null;
    }

    /** A list of {role, content} messages; null after recording problems. */
    List<Turn> messages(String path, JsonNode array) {
        List<Turn> turns = new ArrayList<>(array.size());
        boolean ok = true;
        for (int i = 0; i < array.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode message = array.get(i);
            if (!message.isObject()) {
                problems.add(at, "expected a message object {role, content}, got " + typeOf(message));
                ok = false;
                continue;
            }
            String role = requiredIn(at, message, "role");
            String content = requiredIn(at, message, "content");
            ok &= role != null && content != null;
            turns.add(new Turn(role, content));
        }
        return ok ? turns : null;
    }

    private String requiredIn(String at, JsonNode message, String name) {
        JsonNode value = message.get(name);
        if (value == null || value.isNull()) {
            problems.add(at + "." + name, "required");
            return null;
        }
        return string(at + "." + name, value);
    }

    static String typeOf(JsonNode value) {
        return value.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
