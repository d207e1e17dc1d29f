package io.prefstream.registry;

import java.time.Duration;
import java.util.Map;

/**
 * How a {@link SchemaRegistryServer} runs, apart from its broker and port.
 *
 * @param topic                  the compacted topic that stores every schema and config
 * @param host                   address the HTTP server binds to
 * @param basicAuthUserInfo      {@code user:password} every client must send with HTTP basic auth, or null for none
 * @param kafkaClientProperties  extra Kafka client settings (security.protocol, sasl.*, ssl.*) for the store's clients
 * @param storeTimeout           how long one write to the topic (or the initial read of it) may take
 */
public record RegistryOptions(String topic, String host, String basicAuthUserInfo,
                              Map<String, Object> kafkaClientProperties, Duration storeTimeout) {
    public static final String DEFAULT_TOPIC = "_schemas";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final Duration DEFAULT_STORE_TIMEOUT = Duration.ofSeconds(30);

    public RegistryOptions {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("the schema topic name must not be empty");
        }
        if (basicAuthUserInfo != null && basicAuthUserInfo.isEmpty()) {
            basicAuthUserInfo = null;
        }
        if (basicAuthUserInfo != null && !basicAuthUserInfo.contains(":")) {
            throw new IllegalArgumentException("basic auth must be given as user:password");
        }
        kafkaClientProperties = Map.copyOf(kafkaClientProperties);
    }

    public static RegistryOptions defaults() {
        return new RegistryOptions(DEFAULT_TOPIC, DEFAULT_HOST, null, Map.of(), DEFAULT_STORE_TIMEOUT);
    }

    public RegistryOptions withTopic(String newTopic) {
        return new RegistryOptions(newTopic, host, basicAuthUserInfo, kafkaClientProperties, storeTimeout);
    }

    public RegistryOptions withHost(String newHost) {
        return new RegistryOptions(topic, newHost, basicAuthUserInfo, kafkaClientProperties, storeTimeout);
    }

    public RegistryOptions withBasicAuth(String userInfo) {
        return new RegistryOptions(topic, host, userInfo, kafkaClientProperties, storeTimeout);
    }

    public RegistryOptions withKafkaClientProperties(Map<String, Object> properties) {
        return new RegistryOptions(topic, host, basicAuthUserInfo, properties, storeTimeout);
    }

    public RegistryOptions withStoreTimeout(Duration timeout) {
        return new RegistryOptions(topic, host, basicAuthUserInfo, kafkaClientProperties, timeout);
    }
}
