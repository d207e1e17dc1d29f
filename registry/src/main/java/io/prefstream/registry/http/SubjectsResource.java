package io.prefstream.registry.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.prefstream.registry.Errors;
import io.prefstream.registry.SchemaRegistry;
import io.prefstream.registry.SchemaVersion;

/** {@code /subjects/...}: register, look up, list, read and delete subject versions. */
public final class SubjectsResource {
    private final SchemaRegistry registry;

    public SubjectsResource(SchemaRegistry registry) {
        this.registry = registry;
    }

    public void addTo(Router router) {
        router.get("/subjects", this::listSubjects)
            .post("/subjects/{subject}", this::lookup)
            .delete("/subjects/{subject}", this::deleteSubject)
            .get("/subjects/{subject}/versions", this::listVersions)
            .post("/subjects/{subject}/versions", this::register)
            .get("/subjects/{subject}/versions/{version}", this::getVersion)
            .delete("/subjects/{subject}/versions/{version}", this::deleteVersion)
            .get("/subjects/{subject}/versions/{version}/schema", this::getVersionSchema)
            .get("/subjects/{subject}/versions/{version}/referencedby", this::referencedBy);
    }

    private Response listSubjects(Request request) {
        String prefix = request.query().getOrDefault("subjectPrefix", "");
        return Response.ok(registry.subjects(request.flag("deleted")).stream().filter(s -> s.startsWith(prefix)).toList());
    }

    private Response listVersions(Request request) {
        return Response.ok(registry.existingVersions(request.path("subject"), request.flag("deleted")).stream()
            .map(SchemaVersion::version).toList());
    }

    private Response register(Request request) {
        int id = registry.register(request.path("subject"), avroSchemaOf(request));
        return Response.ok(Map.of("id", id));
    }

    private Response lookup(Request request) {
        SchemaVersion found = registry.lookup(request.path("subject"), avroSchemaOf(request), request.flag("deleted"));
        return Response.ok(describe(found));
    }

    private Response getVersion(Request request) {
        return Response.ok(describe(registry.version(request.path("subject"), request.version(), request.flag("deleted"))));
    }

    private Response getVersionSchema(Request request) {
        return Response.rawJson(registry.version(request.path("subject"), request.version(), request.flag("deleted"))
            .schema());
    }

    /** Schema references are not supported, so nothing ever refers to a version. */
    private Response referencedBy(Request request) {
        registry.version(request.path("subject"), request.version(), true);
        return Response.ok(List.of());
    }

    private Response deleteSubject(Request request) {
        return Response.ok(registry.deleteSubject(request.path("subject"), request.flag("permanent")));
    }

    private Response deleteVersion(Request request) {
        return Response.ok(registry.deleteVersion(request.path("subject"), request.version(), request.flag("permanent")));
    }

    /** Confluent's body of one subject version. */
    static Map<String, Object> describe(SchemaVersion version) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", version.subject());
        body.put("version", version.version());
        body.put("id", version.id());
        body.put("schema", version.schema());
        return body;
    }

    /**
     * The {@code schema} of a register/lookup/compatibility body; 42201 for other schema types and
     * for references, which this Avro-only registry does not serve.
     */
    static String avroSchemaOf(Request request) {
        JsonNode body = request.json();
        String type = body.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw Errors.invalidSchema("schemaType " + type + " is not supported; this registry serves AVRO only");
        }
        JsonNode references = body.get("references");
        if (references != null && !references.isNull() && !references.isEmpty()) {
            throw Errors.invalidSchema("schema references are not supported by this registry");
        }
        JsonNode schema = body.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw Errors.invalidSchema("the request has no 'schema' string field");
        }
        return schema.asText();
    }
}
