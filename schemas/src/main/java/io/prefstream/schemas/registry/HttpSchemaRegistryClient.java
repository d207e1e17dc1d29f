package io.prefstream.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@link SchemaRegistryClient} over the Confluent REST API (Confluent Schema Registry, Karapace, Apicurio's
 * ccompat API, Redpanda, PrefStream's registry). Ids never change once assigned, so the id of a schema
 * under a subject and the schema of an id are cached for the life of the client, both ways; latest
 * versions, version lists and compatibility answers are not cached.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {
    private final RegistryHttp http;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    public HttpSchemaRegistryClient(SchemaRegistryClientConfig config) {
        this.http = new RegistryHttp(config);
    }

    public HttpSchemaRegistryClient(Map<String, ?> config) {
        this(new SchemaRegistryClientConfig(config));
    }

    @Override
    public int register(String subject, Schema schema) {
        Integer cached = cachedId(subject, schema);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = http.post("/subjects/" + RegistryHttp.segment(subject) + "/versions", schemaBody(schema));
        return remember(subject, schema, requiredInt(answer, "id"));
    }

    @Override
    public int getId(String subject, Schema schema) {
        Integer cached = cachedId(subject, schema);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = http.post("/subjects/" + RegistryHttp.segment(subject), schemaBody(schema));
        return remember(subject, schema, requiredInt(answer, "id"));
    }

    @Override
    public Schema getSchemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = http.get("/schemas/ids/" + id);
        Schema schema = parseAvro(answer, "schema id " + id);
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        return version(subject, "latest");
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        return version(subject, Integer.toString(version));
    }

    @Override
    public List<String> getSubjects() {
        List<String> subjects = new ArrayList<>();
        http.get("/subjects").forEach(subject -> subjects.add(subject.asText()));
        return subjects;
    }

    @Override
    public List<Integer> getVersions(String subject) {
        List<Integer> versions = new ArrayList<>();
        http.get("/subjects/" + RegistryHttp.segment(subject) + "/versions")
            .forEach(version -> versions.add(version.asInt()));
        return versions;
    }

    @Override
    public boolean testCompatibility(String subject, Schema schema) {
        try {
            JsonNode answer = http.post("/compatibility/subjects/" + RegistryHttp.segment(subject)
                + "/versions/latest", schemaBody(schema));
            return answer.path("is_compatible").asBoolean(false);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
                || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND) {
                return true; // nothing registered yet, so nothing to break
            }
            throw e;
        }
    }

    private RegisteredSchema version(String subject, String version) {
        JsonNode answer = http.get("/subjects/" + RegistryHttp.segment(subject) + "/versions/" + version);
        int id = requiredInt(answer, "id");
        Schema schema = parseAvro(answer, "subject " + subject + " version " + version);
        schemasById.putIfAbsent(id, schema);
        return new RegisteredSchema(answer.path("subject").asText(subject), requiredInt(answer, "version"), id,
            schema);
    }

    private Integer cachedId(String subject, Schema schema) {
        Map<Schema, Integer> ids = idsBySubject.get(subject);
        return ids == null ? null : ids.get(schema);
    }

    private int remember(String subject, Schema schema, int id) {
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** The request body of register, lookup and compatibility: {@code {"schema": "<schema JSON as a string>"}}. */
    private ObjectNode schemaBody(Schema schema) {
        return http.json().createObjectNode().put("schema", schema.toString());
    }

    private static int requiredInt(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException("registry answer has no integer '" + field + "': " + answer,
                SchemaRegistryException.NONE, SchemaRegistryException.NONE);
        }
        return value.asInt();
    }

    /** Confluent omits {@code schemaType} for Avro; any other type cannot be used by Avro serdes. */
    private static Schema parseAvro(JsonNode answer, String what) {
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException(what + " is a " + type + " schema, not AVRO",
                SchemaRegistryException.NONE, SchemaRegistryException.NONE);
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException("registry answer for " + what + " has no 'schema' string: " + answer,
                SchemaRegistryException.NONE, SchemaRegistryException.NONE);
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("registry returned an invalid Avro schema for " + what + ": "
                + e.getMessage(), SchemaRegistryException.NONE, SchemaRegistryException.NONE, e);
        }
    }
}
