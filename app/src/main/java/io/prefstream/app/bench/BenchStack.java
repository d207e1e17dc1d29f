package io.prefstream.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.prefstream.inference.reference.ReferenceInferenceServer;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.registry.RegistryOptions;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What a benchmark runs against, in this process and in a fresh temporary directory: a real KRaft
 * broker (or a given Kafka cluster), the Kafka-backed schema registry, the reference inference server
 * and every pipeline topic. Topics, the registry's topic and the stages' application ids carry a
 * run id, so runs never share state even on one cluster; a fresh stack per measured side keeps the
 * server's counters (ModelStatistics) of one side apart from the other's. Closing it stops everything
 * it started and deletes the directory.
 */
final class BenchStack implements AutoCloseable {
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final String runId;
    private final EmbeddedKafkaBroker broker;
    private final String bootstrapServers;
    private final SchemaRegistryServer registry;
    private final ReferenceInferenceServer inference;
    private final Map<String, String> settings;

    private BenchStack(Path dir, String runId, String externalBootstrap, ReferenceServerSettings server,
                       Map<String, String> stageSettings) {
        this.dir = dir;
        this.runId = runId;
        broker = externalBootstrap == null ? new EmbeddedKafkaBroker(dir.resolve("kafka"), 0).start() : null;
        bootstrapServers = broker == null ? externalBootstrap : broker.bootstrapServers();
        SchemaRegistryServer startedRegistry = null;
        ReferenceInferenceServer startedInference = null;
        try {
            startedRegistry = SchemaRegistryServer.start(bootstrapServers, 0,
                RegistryOptions.defaults().withTopic(runId + "._schemas"));
            startedInference = ReferenceInferenceServer.start(server);
        } catch (RuntimeException e) {
            closeQuietly(startedRegistry);
            closeQuietly(broker);
            throw e;
        }
        registry = startedRegistry;
        inference = startedInference;
        Map<String, String> all = new TreeMap<>(stageSettings);
        all.put(PrefStreamConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        all.put(PrefStreamConfig.TOPIC_PREFIX, runId + ".");
        all.put(PrefStreamConfig.SCHEMA_REGISTRY_URL, registry.url());
        all.put(PrefStreamConfig.INFERENCE_ENDPOINTS, inference.address());
        all.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("streams").toString());
        settings = Map.copyOf(all);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            new Topics(settings).createMissing(admin, TOPIC_TIMEOUT);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Starts a stack whose stages will use {@code stageSettings} plus the addresses of its parts.
     *
     * @param externalBootstrap a Kafka cluster to use instead of an in-process broker; null for the latter
     */
    static BenchStack start(String name, String externalBootstrap, ReferenceServerSettings server,
                            Map<String, String> stageSettings) throws IOException {
        Path dir = Files.createTempDirectory("prefstream-bench-" + name);
        String runId = "bench-" + name + "-" + Long.toHexString(System.nanoTime());
        try {
            return new BenchStack(dir, runId, externalBootstrap, server, stageSettings);
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    /** Every setting a stage needs: the stage settings given at start, the addresses and the state dir. */
    Map<String, String> settings() {
        return settings;
    }

    /** A properties file with this run's topic prefix, for the ingest command's {@code --config}. */
    Path ingestConfigFile() throws IOException {
        Path file = dir.resolve("ingest.properties");
        Files.writeString(file, PrefStreamConfig.TOPIC_PREFIX + "=" + settings.get(PrefStreamConfig.TOPIC_PREFIX) + "\n");
        return file;
    }

    /** The run's temporary directory, deleted on close: room for what a benchmark writes besides the stack. */
    Path directory() {
        return dir;
    }

    /** Unique to this stack: prefix of its topics and of its stages' application ids. */
    String runId() {
        return runId;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    String registryUrl() {
        return registry.url();
    }

    @Override
    public void close() {
        closeQuietly(inference);
        closeQuietly(registry);
        closeQuietly(broker);
        deleteQuietly(dir);
    }

    private static void closeQuietly(AutoCloseable part) {
        if (part == null) {
            return;
        }
        try {
            part.close();
        } catch (Exception ignored) {
            // stopping a benchmark's helper: nothing left to protect
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
