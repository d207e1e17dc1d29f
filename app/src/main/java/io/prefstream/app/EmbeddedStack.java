package io.prefstream.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import io.prefstream.inference.reference.ReferenceInferenceServer;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.http.IngestServer;
import io.prefstream.ingest.produce.PrefProducer;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.registry.RegistryOptions;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the pipeline needs, in this process: a real single-node KRaft broker, every pipeline
 * topic, the Confluent-compatible schema registry, the reference inference server and the HTTP
 * ingest endpoint. Started in
 * dependency order and closed in reverse.
 */
public final class EmbeddedStack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedStack.class);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);
    private static final String LOOPBACK = "127.0.0.1";

    /**
     * Where and how to run. Port 0 picks a free port.
     *
     * @param topicSettings PrefStream settings for the topics (prefix, partitions, ...); bootstrap and
     *                      registry URL are filled in by the stack
     */
    public record Options(Path dataDir, int kafkaPort, int registryPort, int inferencePort, int ingestPort,
                          ReferenceServerSettings inference, Map<String, String> topicSettings) {}

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final EmbeddedKafkaBroker broker;
    private final SchemaRegistryServer registry;
    private final ReferenceInferenceServer inference;
    private final List<String> createdTopics;
    private final IngestServer ingest;

    private EmbeddedStack(Options options) {
        try {
            broker = remember(new EmbeddedKafkaBroker(options.dataDir().resolve("kafka"), options.kafkaPort()).start());
            registry = remember(SchemaRegistryServer.start(broker.bootstrapServers(), options.registryPort(),
                RegistryOptions.defaults()));
            inference = remember(ReferenceInferenceServer.start(options.inference().withPort(options.inferencePort())));
            createdTopics = createTopics(options.topicSettings());
            ingest = startIngest(options);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts every part; on failure, stops what had started and rethrows. */
    public static EmbeddedStack start(Options options) {
        return new EmbeddedStack(options);
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    public String inferenceAddress() {
        return inference.address();
    }

    public String ingestUrl() {
        return ingest.url();
    }

    /** Topics that did not exist before this start (empty on a restart over the same data dir). */
    public List<String> createdTopics() {
        return createdTopics;
    }

    /** The settings a stage needs to reach this stack, on top of {@code base}. */
    public Map<String, String> clientSettings(Map<String, String> base) {
        Map<String, String> settings = new java.util.TreeMap<>(base);
        settings.put(PrefStreamConfig.BOOTSTRAP_SERVERS, bootstrapServers());
        settings.put(PrefStreamConfig.SCHEMA_REGISTRY_URL, registryUrl());
        settings.put(PrefStreamConfig.INFERENCE_ENDPOINTS, inferenceAddress());
        return settings;
    }

    /** The one line that tells people and scripts the stack is up, and where. */
    public String readyLine() {
        return "ready bootstrap=" + bootstrapServers() + " registry=" + registryUrl() + " inference=" + inferenceAddress()
            + " ingest=" + ingestUrl();
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            try {
                part.close();
            } catch (Exception e) {
                log.warn("error while stopping {}", part.getClass().getSimpleName(), e);
            }
        }
    }

    private <T extends AutoCloseable> T remember(T part) {
        started.push(part);
        return part;
    }

    private IngestServer startIngest(Options options) {
        IngestConfig config = new IngestConfig(clientSettings(options.topicSettings()));
        PrefProducer producer = remember(IngestServer.producer(config, Topics.from(config)));
        return remember(IngestServer.start(config, producer, LOOPBACK, options.ingestPort()));
    }

    private List<String> createTopics(Map<String, String> topicSettings) {
        Map<String, String> settings = clientSettings(topicSettings);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            List<String> created = new Topics(settings).createMissing(admin, TOPIC_TIMEOUT);
            log.info("created {} topics", created.size());
            return created;
        }
    }
}
