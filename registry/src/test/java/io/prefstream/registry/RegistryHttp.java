package io.prefstream.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A plain java.net.http client of the registry's REST API, for tests: real HTTP, no client library. */
final class RegistryHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String authorization;

    RegistryHttp(String baseUrl) {
        this(baseUrl, null);
    }

    RegistryHttp(String baseUrl, String userInfo) {
        this.baseUrl = baseUrl;
        this.authorization = userInfo == null ? null
            : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    /** Status, body and content type of one answer. */
    record Reply(int status, String body, String contentType) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        int errorCode() {
            return json().path("error_code").asInt();
        }
    }

    Reply get(String path) {
        return send(request(path).GET());
    }

    Reply delete(String path) {
        return send(request(path).DELETE());
    }

    Reply post(String path, String json) {
        return post(path, json, CONTENT_TYPE);
    }

    Reply post(String path, String body, String contentType) {
        return send(request(path).header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply put(String path, String json) {
        return send(request(path).header("Content-Type", CONTENT_TYPE).PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** POST /subjects/{subject}/versions; returns the id, failing on anything but 200. */
    int register(String subject, String schema) {
        Reply reply = post("/subjects/" + subject + "/versions", schemaBody(schema));
        if (reply.status() != 200) {
            throw new AssertionError("register under " + subject + " failed: " + reply);
        }
        return reply.json().get("id").asInt();
    }

    /** {"schema": "..."} with the schema as a JSON string. */
    static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
            .header("Accept", CONTENT_TYPE);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private Reply send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(),
                response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
