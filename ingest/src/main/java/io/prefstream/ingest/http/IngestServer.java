package io.prefstream.ingest.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.model.PairDraft;
import io.prefstream.ingest.produce.PrefProducer;
import io.prefstream.ingest.produce.PrefProducers;
import io.prefstream.ingest.produce.RecordBuilder;
import io.prefstream.ingest.read.GenerationsFormat;
import io.prefstream.ingest.read.HhRlhfFormat;
import io.prefstream.ingest.read.RecordFormat;
import io.prefstream.ingest.read.TrlFormat;
import io.prefstream.ingest.validate.Validator;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest HTTP endpoint (JDK HTTP server): {@code POST /v1/generations} and {@code POST /v1/pairs}
 * with one JSON object or an NDJSON batch, {@code GET /openapi.json} and {@code GET /healthz}. See
 * {@link IngestRequests} for the answers and {@code openapi.json} for the contract.
 *
 * <p>Query parameters: {@code partial=true} writes the valid items of a request with invalid ones;
 * {@code source} sets the records' source (default {@code http}); for pairs, {@code format=trl|hh-rlhf}
 * (default trl) and {@code label_source} for items that name none (default dataset). Unknown fields
 * of an item are ignored.
 */
public final class IngestServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IngestServer.class);
    private static final int HTTP_THREADS = 8;
    private static final String DEFAULT_SOURCE = "http";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The largest refused body still read to its end before answering 413; see {@link #swallow}. */
    private static final long MAX_SWALLOW_BYTES = 2L * 1024 * 1024;

    private final HttpServer http;
    private final ExecutorService executor;
    private final IngestRequests requests;
    private final RecordBuilder builder;
    private final byte[] token;
    private final int maxRequestBytes;

    private IngestServer(HttpServer http, ExecutorService executor, IngestConfig config, PrefProducer producer) {
        this.http = http;
        this.executor = executor;
        this.requests = new IngestRequests(producer, config.limits().maxRecordBytes(), config.httpAckTimeoutMs(),
            config.httpRetryAfterSeconds());
        this.builder = producer.builder();
        String secret = config.httpAuthToken();
        this.token = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.maxRequestBytes = config.httpMaxRequestBytes();
    }

    /**
     * The producer the endpoint should send through: as {@link PrefProducers#create}, but a send
     * blocks for Kafka metadata no longer than a request waits for its acknowledgement, so an
     * unreachable cluster yields 503 in time rather than a hung request.
     */
    public static PrefProducer producer(IngestConfig config, Topics topics) {
        return PrefProducers.create(config, topics, Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.httpAckTimeoutMs()));
    }

    /** Serves on {@code host:port} (0 for a free port) through {@code producer}, which the caller closes. */
    public static IngestServer start(IngestConfig config, PrefProducer producer, String host, int port) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(HTTP_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "ingest-http");
            thread.setDaemon(true);
            return thread;
        });
        IngestServer server = new IngestServer(http, executor, config, producer);
        http.createContext("/", server::exchange);
        http.setExecutor(executor);
        http.start();
        log.info("ingest endpoint serving {}", server.url());
        return server;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String url() {
        String host = http.getAddress().getAddress().isAnyLocalAddress() ? "127.0.0.1" : http.getAddress().getHostString();
        return "http://" + host + ":" + port();
    }

    private void exchange(HttpExchange exchange) {
        try (exchange) {
            try {
                respond(exchange, 0, route(exchange), Map.of());
            } catch (HttpError e) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("error", e.getMessage());
                body.putAll(e.details);
                respond(exchange, e.status, body, e.headers);
            } catch (RuntimeException e) {
                log.error("ingest request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                respond(exchange, 500, Map.of("error", "internal error: " + e), Map.of());
            }
        } catch (IOException e) {
            log.debug("could not answer {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
        }
    }

    /** The 200/202 body of a request; the status is picked by {@link #respond} from the path. */
    private Object route(HttpExchange exchange) throws HttpError, IOException {
        String path = exchange.getRequestURI().getPath();
        switch (path) {
            case "/healthz" -> {
                requireMethod(exchange, "GET");
                return Map.of("status", "ok");
            }
            case "/openapi.json" -> {
                requireMethod(exchange, "GET");
                return OpenApi.document();
            }
            case "/v1/generations", "/v1/pairs" -> {
                authenticate(exchange);
                requireMethod(exchange, "POST");
                return ingest(exchange, path.equals("/v1/pairs"));
            }
            default -> throw new HttpError(404, "no such resource: " + path + " (see /openapi.json)");
        }
    }

    private Object ingest(HttpExchange exchange, boolean pairs) throws HttpError, IOException {
        BodyType type = BodyType.of(exchange.getRequestHeaders().getFirst("Content-Type"));
        Map<String, String> query = query(exchange.getRequestURI());
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        long declaredLength = declared == null ? -1 : parseLength(declared);
        if (declaredLength > maxRequestBytes) {
            swallow(exchange.getRequestBody(), declaredLength);
            throw tooLarge();
        }
        boolean partial = flag(query, "partial");
        String source = query.getOrDefault("source", DEFAULT_SOURCE);
        try (InputStream body = new BoundedBody(exchange.getRequestBody(), maxRequestBytes)) {
            if (!pairs) {
                allowOnly(query, "partial", "source");
                return requests.handle(type, body, partial, new GenerationsFormat(),
                    draft -> builder.generation(draft, source, Map.of()));
            }
            allowOnly(query, "partial", "source", "format", "label_source");
            String labelSource = query.getOrDefault("label_source", "dataset");
            if (!Validator.KNOWN_LABEL_SOURCES.contains(labelSource)) {
                throw new HttpError(400, "label_source: unknown value \"" + labelSource + "\" (known: "
                    + String.join(", ", Validator.KNOWN_LABEL_SOURCES) + ")");
            }
            return requests.handle(type, body, partial, pairFormat(query.getOrDefault("format", "trl")),
                (PairDraft draft) -> builder.pair(draft.labelSource() == null ? draft.withLabelSource(labelSource) : draft,
                    source, Map.of()));
        } catch (BoundedBody.TooLarge e) {
            throw tooLarge();
        }
    }

    /**
     * Reads and discards a refused body of at most {@link #MAX_SWALLOW_BYTES} before the 413 is sent: a
     * server that closes the connection on unread request bytes makes the client's TCP stack see a reset,
     * often before it has read the answer, so a client still sending would get "connection reset"
     * instead of the reason (Tomcat's maxSwallowSize does the same). A larger body is not read.
     */
    private static void swallow(InputStream body, long declaredLength) throws IOException {
        if (declaredLength <= MAX_SWALLOW_BYTES) {
            body.transferTo(OutputStream.nullOutputStream());
        }
    }

    private HttpError tooLarge() {
        return new HttpError(413, "request body exceeds the limit of " + maxRequestBytes + " bytes; nothing was written");
    }

    private static RecordFormat<PairDraft> pairFormat(String name) throws HttpError {
        return switch (name) {
            case "trl" -> new TrlFormat();
            case "hh-rlhf" -> new HhRlhfFormat();
            default -> throw new HttpError(400, "format: unknown value \"" + name + "\" (known: trl, hh-rlhf)");
        };
    }

    private void authenticate(HttpExchange exchange) throws HttpError {
        if (token == null) {
            return;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new HttpError(401, "a bearer token is required (Authorization: Bearer TOKEN)", Map.of(),
                Map.of("WWW-Authenticate", "Bearer realm=\"prefstream-ingest\""));
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            throw new HttpError(403, "the bearer token is not valid");
        }
    }

    private static void requireMethod(HttpExchange exchange, String method) throws HttpError {
        if (!exchange.getRequestMethod().equals(method)) {
            throw new HttpError(405, exchange.getRequestMethod() + " is not allowed here; use " + method, Map.of(),
                Map.of("Allow", method));
        }
    }

    private static Map<String, String> query(URI uri) throws HttpError {
        Map<String, String> query = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            String[] parts = pair.split("=", 2);
            String name = java.net.URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            String value = parts.length == 2 ? java.net.URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
            if (query.put(name, value) != null) {
                throw new HttpError(400, "query parameter " + name + " given twice");
            }
        }
        return query;
    }

    private static void allowOnly(Map<String, String> query, String... names) throws HttpError {
        List<String> known = List.of(names);
        for (String name : query.keySet()) {
            if (!known.contains(name)) {
                throw new HttpError(400, "unknown query parameter " + name + " (known: " + String.join(", ", known) + ")");
            }
        }
    }

    private static boolean flag(Map<String, String> query, String name) throws HttpError {
        String value = query.getOrDefault(name, "false").toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "" -> true;
            case "false" -> false;
            default -> throw new HttpError(400, name + ": expected true or false, got \"" + value + "\"");
        };
    }

    private static long parseLength(String header) throws HttpError {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw new HttpError(400, "Content-Length is not a number: " + header);
        }
    }

    /** Status 0 means success: 202 for an ingest, 200 for anything else. */
    private static void respond(HttpExchange exchange, int status, Object body, Map<String, String> headers) throws IOException {
        int code = status != 0 ? status : exchange.getRequestURI().getPath().startsWith("/v1/") ? 202 : 200;
        byte[] bytes = body instanceof byte[] raw ? raw : JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
