package io.prefstream.registry.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prefstream.registry.RegistryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol around every resource: optional basic auth, accepted content types, path and query
 * decoding, Confluent's content type on answers and {@code {"error_code", "message"}} on errors.
 */
public final class HttpApi implements HttpHandler {
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    /** What Confluent's registry accepts as a request body type. */
    static final Set<String> ACCEPTED_BODY_TYPES = Set.of(CONTENT_TYPE, "application/vnd.schemaregistry+json",
        "application/json", "application/octet-stream");
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    private final Router router;
    private final byte[] expectedAuthorization;

    /** @param basicAuthUserInfo {@code user:password} required from every client, or null for no auth */
    public HttpApi(Router router, String basicAuthUserInfo) {
        this.router = router;
        this.expectedAuthorization = basicAuthUserInfo == null ? null
            : ("Basic " + Base64.getEncoder().encodeToString(basicAuthUserInfo.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response;
            try {
                response = respond(exchange);
            } catch (RegistryException e) {
                response = Response.error(e.httpStatus(), e.errorCode(), e.getMessage());
            } catch (RuntimeException e) {
                log.error("internal error on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                response = Response.error(500, 500, "Internal Server Error: " + e);
            }
            send(exchange, response);
        }
    }

    private Response respond(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"prefstream-registry\"");
            return Response.error(401, 401, "Unauthorized");
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (body.length > 0 && contentType != null && !ACCEPTED_BODY_TYPES.contains(mediaType(contentType))) {
            return Response.error(415, 415, "HTTP 415 Unsupported Media Type: " + contentType);
        }
        return router.dispatch(exchange.getRequestMethod(), segments(exchange.getRequestURI().getRawPath()),
            query(exchange.getRequestURI().getRawQuery()), body);
    }

    private boolean authorized(HttpExchange exchange) {
        if (expectedAuthorization == null) {
            return true;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        return given != null && MessageDigest.isEqual(expectedAuthorization, given.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** Path segments, each percent-decoded on its own so a subject may contain an encoded {@code /}. */
    static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery == null) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            query.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return query;
    }
}
