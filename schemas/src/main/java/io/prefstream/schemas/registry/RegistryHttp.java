package io.prefstream.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON over HTTP to a Confluent-compatible registry: content types, basic auth, TLS, retries with
 * exponential backoff on connection errors and 5xx answers (moving to the next URL each time), and the
 * mapping of error answers to {@link SchemaRegistryException}.
 */
final class RegistryHttp {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
        "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttp.class);

    private final ObjectMapper json = new ObjectMapper();
    private final List<String> baseUrls;
    private final String authorization;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final long backoffMs;
    private final long backoffMaxMs;
    private volatile int currentUrl;

    RegistryHttp(SchemaRegistryClientConfig config) {
        this.baseUrls = config.urls().stream().map(RegistryHttp::withoutTrailingSlash).toList();
        String userInfo = config.basicAuthUserInfo();
        this.authorization = userInfo.isEmpty() ? null
            : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        this.requestTimeout = Duration.ofMillis(config.getInt(SchemaRegistryClientConfig.REQUEST_TIMEOUT_MS));
        this.maxRetries = config.getInt(SchemaRegistryClientConfig.MAX_RETRIES);
        this.backoffMs = config.getLong(SchemaRegistryClientConfig.RETRY_BACKOFF_MS);
        this.backoffMaxMs = config.getLong(SchemaRegistryClientConfig.RETRY_BACKOFF_MAX_MS);
        // HTTP/1.1 like Confluent's own client: no h2c upgrade attempts that some proxies and registries mishandle
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(requestTimeout);
        String truststore = config.getString(SchemaRegistryClientConfig.TRUSTSTORE_LOCATION);
        if (!truststore.isEmpty()) {
            builder.sslContext(sslContext(Path.of(truststore),
                config.getPassword(SchemaRegistryClientConfig.TRUSTSTORE_PASSWORD).value(),
                config.getString(SchemaRegistryClientConfig.TRUSTSTORE_TYPE)));
        }
        this.http = builder.build();
    }

    ObjectMapper json() {
        return json;
    }

    /** Percent-encodes one path segment (a subject name). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    private JsonNode send(String method, String path, Object body) {
        byte[] payload = body == null ? null : toJson(body);
        RuntimeException lastFailure = null;
        int lastStatus = SchemaRegistryException.NONE;
        int lastErrorCode = SchemaRegistryException.NONE;
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            if (attempt > 0) {
                pause(attempt);
            }
            String url = baseUrls.get(currentUrl) + path;
            HttpResponse<byte[]> response;
            try {
                response = http.send(request(method, url, payload), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                lastFailure = new SchemaRegistryUnavailableException(
                    method + " " + url + " failed: " + e, SchemaRegistryException.NONE, SchemaRegistryException.NONE, e);
                LOG.debug("registry request failed, attempt {} of {}", attempt + 1, maxRetries + 1, e);
                nextUrl();
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryUnavailableException(method + " " + url + " interrupted",
                    SchemaRegistryException.NONE, SchemaRegistryException.NONE, e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return parse(method, url, response.body());
            }
            ErrorBody error = errorBody(status, response.body());
            String message = method + " " + url + " failed: HTTP " + status + " (error_code " + error.code + "): "
                + error.message;
            if (status < 500) {
                throw new SchemaRegistryException(message, status, error.code);
            }
            lastFailure = new SchemaRegistryUnavailableException(message, status, error.code, null);
            lastStatus = status;
            lastErrorCode = error.code;
            LOG.debug("registry answered {}, attempt {} of {}", status, attempt + 1, maxRetries + 1);
            nextUrl();
        }
        throw new SchemaRegistryUnavailableException("Schema Registry unavailable after " + (maxRetries + 1)
            + " attempts: " + lastFailure.getMessage(), lastStatus, lastErrorCode, lastFailure.getCause());
    }

    private HttpRequest request(String method, String url, byte[] payload) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
            .timeout(requestTimeout)
            .header("Accept", ACCEPT)
            .method(method, payload == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(payload));
        if (payload != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    private void pause(int attempt) {
        long exponential = backoffMs << Math.min(attempt - 1, 30);
        long wait = Math.min(backoffMaxMs, exponential < 0 ? backoffMaxMs : exponential);
        long jittered = wait - (long) (wait * 0.2 * ThreadLocalRandom.current().nextDouble());
        try {
            Thread.sleep(jittered);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryUnavailableException("interrupted while waiting to retry",
                SchemaRegistryException.NONE, SchemaRegistryException.NONE, e);
        }
    }

    private void nextUrl() {
        currentUrl = (currentUrl + 1) % baseUrls.size();
    }

    private byte[] toJson(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write request body as JSON", e);
        }
    }

    private JsonNode parse(String method, String url, byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new SchemaRegistryException(method + " " + url + " answered something that is not JSON: "
                + preview(body), SchemaRegistryException.NONE, SchemaRegistryException.NONE, e);
        }
    }

    private record ErrorBody(int code, String message) {
    }

    /** Confluent error bodies are {@code {"error_code": N, "message": "..."}}; anything else is kept as text. */
    private ErrorBody errorBody(int status, byte[] body) {
        try {
            JsonNode error = json.readTree(body);
            if (error != null && error.has("error_code")) {
                return new ErrorBody(error.get("error_code").asInt(), error.path("message").asText(""));
            }
        } catch (IOException notJson) {
            // fall through: proxies and load balancers answer with HTML or plain text
        }
        return new ErrorBody(status, preview(body));
    }

    private static String preview(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static SSLContext sslContext(Path truststore, String password, String type) {
        try (InputStream in = Files.newInputStream(truststore)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.isEmpty() ? null : password.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(SchemaRegistryClientConfig.TRUSTSTORE_LOCATION, truststore.toString(),
                "cannot load trust store: " + e.getMessage());
        }
    }
}
