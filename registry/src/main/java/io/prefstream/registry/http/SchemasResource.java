package io.prefstream.registry.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.prefstream.registry.SchemaRegistry;
import io.prefstream.registry.SchemaVersion;

/** {@code /schemas/...}: schemas by global id, and the schema types served. */
public final class SchemasResource {
    private final SchemaRegistry registry;

    public SchemasResource(SchemaRegistry registry) {
        this.registry = registry;
    }

    public void addTo(Router router) {
        router.get("/schemas/types", request -> Response.ok(List.of("AVRO")))
            .get("/schemas/ids/{id}", this::byId)
            .get("/schemas/ids/{id}/schema", request -> Response.rawJson(registry.schemaById(request.schemaId())))
            .get("/schemas/ids/{id}/versions", this::versionsOfId)
            .get("/schemas/ids/{id}/subjects", this::subjectsOfId);
    }

    private Response byId(Request request) {
        return Response.ok(Map.of("schema", registry.schemaById(request.schemaId())));
    }

    private Response versionsOfId(Request request) {
        return Response.ok(registry.usesOf(request.schemaId(), request.flag("deleted")).stream().map(v -> {
            Map<String, Object> pair = new LinkedHashMap<>();
            pair.put("subject", v.subject());
            pair.put("version", v.version());
            return pair;
        }).toList());
    }

    private Response subjectsOfId(Request request) {
        return Response.ok(registry.usesOf(request.schemaId(), request.flag("deleted")).stream()
            .map(SchemaVersion::subject).distinct().toList());
    }
}
