package io.prefstream.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.prefstream.ingest.cli.IngestCommand;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.model.GenerationDraft;
import io.prefstream.ingest.model.PairDraft;
import io.prefstream.ingest.model.Turn;
import io.prefstream.ingest.pairing.PairingApp;
import io.prefstream.ingest.produce.Accepted;
import io.prefstream.ingest.produce.PrefProducer;
import io.prefstream.ingest.produce.PrefProducers;
import io.prefstream.ingest.produce.TopicProvisioner;
import io.prefstream.ingest.validate.InvalidRecordException;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedData;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.ingest.testing.SharedRegistry;
import io.prefstream.ingest.testing.TopicReader;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.Generation;
import io.prefstream.schemas.LabelSource;
import io.prefstream.schemas.PrefIds;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Ingest end to end: the real shared files through the command line into the in-process broker,
 * serialized through the real Schema Registry, with exact counts read back from the topics. Pairs
 * reach pairs.raw through the ingest service's Streams app (pairs.submitted → dedup → pairs.raw).
 */
@ExtendWith({SharedKafkaBroker.class, SharedRegistry.class})
class IngestKafkaTest {
    private static SchemaRegistryServer registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void registry(SchemaRegistryServer shared) {
        registry = shared;
    }

    private static Map<String, String> settings(EmbeddedKafkaBroker broker) {
        return Map.of("bootstrap.servers", broker.bootstrapServers(), "schema.registry.url", registry.url(),
            "topic.prefix", SharedKafkaBroker.uniqueName("t") + ".", "topic.partitions", "3");
    }

    private record Run(int exitCode, String out, String err) {}

    private Run ingest(Map<String, String> settings, String... args) throws Exception {
        Path config = dir.resolve("ingest.properties");
        Files.writeString(config, "topic.prefix=" + settings.get("topic.prefix") + "\ntopic.partitions=3\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 7];
        System.arraycopy(new String[] {"--bootstrap", settings.get("bootstrap.servers"), "--registry", settings.get("schema.registry.url"),
            "--config", config.toString(), "--progress=off"}, 0, all, 0, 7);
        System.arraycopy(args, 0, all, 7, args.length);
        int code = new CommandLine(new IngestCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void hhRlhfFileGivesOneRawPairPerAcceptedLine(EmbeddedKafkaBroker broker) throws Exception {
        Map<String, String> settings = new HashMap<>(settings(broker));
        settings.put(IngestConfig.PAIRING_APPLICATION_ID, SharedKafkaBroker.uniqueName("ingest-app"));
        settings.put("state.dir", dir.resolve("state").toString());
        IngestConfig config = new IngestConfig(settings);
        Topics topics = Topics.from(config);
        List<ConsumerRecord<String, PreferencePair>> records;
        try (PairingApp app = PairingApp.start(config, topics)) {
            Run run = ingest(settings, "--format", "hh-rlhf", SharedData.file(SharedData.HH_RLHF).toString());

            assertThat(run.exitCode()).as(run.err()).isEqualTo(IngestCommand.EXIT_REJECTED);
            assertThat(run.out()).contains("-> " + topics.pairsSubmitted().name(), "read      2312",
                "sent      2303 (acknowledged by the broker)", "rejected  9", "failed    0");
            Await.until(Duration.ofSeconds(60), "2,303 pairs on " + topics.pairsRaw().name(),
                () -> TopicReader.readAll(broker.bootstrapServers(), topics.pairsRaw()).size(), n -> n >= 2303);
            records = TopicReader.readAll(broker.bootstrapServers(), topics.pairsRaw());
            assertThat(app.duplicatePairs()).isZero();
        }
        assertThat(records).hasSize(2303);
        Set<String> pairIds = new HashSet<>();
        Set<String> lines = new HashSet<>();
        for (ConsumerRecord<String, PreferencePair> record : records) {
            PreferencePair pair = record.value();
            assertThat(record.key()).isEqualTo(pair.getPairId());
            assertThat(pair.getPairId()).isEqualTo(PrefIds.pairId(PrefIds.promptId(pair.getPrompt()),
                pair.getChosen().getResponseId(), pair.getRejected().getResponseId()));
            assertThat(pair.getLabelSource()).isEqualTo(LabelSource.DATASET);
            assertThat(pair.getSource()).isEqualTo("hh-rlhf-harmless-base-test");
            pairIds.add(pair.getPairId());
            lines.add(pair.getMetadata().get("line"));
        }
        assertThat(pairIds).hasSize(2303);
        assertThat(lines).hasSize(2303).doesNotContain("87", "517", "926", "1104", "1255", "1689", "1951", "1953", "2037");
        topics.registry().close();
    }

    @Test
    void alpacaEvalFileGivesEveryGenerationKeyedByPrompt(EmbeddedKafkaBroker broker) throws Exception {
        Map<String, String> settings = settings(broker);
        Run run = ingest(settings, "--format", "generations", SharedData.file(SharedData.ALPACA_EVAL).toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(IngestCommand.EXIT_OK);
        assertThat(run.out()).contains("read      4830", "sent      4830", "rejected  0");
        Topics topics = Topics.from(new IngestConfig(settings));
        List<ConsumerRecord<String, Generation>> records = TopicReader.readAll(broker.bootstrapServers(), topics.generations());
        assertThat(records).hasSize(4830);
        Set<String> prompts = new HashSet<>();
        Set<String> responses = new HashSet<>();
        for (ConsumerRecord<String, Generation> record : records) {
            assertThat(record.key()).isEqualTo(record.value().getPromptId());
            prompts.add(record.value().getPromptId());
            responses.add(record.value().getResponseId());
        }
        assertThat(prompts).hasSize(805);
        assertThat(responses).as("identical texts of two generators share a response id").hasSize(4819);
        topics.registry().close();
    }

    @Test
    void prefProducerSendsDraftsAndReadyRecordsAndRefusesInvalidOnes(EmbeddedKafkaBroker broker) throws Exception {
        IngestConfig config = new IngestConfig(settings(broker));
        Topics topics = Topics.from(config);
        TopicProvisioner.ensure(config.kafkaClientProperties(), List.of(topics.generations(), topics.pairsSubmitted()),
            config.startupTimeout());
        PreferencePair built;
        try (PrefProducer producer = PrefProducers.create(config, topics)) {
            Accepted generation = producer.send(new GenerationDraft(List.of(Turn.user("2+2?")), "4", "m1"), "test", Map.of())
                .get(30, TimeUnit.SECONDS);
            assertThat(generation.metadata().topic()).isEqualTo(topics.generations().name());
            assertThat(producer.pairsTopic()).isEqualTo(topics.pairsSubmitted().name());
            built = producer.builder().pair(new PairDraft(List.of(Turn.user("2+2?")), "4", "5", "human"), "test", Map.of());
            List<Accepted> batch = producer.sendAll(List.of(built)).get(30, TimeUnit.SECONDS);
            assertThat(batch).singleElement().satisfies(a -> assertThat(a.metadata().offset()).isZero());

            assertThatThrownBy(() -> producer.send(new PairDraft(List.of(Turn.user("q")), "same", "same", null), "test", Map.of()))
                .isInstanceOf(InvalidRecordException.class).hasMessage("rejected: identical to chosen");
            PreferencePair forged = PreferencePair.newBuilder(built).setPairId("0".repeat(64)).build();
            assertThatThrownBy(() -> producer.sendAll(List.of(built, forged)))
                .isInstanceOf(InvalidRecordException.class).hasMessageStartingWith("pair_id: does not match the content (expected ");
        }
        assertThat(TopicReader.readAll(broker.bootstrapServers(), topics.pairsSubmitted()))
            .singleElement().satisfies(r -> assertThat(r.value()).isEqualTo(built));
        assertThat(TopicReader.readAll(broker.bootstrapServers(), topics.generations())).hasSize(1);
        topics.registry().close();
    }

    @Test
    void unreachableKafkaFailsFastWithExitThreeAndNothingSent() throws Exception {
        Path config = dir.resolve("fast.properties");
        Files.writeString(config, "ingest.startup.timeout.ms=1500\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new IngestCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(
            "--bootstrap", "127.0.0.1:1", "--registry", registry.url(), "--config", config.toString(), "--progress=off",
            "--format", "generations", SharedData.file(SharedData.ALPACA_EVAL).toString());

        assertThat(code).isEqualTo(IngestCommand.EXIT_FAILED);
        assertThat(err.toString()).contains("Kafka at 127.0.0.1:1 did not answer within 1500 ms");
        assertThat(out.toString()).doesNotContain("sent");
    }
}
