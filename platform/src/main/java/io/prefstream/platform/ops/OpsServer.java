package io.prefstream.platform.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops HTTP endpoint every PrefStream process serves (JDK {@link HttpServer}, no framework):
 * <ul>
 *   <li>{@code GET /metrics}: the registry in Prometheus text format (OpenMetrics when the scraper asks
 *       for {@code application/openmetrics-text});</li>
 *   <li>{@code GET /healthz}: liveness, 200 while every liveness check holds (none registered: the process
 *       answers, so it is alive), else 503;</li>
 *   <li>{@code GET /readyz}: readiness, 200 while every readiness check holds, else 503.</li>
 * </ul>
 * Probe bodies are one line per check, {@code ok <name>: <detail>} or {@code FAIL <name>: <detail>}, so a
 * {@code curl} shows at once which check is failing and why.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = StageMetrics.registry("consistency");
 * StageMetrics.bind(streams, registry);
 * try (OpsServer ops = OpsServer.builder(registry)
 *         .readiness("kafka-streams", KafkaStreamsChecks.running(streams))
 *         .liveness("kafka-streams", KafkaStreamsChecks.notFailed(streams, closing::get))
 *         .start(new OpsServerConfig(config.originals()))) { ... }
 * }</pre>
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
    static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static Builder builder(PrometheusMeterRegistry registry) {
        return new Builder(registry);
    }

    /** The port actually bound (useful with {@code metrics.port=0}). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:9400}, for tests and log lines. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    public static final class Builder {
        private final PrometheusMeterRegistry registry;
        private final Map<String, HealthCheck> liveness = new LinkedHashMap<>();
        private final Map<String, HealthCheck> readiness = new LinkedHashMap<>();

        private Builder(PrometheusMeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** Adds a condition {@code /readyz} requires, e.g. Streams RUNNING or inference circuit not open. */
        public Builder readiness(String name, HealthCheck check) {
            add(readiness, name, check);
            return this;
        }

        /** Adds a condition {@code /healthz} requires; failing it makes the kubelet restart the container. */
        public Builder liveness(String name, HealthCheck check) {
            add(liveness, name, check);
            return this;
        }

        private static void add(Map<String, HealthCheck> checks, String name, HealthCheck check) {
            if (checks.putIfAbsent(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check")) != null) {
                throw new IllegalArgumentException("a check named '" + name + "' is already registered");
            }
        }

        /**
         * Binds {@code metrics.host}:{@code metrics.port} and serves. Fails with the address in the message
         * when the port is taken; refuses a config with the server disabled ({@code metrics.port=-1}).
         */
        public OpsServer start(OpsServerConfig config) {
            if (!config.enabled()) {
                throw new IllegalStateException(OpsServerConfig.PORT + "=-1 disables the ops server; check "
                    + "OpsServerConfig.enabled() before starting it");
            }
            InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
            HttpServer server;
            try {
                server = HttpServer.create(address, 16);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind the ops server to " + address + " (" + OpsServerConfig.HOST
                    + "/" + OpsServerConfig.PORT + "): " + e.getMessage(), e);
            }
            // Two threads: a slow scrape must not delay a probe into a kubelet timeout.
            ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "prefstream-ops-http");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            server.createContext("/metrics", exchange -> serve(exchange, "/metrics", () -> metrics(exchange)));
            server.createContext("/healthz", exchange -> serve(exchange, "/healthz", () -> probe(liveness)));
            server.createContext("/readyz", exchange -> serve(exchange, "/readyz", () -> probe(readiness)));
            server.start();
            OpsServer ops = new OpsServer(server, executor);
            log.info("ops server on {}:{} (/metrics, /healthz, /readyz)", config.host(), ops.port());
            return ops;
        }

        private Response metrics(HttpExchange exchange) {
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            String contentType = accept != null && accept.contains("application/openmetrics-text")
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
            return new Response(200, contentType, registry.scrape(contentType));
        }

        private static Response probe(Map<String, HealthCheck> checks) {
            List<String> lines = new ArrayList<>();
            boolean healthy = true;
            for (Map.Entry<String, HealthCheck> check : checks.entrySet()) {
                HealthCheck.Result result;
                try {
                    result = check.getValue().check();
                } catch (RuntimeException e) {
                    result = HealthCheck.Result.down("check threw " + e);
                }
                healthy &= result.healthy();
                lines.add((result.healthy() ? "ok " : "FAIL ") + check.getKey() + ": " + result.detail());
            }
            if (lines.isEmpty()) {
                lines.add("ok process: alive");
            }
            return new Response(healthy ? 200 : 503, TEXT, String.join("\n", lines) + "\n");
        }
    }

    private record Response(int status, String contentType, String body) {}

    private static void serve(HttpExchange exchange, String path, java.util.function.Supplier<Response> handler)
        throws IOException {
        try (exchange) {
            Response response;
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals(path)) {
                // contexts match by prefix; /metricsfoo is not /metrics
                response = new Response(404, TEXT, "not found; try /metrics, /healthz or /readyz\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                response = new Response(405, TEXT, "only GET and HEAD are served here\n");
            } else {
                try {
                    response = handler.get();
                } catch (RuntimeException e) {
                    log.warn("ops endpoint {} failed", exchange.getRequestURI(), e);
                    response = new Response(500, TEXT, "internal error: " + e + "\n");
                }
            }
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            boolean head = method.equals("HEAD");
            exchange.sendResponseHeaders(response.status(), head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
