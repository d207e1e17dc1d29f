package io.prefstream.app.campaign;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import io.prefstream.inference.reference.ReferenceInferenceServer;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.registry.RegistryOptions;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.clients.admin.Admin;

/**
 * What a campaign runs in its own process and never kills: a real KRaft broker, the Kafka-backed
 * schema registry, the reference inference server and every pipeline topic. Unlike the demo's
 * embedded stack, the broker and the inference server can be stopped and started again on the same
 * port (and the broker on the same data), which is what the broker-restart and fault campaigns do
 * while the stages keep running.
 */
final class CampaignStack implements AutoCloseable {
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);

    private final Path kafkaDir;
    private EmbeddedKafkaBroker broker;
    private final int kafkaPort;
    private final SchemaRegistryServer registry;
    private ReferenceInferenceServer inference;
    private final int inferencePort;
    private final Map<String, String> settings;

    private CampaignStack(Path dataDir, ReferenceServerSettings inferenceSettings, Map<String, String> topicSettings) {
        this.kafkaDir = dataDir.resolve("kafka");
        broker = new EmbeddedKafkaBroker(kafkaDir, 0).start();
        kafkaPort = Integer.parseInt(broker.bootstrapServers().substring(broker.bootstrapServers().lastIndexOf(':') + 1));
        SchemaRegistryServer startedRegistry = null;
        try {
            startedRegistry = SchemaRegistryServer.start(broker.bootstrapServers(), 0, RegistryOptions.defaults());
            inference = ReferenceInferenceServer.start(inferenceSettings);
        } catch (RuntimeException e) {
            if (startedRegistry != null) {
                startedRegistry.close();
            }
            broker.close();
            throw e;
        }
        registry = startedRegistry;
        inferencePort = inference.port();
        Map<String, String> all = new TreeMap<>(topicSettings);
        all.put(PrefStreamConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        all.put(PrefStreamConfig.SCHEMA_REGISTRY_URL, registry.url());
        all.put(PrefStreamConfig.INFERENCE_ENDPOINTS, inference.address());
        settings = Map.copyOf(all);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            new Topics(settings).createMissing(admin, TOPIC_TIMEOUT);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts everything in {@code dataDir}; the topics get {@code topicSettings} (partitions, prefix). */
    static CampaignStack start(Path dataDir, ReferenceServerSettings inference, Map<String, String> topicSettings) {
        return new CampaignStack(dataDir, inference, topicSettings);
    }

    /** The addresses and topic settings every client of this stack needs. */
    Map<String, String> settings() {
        return settings;
    }

    String readyLine() {
        return "ready bootstrap=" + settings.get(PrefStreamConfig.BOOTSTRAP_SERVERS) + " registry=" + registry.url()
            + " inference=" + settings.get(PrefStreamConfig.INFERENCE_ENDPOINTS);
    }

    /** A clean broker shutdown (controlled, logs flushed); clients see it go away. */
    synchronized void stopBroker() {
        broker.close();
    }

    /** The broker again, on the same data and the same client port. */
    synchronized void startBroker() {
        broker = new EmbeddedKafkaBroker(kafkaDir, kafkaPort).start();
    }

    /** Takes the inference endpoint away: calls in flight fail, new connections are refused. */
    synchronized void stopInference() {
        inference.close();
    }

    /** The inference server again, on the same port, with these settings (latency, faults). */
    synchronized void startInference(ReferenceServerSettings settings) {
        inference = ReferenceInferenceServer.start(settings.withPort(inferencePort));
    }

    @Override
    public synchronized void close() {
        closeQuietly(inference);
        closeQuietly(registry);
        closeQuietly(broker);
    }

    private static void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception ignored) {
            // stopping the campaign's own helpers: nothing left to protect
        }
    }
}
