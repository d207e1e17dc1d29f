package io.prefstream.registry;

import java.time.Duration;
import java.util.Map;

import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.platform.ops.OpsServerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Settings of the standalone registry ({@code prefstream registry}): the shared keys, {@code registry.*}
 * and the ops server's {@code metrics.port} and {@code metrics.host}.
 */
public final class RegistryConfig extends PrefStreamConfig {
    public static final String PORT = "registry.port";
    private static final String PORT_DOC = "HTTP port of the registry; 0 picks a free one.";

    public static final String HOST = "registry.host";
    private static final String HOST_DOC = "Address the registry listens on; 0.0.0.0 for every interface.";

    public static final String TOPIC = "registry.topic";
    private static final String TOPIC_DOC =
        "Compacted single-partition topic holding every schema and config (created if missing).";

    public static final String BASIC_AUTH = "registry.basic.auth.user.info";
    private static final String BASIC_AUTH_DOC =
        "user:password that clients must send with HTTP basic auth; empty for no authentication.";

    public static final String STORE_TIMEOUT_MS = "registry.store.timeout.ms";
    private static final String STORE_TIMEOUT_MS_DOC =
        "How long one write to the schema topic, or reading it at start, may take before it fails (error 50001).";

    public static ConfigDef definition() {
        return OpsServerConfig.define(baseDefinition())
            .define(PORT, Type.INT, 8081, Range.between(0, 65535), Importance.HIGH, PORT_DOC)
            .define(HOST, Type.STRING, RegistryOptions.DEFAULT_HOST, Importance.MEDIUM, HOST_DOC)
            .define(TOPIC, Type.STRING, RegistryOptions.DEFAULT_TOPIC, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                TOPIC_DOC)
            .define(BASIC_AUTH, Type.PASSWORD, "", Importance.MEDIUM, BASIC_AUTH_DOC)
            .define(STORE_TIMEOUT_MS, Type.LONG, RegistryOptions.DEFAULT_STORE_TIMEOUT.toMillis(), Range.atLeast(1),
                Importance.LOW, STORE_TIMEOUT_MS_DOC);
    }

    public RegistryConfig(Map<String, ?> originals) {
        super(definition(), originals);
    }

    public int port() {
        return getInt(PORT);
    }

    /** Everything but the broker and port, for {@link SchemaRegistryServer#start}. */
    public RegistryOptions options() {
        return new RegistryOptions(getString(TOPIC), getString(HOST), getPassword(BASIC_AUTH).value(),
            kafkaClientProperties(), Duration.ofMillis(getLong(STORE_TIMEOUT_MS)));
    }
}
