package io.prefstream.ingest.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.prefstream.ingest.cli.IngestCommand;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.testing.SharedRegistry;
import io.prefstream.ingest.testing.TopicReader;
import io.prefstream.platform.config.ConfigSources;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedData;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The shared AlpacaEval file through {@code ingest --format generations} and the running pairing stage. */
@ExtendWith({SharedKafkaBroker.class, SharedRegistry.class})
class PairingAppTest {
    @TempDir
    Path dir;

    @Test
    void alpacaEvalGivesExactly12024CandidatePairsWithUniqueIds(EmbeddedKafkaBroker broker, SchemaRegistryServer registry)
        throws Exception {
        String prefix = SharedKafkaBroker.uniqueName("p") + ".";
        Path config = dir.resolve("pairing.properties");
        Files.writeString(config, String.join("\n",
            "bootstrap.servers=" + broker.bootstrapServers(),
            "schema.registry.url=" + registry.url(),
            "topic.prefix=" + prefix,
            "topic.partitions=3",
            "ingest.pairing.application.id=" + SharedKafkaBroker.uniqueName("pairing"),
            "ingest.pairing.responses.per.prompt=4",
            "ingest.pairing.gap.ms=1000",
            "state.dir=" + dir.resolve("streams"),
            "commit.interval.ms=200", ""));
        int code = new CommandLine(new IngestCommand()).setOut(new PrintWriter(new StringWriter()))
            .setErr(new PrintWriter(new StringWriter()))
            .execute("--config", config.toString(), "--progress=off", "--format", "generations",
                SharedData.file(SharedData.ALPACA_EVAL).toString());
        assertThat(code).isZero();

        IngestConfig settings = new IngestConfig(ConfigSources.load(config, Map.of(), Map.of()));
        Topics topics = Topics.from(settings);
        try (PairingApp app = PairingApp.start(settings, topics)) {
            Await.until(Duration.ofSeconds(120), "12,024 pairs on " + topics.pairsRaw().name(),
                () -> TopicReader.readAll(broker.bootstrapServers(), topics.pairsRaw()).size(), n -> n >= 12_024);
        }
        List<ConsumerRecord<String, PreferencePair>> pairs = TopicReader.readAll(broker.bootstrapServers(), topics.pairsRaw());
        assertThat(pairs).hasSize(12_024);
        assertThat(pairs.stream().map(ConsumerRecord::key).distinct().count()).isEqualTo(12_024);
        assertThat(pairs).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getPairId()));
        topics.registry().close();
    }
}
