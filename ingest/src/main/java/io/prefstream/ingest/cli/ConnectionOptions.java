package io.prefstream.ingest.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.platform.config.ConfigSources;
import io.prefstream.platform.config.PrefStreamConfig;
import picocli.CommandLine.Option;

/** The options every ingest command shares: where Kafka and the registry are, and the config file. */
public final class ConnectionOptions {
    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
        description = "Kafka brokers (default: bootstrap.servers from the config, else 127.0.0.1:9092).")
    String bootstrap;

    @Option(names = "--registry", paramLabel = "URL",
        description = "Schema Registry URL (default: schema.registry.url from the config, else http://127.0.0.1:8081).")
    String registry;

    @Option(names = "--config", paramLabel = "FILE",
        description = "Java properties file: PrefStream keys and any Kafka client or Streams setting "
            + "(security.protocol, sasl.*, ssl.*), passed to every client unchanged.")
    Path configFile;

    /** The config file, then PREFSTREAM_* environment variables, then these options. */
    IngestConfig load() {
        Map<String, String> overrides = new HashMap<>();
        if (bootstrap != null) {
            overrides.put(PrefStreamConfig.BOOTSTRAP_SERVERS, bootstrap);
        }
        if (registry != null) {
            overrides.put(PrefStreamConfig.SCHEMA_REGISTRY_URL, registry);
        }
        return new IngestConfig(ConfigSources.load(configFile, overrides));
    }
}
