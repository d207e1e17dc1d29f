package io.prefstream.registry.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Matches a method and decoded path segments against templates such as {@code /subjects/{subject}/versions}. */
public final class Router {
    /** Handles one matched request. */
    @FunctionalInterface
    public interface Handler {
        Response handle(Request request);
    }

    private record Route(String method, String[] template, Handler handler) {}

    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String template, Handler handler) {
        routes.add(new Route(method, template.substring(1).split("/", -1), handler));
        return this;
    }

    public Router get(String template, Handler handler) {
        return add("GET", template, handler);
    }

    public Router post(String template, Handler handler) {
        return add("POST", template, handler);
    }

    public Router put(String template, Handler handler) {
        return add("PUT", template, handler);
    }

    public Router delete(String template, Handler handler) {
        return add("DELETE", template, handler);
    }

    /** Runs the matching handler; 404 if no template matches the path, 405 if none allows the method. */
    public Response dispatch(String method, List<String> segments, Map<String, String> query, byte[] body) {
        boolean pathMatched = false;
        for (Route route : routes) {
            Map<String, String> params = match(route.template(), segments);
            if (params == null) {
                continue;
            }
            pathMatched = true;
            if (route.method().equals(method)) {
                return route.handler().handle(new Request(params, query, body));
            }
        }
        return pathMatched
            ? Response.error(405, 405, "HTTP 405 Method Not Allowed")
            : Response.error(404, 404, "HTTP 404 Not Found");
    }

    private static Map<String, String> match(String[] template, List<String> segments) {
        if (template.length == 1 && template[0].isEmpty()) {
            return segments.isEmpty() ? Map.of() : null;
        }
        if (template.length != segments.size()) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String part = template[i];
            if (part.startsWith("{") && part.endsWith("}")) {
                params.put(part.substring(1, part.length() - 1), segments.get(i));
            } else if (!part.equals(segments.get(i))) {
                return null;
            }
        }
        return params;
    }
}
