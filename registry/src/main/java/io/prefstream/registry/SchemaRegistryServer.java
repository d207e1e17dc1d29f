package io.prefstream.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.prefstream.registry.http.CompatibilityResource;
import io.prefstream.registry.http.ConfigResource;
import io.prefstream.registry.http.HttpApi;
import io.prefstream.registry.http.Response;
import io.prefstream.registry.http.Router;
import io.prefstream.registry.http.SchemasResource;
import io.prefstream.registry.http.SubjectsResource;
import io.prefstream.registry.store.KafkaStore;
import io.prefstream.registry.store.RegistryState;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent-compatible Schema Registry (Avro) whose state lives in a compacted Kafka topic.
 * Confluent clients cannot tell it from Confluent's: same REST API, same error codes, same topic
 * format. See the module README for what it covers.
 *
 * <pre>{@code
 * try (SchemaRegistryServer registry = SchemaRegistryServer.start("127.0.0.1:9092", 0, RegistryOptions.defaults())) {
 *     String url = registry.url();
 * }
 * }</pre>
 */
public final class SchemaRegistryServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);
    private static final int HTTP_THREADS = 8;
    /**
     * The JDK server writes response headers and body in two packets; with Nagle's algorithm on, the
     * body waits for the client's delayed ACK (~40 ms per request). The JDK reads this flag once, when
     * its first server is created, so it is set here unless the user already chose.
     */
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    static {
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }

    private final KafkaStore store;
    private final HttpServer http;
    private final ExecutorService executor;
    private final String host;

    private SchemaRegistryServer(KafkaStore store, HttpServer http, ExecutorService executor, String host) {
        this.store = store;
        this.http = http;
        this.executor = executor;
        this.host = host;
    }

    /**
     * Loads the schema topic (creating it if missing) and starts serving HTTP.
     *
     * @param bootstrapServers Kafka brokers holding the schema topic
     * @param port             HTTP port, or 0 for a free one
     */
    public static SchemaRegistryServer start(String bootstrapServers, int port, RegistryOptions options) {
        Map<String, Object> clientProperties = new HashMap<>(options.kafkaClientProperties());
        clientProperties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        RegistryState state = new RegistryState();
        KafkaStore store = new KafkaStore(options.topic(), clientProperties, options.storeTimeout(), state::apply);
        HttpServer http = null;
        ExecutorService executor = null;
        try {
            store.start();
            SchemaRegistry registry = new SchemaRegistry(state, store);
            Router router = new Router().get("/", request -> Response.ok(Map.of()))
                // Modes (READONLY, IMPORT) are not supported: this registry is always read-write.
                .get("/mode", request -> Response.ok(Map.of("mode", "READWRITE")));
            new SubjectsResource(registry).addTo(router);
            new SchemasResource(registry).addTo(router);
            new ConfigResource(registry).addTo(router);
            new CompatibilityResource(registry).addTo(router);
            http = HttpServer.create(new InetSocketAddress(options.host(), port), 0);
            http.createContext("/", new HttpApi(router, options.basicAuthUserInfo()));
            executor = Executors.newFixedThreadPool(HTTP_THREADS, daemonThreads());
            http.setExecutor(executor);
            http.start();
        } catch (IOException e) {
            store.close();
            if (executor != null) {
                executor.shutdownNow();
            }
            throw new UncheckedIOException("cannot listen on " + options.host() + ":" + port, e);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        SchemaRegistryServer server = new SchemaRegistryServer(store, http, executor, options.host());
        log.info("schema registry serving {} from topic {} on {}", server.url(), options.topic(), bootstrapServers);
        return server;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** The base URL clients use; a wildcard bind address is reached through 127.0.0.1. */
    public String url() {
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.isEmpty();
        return "http://" + (wildcard ? "127.0.0.1" : host) + ":" + port();
    }

    /**
     * Why the store stopped following the schema topic, or null while it follows it. After a failure every
     * write fails and reads may be stale: only a restart helps.
     */
    public RuntimeException storeFailure() {
        return store.readerFailure();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        store.close();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "registry-http-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
