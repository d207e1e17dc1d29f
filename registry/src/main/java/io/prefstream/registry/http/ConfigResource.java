package io.prefstream.registry.http;

import java.util.Map;

import io.prefstream.registry.CompatibilityLevel;
import io.prefstream.registry.SchemaRegistry;

/** {@code /config}: the global and per-subject compatibility level. */
public final class ConfigResource {
    private final SchemaRegistry registry;

    public ConfigResource(SchemaRegistry registry) {
        this.registry = registry;
    }

    public void addTo(Router router) {
        router.get("/config", request -> level(registry.globalLevel()))
            .put("/config", request -> {
                CompatibilityLevel level = requestedLevel(request);
                registry.setGlobalLevel(level);
                return updated(level);
            })
            .delete("/config", request -> level(registry.deleteGlobalLevel()))
            .get("/config/{subject}", request ->
                level(registry.subjectLevel(request.path("subject"), request.flag("defaultToGlobal"))))
            .put("/config/{subject}", request -> {
                CompatibilityLevel level = requestedLevel(request);
                registry.setSubjectLevel(request.path("subject"), level);
                return updated(level);
            })
            .delete("/config/{subject}", request -> level(registry.deleteSubjectLevel(request.path("subject"))));
    }

    /** Confluent reads levels as {@code compatibilityLevel} ... */
    private static Response level(CompatibilityLevel level) {
        return Response.ok(Map.of("compatibilityLevel", level.name()));
    }

    /** ... and takes and echoes updates as {@code compatibility}. */
    private static Response updated(CompatibilityLevel level) {
        return Response.ok(Map.of("compatibility", level.name()));
    }

    private static CompatibilityLevel requestedLevel(Request request) {
        return CompatibilityLevel.parse(request.jsonText("compatibility"));
    }
}
