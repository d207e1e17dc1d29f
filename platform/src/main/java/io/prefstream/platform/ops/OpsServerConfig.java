package io.prefstream.platform.ops;

import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Settings of the per-process ops HTTP server ({@code /metrics}, {@code /healthz}, {@code /readyz}).
 * A stage adds them to its own definition with {@link #define(ConfigDef)} so {@code --help} lists them,
 * and builds this config from the same originals: unknown keys are ignored here.
 */
public final class OpsServerConfig extends AbstractConfig {
    public static final String PORT = "metrics.port";
    private static final String PORT_DOC = "TCP port of the ops HTTP server (/metrics in Prometheus text format, "
        + "/healthz, /readyz); 0 picks a free port, -1 disables the server.";
    public static final int DEFAULT_PORT = 9400;

    public static final String HOST = "metrics.host";
    private static final String HOST_DOC = "Address the ops HTTP server binds to; 0.0.0.0 for every interface "
        + "(needed for Prometheus scrapes and kubelet probes from outside the pod).";
    public static final String DEFAULT_HOST = "0.0.0.0";

    public OpsServerConfig(Map<String, ?> originals) {
        super(define(new ConfigDef()), originals, false);
    }

    /** Adds the ops server keys to {@code definition} and returns it. */
    public static ConfigDef define(ConfigDef definition) {
        return definition
            .define(PORT, Type.INT, DEFAULT_PORT, Range.between(-1, 65535), Importance.MEDIUM, PORT_DOC)
            .define(HOST, Type.STRING, DEFAULT_HOST, new ConfigDef.NonEmptyString(), Importance.LOW, HOST_DOC);
    }

    public int port() {
        return getInt(PORT);
    }

    public String host() {
        return getString(HOST);
    }

    public boolean enabled() {
        return port() >= 0;
    }
}
