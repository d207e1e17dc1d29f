package io.prefstream.schemas.registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A real HTTP server on a free local port that answers like a Confluent Schema Registry with canned
 * answers: each "METHOD path" gets a queue of answers (the last one repeats), and every request is
 * recorded, so tests can check what the client sent and how often. It is not a registry: it knows
 * nothing about schemas.
 */
public final class ConfluentShapedServer implements AutoCloseable {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    public record Answer(int status, String body) {
    }

    public record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }
    }

    private final HttpServer server;
    private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    public ConfluentShapedServer() throws IOException {
        this(null);
    }

    /** Serves https with {@code tls} when it is not null. */
    public ConfluentShapedServer(SSLContext tls) throws IOException {
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 0);
        if (tls == null) {
            server = HttpServer.create(local, 0);
        } else {
            HttpsServer https = HttpsServer.create(local, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code method path} with these answers in turn, repeating the last one. */
    public ConfluentShapedServer answer(String method, String path, Answer... inTurn) {
        answers.put(method + " " + path, new ArrayDeque<>(List.of(inTurn)));
        return this;
    }

    public List<Request> requests() {
        return requests;
    }

    public long count(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(exchange.getRequestHeaders());
        requests.add(new Request(method, path, exchange.getRequestURI().getRawQuery(), headers, body));
        Answer answer = next(method + " " + path);
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private Answer next(String key) {
        Deque<Answer> queue = answers.get(key);
        if (queue == null) {
            return new Answer(404, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}");
        }
        synchronized (queue) {
            return queue.size() > 1 ? queue.poll() : queue.peek();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
