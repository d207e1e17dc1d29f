package io.prefstream.registry.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.prefstream.registry.SchemaRegistry;
import io.prefstream.registry.VersionSpec;

/** {@code /compatibility/...}: would this schema be accepted, without registering it. */
public final class CompatibilityResource {
    private final SchemaRegistry registry;

    public CompatibilityResource(SchemaRegistry registry) {
        this.registry = registry;
    }

    public void addTo(Router router) {
        router.post("/compatibility/subjects/{subject}/versions/{version}", request -> check(request, request.version()))
            .post("/compatibility/subjects/{subject}/versions", request -> check(request, VersionSpec.parse("latest")));
    }

    private Response check(Request request, VersionSpec version) {
        List<String> problems = registry.checkCompatibility(request.path("subject"), version,
            SubjectsResource.avroSchemaOf(request));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("is_compatible", problems.isEmpty());
        if (request.flag("verbose")) {
            body.put("messages", problems);
        }
        return Response.ok(body);
    }
}
