package io.prefstream.platform.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The settings every PrefStream process shares. Each stage extends {@link #baseDefinition()} with
 * its own {@code <stage>.*} keys. Any key PrefStream does not own is a Kafka client setting and is
 * passed unchanged to every producer, consumer, admin client and Streams instance the process
 * creates, so {@code security.protocol}, {@code sasl.*} and {@code ssl.*} work as users write them.
 */
public class PrefStreamConfig extends AbstractConfig {
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    private static final String BOOTSTRAP_SERVERS_DOC =
        "Kafka brokers to connect to, host:port, comma-separated.";

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    private static final String SCHEMA_REGISTRY_URL_DOC =
        "Base URL of a Confluent-compatible Schema Registry (Confluent, Karapace, Apicurio ccompat, Redpanda, "
            + "or PrefStream's own).";

    public static final String SCHEMA_REGISTRY_BASIC_AUTH = "schema.registry.basic.auth.user.info";
    private static final String SCHEMA_REGISTRY_BASIC_AUTH_DOC =
        "user:password for HTTP basic auth against the registry; empty for none.";

    public static final String INFERENCE_ENDPOINTS = "inference.endpoints";
    private static final String INFERENCE_ENDPOINTS_DOC =
        "Inference servers speaking the KServe v2 gRPC protocol (Triton), host:port, comma-separated.";

    public static final String TOPIC_PREFIX = "topic.prefix";
    private static final String TOPIC_PREFIX_DOC =
        "Prefix put before every PrefStream topic name, so several pipelines can share a cluster.";

    /**
     * Key prefixes that belong to PrefStream rather than to the Kafka clients. Keys under them are
     * never handed to a Kafka client.
     */
    public static final List<String> OWNED_PREFIXES = List.of(
        "schema.registry.", "inference.", "topic.", "registry.", "ingest.", "labeler.", "consistency.",
        "sink.", "local.",
        // only the ops server's keys: Kafka's own metrics.* client settings must still reach the clients
        "metrics.port", "metrics.host");

    public static ConfigDef baseDefinition() {
        return new ConfigDef()
            .define(BOOTSTRAP_SERVERS, Type.LIST, "127.0.0.1:9092", PrefStreamConfig::requireNonEmptyList, Importance.HIGH,
                BOOTSTRAP_SERVERS_DOC)
            .define(SCHEMA_REGISTRY_URL, Type.STRING, "http://127.0.0.1:8081", new ConfigDef.NonEmptyString(),
                Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            .define(SCHEMA_REGISTRY_BASIC_AUTH, Type.PASSWORD, "", Importance.LOW, SCHEMA_REGISTRY_BASIC_AUTH_DOC)
            .define(INFERENCE_ENDPOINTS, Type.LIST, "127.0.0.1:8001", Importance.HIGH, INFERENCE_ENDPOINTS_DOC)
            .define(TOPIC_PREFIX, Type.STRING, "prefstream.", Importance.MEDIUM, TOPIC_PREFIX_DOC);
    }

    private static void requireNonEmptyList(String name, Object value) {
        if (!(value instanceof List<?> list) || list.isEmpty() || list.stream().anyMatch(v -> v.toString().isBlank())) {
            throw new org.apache.kafka.common.config.ConfigException(name, value, "must list at least one host:port");
        }
    }

    public PrefStreamConfig(Map<String, ?> originals) {
        this(baseDefinition(), originals);
    }

    protected PrefStreamConfig(ConfigDef definition, Map<String, ?> originals) {
        super(definition, originals, false);
    }

    public String bootstrapServers() {
        return String.join(",", getList(BOOTSTRAP_SERVERS));
    }

    public String schemaRegistryUrl() {
        return getString(SCHEMA_REGISTRY_URL);
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX);
    }

    /**
     * The settings to give every Kafka client: bootstrap servers plus every key PrefStream does not
     * own, unchanged.
     */
    public Map<String, Object> kafkaClientProperties() {
        Map<String, Object> client = new TreeMap<>();
        originals().forEach((key, value) -> {
            if (!isOwned(key)) {
                client.put(key, value);
            }
        });
        client.put(BOOTSTRAP_SERVERS, bootstrapServers());
        return client;
    }

    private static boolean isOwned(String key) {
        return OWNED_PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** A plain-text listing of every key, its type, default and doc, for {@code --help}. */
    public static String describe(ConfigDef definition) {
        StringBuilder out = new StringBuilder();
        for (ConfigDef.ConfigKey key : new java.util.TreeMap<>(definition.configKeys()).values()) {
            Object def = key.hasDefault() ? key.defaultValue : "(required)";
            if (key.type == Type.PASSWORD && key.hasDefault()) {
                def = "\"\"";
            } else if (def instanceof List<?> list) {
                def = String.join(",", list.stream().map(String::valueOf).toList());
            }
            out.append("  ").append(key.name).append(" (").append(key.type.toString().toLowerCase())
                .append(", default ").append(def).append(")\n      ").append(key.documentation).append('\n');
        }
        return out.toString();
    }
}
