package io.prefstream.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefStreamConfigTest {

    @Test
    void environmentOverridesFileAndExplicitValuesOverrideEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stage.properties");
        Files.writeString(file, "bootstrap.servers=file:9092\ntopic.prefix=fromfile.\nsasl.mechanism=PLAIN\n");
        Map<String, String> env = Map.of(
            "PREFSTREAM_BOOTSTRAP_SERVERS", "env:9092",
            "PREFSTREAM_SASL_JAAS_CONFIG", "jaas",
            "PREFSTREAM_SOME__KEY___WITH_DASH", "odd",
            "HOME", "/root");

        Map<String, String> merged = ConfigSources.load(file, env, Map.of("topic.prefix", "cli."));

        assertThat(merged).containsEntry("bootstrap.servers", "env:9092")
            .containsEntry("topic.prefix", "cli.")
            .containsEntry("sasl.mechanism", "PLAIN")
            .containsEntry("sasl.jaas.config", "jaas")
            .containsEntry("some_key-with.dash", "odd")
            .doesNotContainKey("home");
    }

    @Test
    void kafkaClientPropertiesPassEverythingPrefStreamDoesNotOwn() {
        PrefStreamConfig config = new PrefStreamConfig(Map.of(
            "bootstrap.servers", "a:1,b:2",
            "security.protocol", "SASL_SSL",
            "ssl.truststore.location", "/etc/ts.jks",
            "schema.registry.url", "http://registry:8081",
            "inference.endpoints", "triton:8001",
            "consistency.delta", "0.1",
            "metrics.port", "9400",
            "metrics.recording.level", "DEBUG"));

        assertThat(config.kafkaClientProperties())
            .containsOnlyKeys("bootstrap.servers", "security.protocol", "ssl.truststore.location", "metrics.recording.level")
            .containsEntry("bootstrap.servers", "a:1,b:2");
    }

    @Test
    void rejectsAnEmptyBootstrapList() {
        assertThatThrownBy(() -> new PrefStreamConfig(Map.of("bootstrap.servers", "")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("bootstrap.servers");
    }

    @Test
    void describeListsEveryKeyWithItsDefault() {
        String help = PrefStreamConfig.describe(PrefStreamConfig.baseDefinition());
        assertThat(help).contains("bootstrap.servers (list, default 127.0.0.1:9092)")
            .contains("topic.prefix (string, default prefstream.)")
            .contains("schema.registry.url");
    }
}
