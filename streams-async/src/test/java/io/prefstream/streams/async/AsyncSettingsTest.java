package io.prefstream.streams.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** A stage's async-processor keys under its prefix: defaults, overrides, validation. */
class AsyncSettingsTest {
    private static final ConfigDef DEFINITION = AsyncSettings.define(new ConfigDef(), "stage.async.", 64,
        "Records waiting, per task.");

    @Test
    void theKeysLiveUnderTheStagePrefixWithTheirDefaults() {
        AsyncSettings settings = AsyncSettings.of(new AbstractConfig(DEFINITION,
            Map.of("stage.async.max.block.ms", "1500")), "stage.async.");

        assertThat(settings).isEqualTo(new AsyncSettings(64, AsyncSettings.DEFAULT_MAX_PENDING_BYTES,
            Duration.ofMillis(1500), AsyncSettings.DEFAULT_DRAIN_INTERVAL));
        assertThat(DEFINITION.names()).containsExactlyInAnyOrder("stage.async.max.pending.records",
            "stage.async.max.pending.bytes", "stage.async.max.block.ms", "stage.async.drain.interval.ms");
    }

    @Test
    void aBoundBelowOneIsRefusedWithTheKeyNamed() {
        assertThatThrownBy(() -> new AbstractConfig(DEFINITION, Map.of("stage.async.max.pending.records", "0")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("stage.async.max.pending.records");
    }
}
