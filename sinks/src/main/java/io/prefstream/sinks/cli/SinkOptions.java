package io.prefstream.sinks.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;

import io.prefstream.platform.config.ConfigSources;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.sinks.config.SinkConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Options every sinks command shares: the config file and the most common overrides. */
public final class SinkOptions {
    @Option(names = "--config", paramLabel = "FILE",
        description = "Java properties file: PrefStream keys (sink.*, topic.*, ...) and any Kafka client setting.")
    Path configFile;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
        description = "Kafka brokers (default: bootstrap.servers from the config, else 127.0.0.1:9092).")
    String bootstrap;

    @Option(names = "--registry", paramLabel = "URL",
        description = "Schema Registry URL (default: schema.registry.url from the config, else http://127.0.0.1:8081).")
    String registry;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Data directory holding the default warehouse (default: sink.data.dir from the config, else ./data).")
    Path dataDir;

    /** The settings: file, then PREFSTREAM_* environment, then these options. */
    public SinkConfig config() {
        Map<String, String> overrides = new HashMap<>();
        if (bootstrap != null) {
            overrides.put(PrefStreamConfig.BOOTSTRAP_SERVERS, bootstrap);
        }
        if (registry != null) {
            overrides.put(PrefStreamConfig.SCHEMA_REGISTRY_URL, registry);
        }
        if (dataDir != null) {
            overrides.put(SinkConfig.DATA_DIR, dataDir.toString());
        }
        return new SinkConfig(ConfigSources.load(configFile, overrides));
    }

    /** Lists every configuration key under the command's help. */
    public static final class ConfigKeysFooter implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return withKeys(spec, SinkConfig.definition());
        }

        /** Puts every key of {@code definition}, its default and doc, under the help of {@code spec}. */
        static CommandSpec withKeys(CommandSpec spec, ConfigDef definition) {
            spec.usageMessage().footerHeading("%nConfiguration keys (--config file, or env PREFSTREAM_<KEY>):%n");
            spec.usageMessage().footer(PrefStreamConfig.describe(definition).replace("%", "%%"));
            return spec;
        }
    }
}
