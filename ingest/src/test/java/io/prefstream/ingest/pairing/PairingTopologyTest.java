package io.prefstream.ingest.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import io.prefstream.ingest.model.GenerationDraft;
import io.prefstream.ingest.model.Turn;
import io.prefstream.ingest.produce.RecordBuilder;
import io.prefstream.ingest.read.GenerationsFormat;
import io.prefstream.ingest.read.LineSource;
import io.prefstream.ingest.read.Parsed;
import io.prefstream.ingest.read.RecordReader;
import io.prefstream.ingest.validate.InvalidRecordException;
import io.prefstream.ingest.validate.ValidationLimits;
import io.prefstream.ingest.validate.Validator;
import io.prefstream.platform.testing.SharedData;
import io.prefstream.schemas.Generation;
import io.prefstream.schemas.LabelSource;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.registry.InMemorySchemaRegistryClient;
import io.prefstream.schemas.serde.AvroSerde;
import io.prefstream.schemas.topic.Topic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pairing rule, record by record, and over the whole AlpacaEval file. */
class PairingTopologyTest {
    private static final Duration GAP = Duration.ofSeconds(30);
    private static final RecordBuilder BUILDER = new RecordBuilder(new Validator(ValidationLimits.DEFAULTS), Clock.systemUTC());

    private String scope;
    private TopologyTestDriver driver;
    private TestInputTopic<String, Generation> in;
    private TestOutputTopic<String, PreferencePair> out;

    @BeforeEach
    void scope() {
        scope = "pairing-" + UUID.randomUUID();
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
        InMemorySchemaRegistryClient.dropScope(scope);
    }

    private void start(PairingSettings settings) {
        InMemorySchemaRegistryClient registry = InMemorySchemaRegistryClient.forScope(scope);
        Map<String, Object> serde = Map.of("schema.registry.url", InMemorySchemaRegistryClient.SCHEME + scope);
        Topic<String, Generation> generations = new Topic<>("generations", "test", Serdes.String(),
            AvroSerde.specific(Generation.class, registry, serde, false), 1, Optional.empty(), Map.of());
        Topic<String, PreferencePair> pairs = new Topic<>("pairs.raw", "test", Serdes.String(),
            AvroSerde.specific(PreferencePair.class, registry, serde, false), 1, Optional.empty(), Map.of());
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "pairing-test");
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(PairingTopology.build(generations, pairs, settings), properties);
        in = driver.createInputTopic(generations.name(), generations.keySerde().serializer(), generations.valueSerde().serializer());
        out = driver.createOutputTopic(pairs.name(), pairs.keySerde().deserializer(), pairs.valueSerde().deserializer());
    }

    private static PairingSettings settings(int k, int cap) {
        return new PairingSettings(k, GAP, cap, Duration.ofHours(1));
    }

    private void send(String prompt, String response, String generator) throws InvalidRecordException {
        Generation generation = BUILDER.generation(new GenerationDraft(List.of(Turn.user(prompt)), response, generator), "test", Map.of());
        in.pipeInput(generation.getPromptId(), generation);
    }

    @Test
    void releasesAtKThenPairsLateResponsesWithEveryEarlierOne() throws Exception {
        start(settings(3, 100));
        send("q", "a", "m1");
        send("q", "b", "m2");
        assertThat(out.isEmpty()).isTrue();
        send("q", "c", "m3");
        List<PreferencePair> released = out.readValuesToList();
        assertThat(released).hasSize(3).allSatisfy(p -> {
            assertThat(p.getLabelSource()).isEqualTo(LabelSource.NONE);
            assertThat(p.getChosen().getResponseId()).isLessThan(p.getRejected().getResponseId());
            assertThat(p.getMetadata()).containsEntry("paired_by", "k");
        });
        send("q", "d", "m4");
        List<PreferencePair> late = out.readValuesToList();
        assertThat(late).hasSize(3).allSatisfy(p -> {
            assertThat(List.of(p.getChosen().getText(), p.getRejected().getText())).contains("d");
            assertThat(p.getMetadata()).containsEntry("paired_by", "late");
        });
        Set<String> ids = new HashSet<>();
        released.forEach(p -> ids.add(p.getPairId()));
        late.forEach(p -> ids.add(p.getPairId()));
        assertThat(ids).hasSize(6);
    }

    @Test
    void sameTextFromAnotherGeneratorIsOneResponse() throws Exception {
        start(settings(3, 100));
        send("q", "a", "m1");
        send("q", "a", "m2");
        send("q", "b", "m3");
        assertThat(out.isEmpty()).as("two distinct responses are fewer than K").isTrue();
        send("q", "c", "m4");
        assertThat(out.readValuesToList()).hasSize(3);
        PromptState state = driver.<String, PromptState>getKeyValueStore(PairingProcessor.PROMPTS_STORE)
            .get(BUILDER.generation(new GenerationDraft(List.of(Turn.user("q")), "a", "m1"), "test", Map.of()).getPromptId());
        assertThat(state.duplicates()).isEqualTo(1);
        assertThat(state.responses()).extracting(PromptState.Seen::generator).containsExactly("m1", "m3", "m4");
    }

    @Test
    void releasesAfterTheGapWithoutNewResponsesButNotALoneResponse() throws Exception {
        start(settings(5, 100));
        send("q", "a", "m1");
        send("q", "b", "m2");
        send("lonely", "x", "m1");
        driver.advanceWallClockTime(GAP.minusSeconds(5));
        assertThat(out.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        List<PreferencePair> pairs = out.readValuesToList();
        assertThat(pairs).singleElement().satisfies(p -> assertThat(p.getMetadata()).containsEntry("paired_by", "gap"));
        driver.advanceWallClockTime(GAP.multipliedBy(3));
        assertThat(out.isEmpty()).as("released once; the lone response has nothing to pair with").isTrue();
    }

    @Test
    void capsThePairsOfOnePrompt() throws Exception {
        start(settings(4, 5));
        for (String response : List.of("a", "b", "c", "d", "e")) {
            send("q", response, "m");
        }
        assertThat(out.readValuesToList()).hasSize(5);
    }

    @Test
    void forgetsPromptsAfterRetention() throws Exception {
        start(new PairingSettings(2, GAP, 100, Duration.ofMinutes(5)));
        send("q", "a", "m1");
        send("q", "b", "m2");
        assertThat(out.readValuesToList()).hasSize(1);
        String promptId = BUILDER.generation(new GenerationDraft(List.of(Turn.user("q")), "a", "m1"), "t", Map.of()).getPromptId();
        assertThat(driver.getKeyValueStore(PairingProcessor.PROMPTS_STORE).get(promptId)).isNotNull();
        driver.advanceWallClockTime(Duration.ofMinutes(6));
        assertThat(driver.getKeyValueStore(PairingProcessor.PROMPTS_STORE).get(promptId)).isNull();
        assertThat(driver.getKeyValueStore(PairingProcessor.ACTIVITY_STORE).get(promptId)).isNull();
    }

    @Test
    void alpacaEvalGivesExactly12024DistinctPairs() throws IOException, InvalidRecordException {
        start(settings(6, 100));
        int generations = 0;
        try (RecordReader<GenerationDraft> reader = new RecordReader<>(
            LineSource.open(SharedData.file(SharedData.ALPACA_EVAL), ValidationLimits.DEFAULT_MAX_RECORD_BYTES), new GenerationsFormat())) {
            while (reader.hasNext()) {
                Parsed<GenerationDraft> parsed = reader.next();
                Generation generation = BUILDER.generation(parsed.value(), "alpaca-eval", Map.of());
                in.pipeInput(generation.getPromptId(), generation);
                generations++;
            }
        }
        driver.advanceWallClockTime(GAP.plusSeconds(1)); // prompts with fewer than 6 distinct answers
        List<PreferencePair> pairs = new ArrayList<>(out.readValuesToList());

        assertThat(generations).isEqualTo(4830);
        assertThat(pairs).hasSize(12_024);
        assertThat(pairs.stream().map(PreferencePair::getPairId).distinct().count()).isEqualTo(12_024);
        assertThat(pairs.stream().map(PreferencePair::getPromptId).distinct().count()).isEqualTo(805);
        assertThat(pairs).allSatisfy(p -> assertThat(p.getChosen().getText()).isNotEqualTo(p.getRejected().getText()));
    }
}
