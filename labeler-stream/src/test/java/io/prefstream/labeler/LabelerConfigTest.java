package io.prefstream.labeler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import io.prefstream.inference.client.ModelRef;
import picocli.CommandLine;

class LabelerConfigTest {
    @Test
    void judgeModelsDefaultToTheInferenceJudgeAndParseVersions() {
        assertThat(new LabelerConfig(Map.of("inference.judge.model", "qwen-judge", "inference.judge.version", "3"))
            .judgeModels()).containsExactly(new ModelRef("qwen-judge", "3"));
        assertThat(new LabelerConfig(Map.of(LabelerConfig.JUDGE_MODELS, "llama:2, qwen")).judgeModels())
            .containsExactly(new ModelRef("llama", "2"), new ModelRef("qwen", ""));
        assertThatThrownBy(() -> new LabelerConfig(Map.of(LabelerConfig.JUDGE_MODELS, ":1")).judgeModels())
            .isInstanceOf(ConfigException.class).hasMessageContaining("has no model name");
        assertThatThrownBy(() -> new LabelerConfig(Map.of(LabelerConfig.SAMPLES_PER_JUDGE, "0")))
            .isInstanceOf(ConfigException.class).hasMessageContaining(LabelerConfig.SAMPLES_PER_JUDGE);
    }

    @Test
    void streamsPropertiesPassClientKeysThroughWithExactlyOnceByDefault() {
        Map<String, Object> props = new LabelerConfig(Map.of("bootstrap.servers", "b:9092", "security.protocol", "SSL",
            "labeler.samples.per.judge", "5", "inference.endpoints", "t:8001")).streamsProperties();
        assertThat(props).containsEntry("bootstrap.servers", "b:9092").containsEntry("security.protocol", "SSL")
            .containsEntry("application.id", "prefstream-labeler").containsEntry("processing.guarantee", "exactly_once_v2")
            .doesNotContainKeys("labeler.samples.per.judge", "inference.endpoints");
        assertThat(new LabelerConfig(Map.of("processing.guarantee", "at_least_once")).streamsProperties())
            .containsEntry("processing.guarantee", "at_least_once");
    }

    @Test
    void helpListsEveryLabelerKeyWithItsDefault() {
        StringWriter help = new StringWriter();
        CommandLine cli = new CommandLine(new RunLabelerCommand());
        cli.setOut(new PrintWriter(help));
        assertThat(cli.execute("--help")).isZero();
        assertThat(help.toString()).contains("--config=FILE", "--set=KEY=VALUE",
            "labeler.samples.per.judge (int, default 3)", "labeler.invalid.answer.retries (int, default 2)",
            "labeler.templates.version (string, default v1)", "inference.judge.model", "topic.prefix");
        LabelerConfig.definition().names().stream().filter(k -> k.startsWith("labeler."))
            .forEach(key -> assertThat(help.toString()).contains(key));
    }
}
