package io.prefstream.streams.async;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncStageDefaultsTest {

    @Test
    void fillsWhatTheConfigurationLeavesUnset() {
        Properties props = new Properties();

        AsyncStageDefaults.putIfAbsent(props);

        assertThat(props).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
            .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 500L)
            .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        // and Kafka Streams accepts them
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "defaults");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        StreamsConfig config = new StreamsConfig(props);
        assertThat(config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(500L);
        assertThat(config.getLong(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo(-1L);
    }

    @Test
    void keepsWhatTheConfigurationSets() {
        Map<String, Object> props = new HashMap<>(Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100",
            StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE));

        AsyncStageDefaults.putIfAbsent(props);

        assertThat(props).containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100")
            .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)
            .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    }
}
