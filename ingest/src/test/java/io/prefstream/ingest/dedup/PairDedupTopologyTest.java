package io.prefstream.ingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.model.GenerationDraft;
import io.prefstream.ingest.model.PairDraft;
import io.prefstream.ingest.model.Turn;
import io.prefstream.ingest.pairing.PairingApp;
import io.prefstream.ingest.pairing.PoisonInputHandler;
import io.prefstream.ingest.produce.RecordBuilder;
import io.prefstream.ingest.validate.ValidationLimits;
import io.prefstream.ingest.validate.Validator;
import io.prefstream.schemas.Generation;
import io.prefstream.schemas.LabelSource;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.registry.InMemorySchemaRegistryClient;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dedup of submitted pairs, record by record, in the ingest service's whole topology. */
class PairDedupTopologyTest {
    private static final Duration RETENTION = Duration.ofHours(1);
    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    private static final RecordBuilder BUILDER = new RecordBuilder(new Validator(ValidationLimits.DEFAULTS), Clock.systemUTC());

    private String scope;
    private Topics topics;
    private DedupMeters meters;
    private TopologyTestDriver driver;
    private TestInputTopic<String, PreferencePair> submitted;
    private TestOutputTopic<String, PreferencePair> raw;

    @BeforeEach
    void start() {
        scope = "dedup-" + UUID.randomUUID();
        Map<String, String> settings = Map.of("schema.registry.url", InMemorySchemaRegistryClient.SCHEME + scope,
            IngestConfig.DEDUP_RETENTION_MS, Long.toString(RETENTION.toMillis()),
            IngestConfig.PAIRING_RESPONSES_PER_PROMPT, "2");
        topics = new Topics(settings);
        meters = DedupMeters.register(new SimpleMeterRegistry());
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "dedup-test");
        // no exactly_once_v2 here: under it TopologyTestDriver 4.4 drops the dead letters a deserialization handler
        // returns (the broker does not); exactly-once, dead letters included, is tested on the broker (PairDedupAppTest)
        properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, PoisonInputHandler.class);
        properties.put(PoisonInputHandler.ROUTING, PoisonInputHandler.Routing.of(topics));
        driver = new TopologyTestDriver(PairingApp.topology(new IngestConfig(settings), topics, meters), properties);
        submitted = driver.createInputTopic(topics.pairsSubmitted().name(), topics.pairsSubmitted().keySerde().serializer(),
            topics.pairsSubmitted().valueSerde().serializer());
        raw = driver.createOutputTopic(topics.pairsRaw().name(), topics.pairsRaw().keySerde().deserializer(),
            topics.pairsRaw().valueSerde().deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
        InMemorySchemaRegistryClient.dropScope(scope);
    }

    private static PreferencePair pair(String prompt, String chosen, String rejected) throws Exception {
        return BUILDER.pair(new PairDraft(List.of(Turn.user(prompt)), chosen, rejected, "human"), "test", Map.of());
    }

    /** One send of {@code pair} at {@code at}: what a producer writes for one request. */
    private void submit(PreferencePair pair, Instant at) {
        submitted.pipeInput(pair.getPairId(), pair, at);
    }

    private long forwarded() {
        return (long) meters.forwarded().count();
    }

    private long duplicates() {
        return (long) meters.duplicates().count();
    }

    @Test
    void aPairSentInTwoRequestsReachesPairsRawOnceAndTheCopyIsCounted() throws Exception {
        PreferencePair pair = pair("2+2?", "4", "5");
        PreferencePair other = pair("2+3?", "5", "6");

        submit(pair, T0);
        submit(other, T0.plusSeconds(1));
        submit(pair, T0.plus(Duration.ofMinutes(59))); // a second request, within the retention

        List<KeyValue<String, PreferencePair>> out = raw.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsExactly(pair.getPairId(), other.getPairId());
        assertThat(out.get(0).value).isEqualTo(pair);
        assertThat(forwarded()).isEqualTo(2);
        assertThat(duplicates()).isEqualTo(1);
    }

    @Test
    void afterTheRetentionTheSamePairPassesAgainAndStartsANewWindow() throws Exception {
        PreferencePair pair = pair("2+2?", "4", "5");

        submit(pair, T0);
        submit(pair, T0.plus(RETENTION).minusMillis(1)); // still within: dropped
        submit(pair, T0.plus(RETENTION)); // a full retention later: passes
        submit(pair, T0.plus(RETENTION).plus(Duration.ofMinutes(30))); // a copy of that one: dropped

        assertThat(raw.readRecordsToList()).extracting(r -> r.timestamp())
            .containsExactly(T0.toEpochMilli(), T0.plus(RETENTION).toEpochMilli());
        assertThat(forwarded()).isEqualTo(2);
        assertThat(duplicates()).isEqualTo(2);
    }

    @Test
    void aCopyWithAnEarlierTimestampIsStillADuplicate() throws Exception {
        PreferencePair pair = pair("2+2?", "4", "5");

        submit(pair, T0);
        submit(pair, T0.minus(Duration.ofMinutes(10))); // producer clocks differ: order is not time order

        assertThat(raw.readValuesToList()).hasSize(1);
        assertThat(duplicates()).isEqualTo(1);
    }

    @Test
    void expiredIdsLeaveTheStoreSoItStaysBounded() throws Exception {
        PreferencePair old = pair("2+2?", "4", "5");
        submit(old, T0);
        WindowStore<String, Long> store = driver.getWindowStore(PairDedupProcessor.STORE);
        assertThat(ids(store)).containsExactly(old.getPairId());

        PreferencePair later = pair("2+3?", "5", "6");
        submit(later, T0.plus(RETENTION.multipliedBy(3))); // stream time moves on: the old segment is dropped

        assertThat(ids(store)).containsExactly(later.getPairId());
    }

    @Test
    void generatedPairsDoNotPassThroughTheDedup() throws Exception {
        TestInputTopic<String, Generation> generations = driver.createInputTopic(topics.generations().name(),
            topics.generations().keySerde().serializer(), topics.generations().valueSerde().serializer());
        for (String response : List.of("4", "5")) {
            Generation generation = BUILDER.generation(new GenerationDraft(List.of(Turn.user("2+2?")), response, "m"),
                "test", Map.of());
            generations.pipeInput(generation.getPromptId(), generation, T0);
        }

        assertThat(raw.readValuesToList()).singleElement()
            .satisfies(p -> assertThat(p.getLabelSource()).isEqualTo(LabelSource.NONE));
        assertThat(forwarded() + duplicates()).as("the dedup saw nothing").isZero();
    }

    @Test
    void undeserializableInputsAreDeadLetteredAndTheNextPairStillPasses() throws Exception {
        byte[] poison = "not avro".getBytes(StandardCharsets.UTF_8);
        for (String input : List.of(topics.pairsSubmitted().name(), topics.generations().name())) {
            driver.createInputTopic(input, new ByteArraySerializer(), new ByteArraySerializer())
                .pipeInput("k".getBytes(StandardCharsets.UTF_8), poison);
        }
        PreferencePair pair = pair("2+2?", "4", "5");
        submit(pair, T0);

        assertThat(raw.readValuesToList()).containsExactly(pair);
        for (var input : List.of(topics.pairsSubmitted(), topics.generations())) {
            var dlq = topics.dlq(input);
            assertThat(driver.createOutputTopic(dlq.name(), dlq.keySerde().deserializer(), dlq.valueSerde().deserializer())
                .readValuesToList()).singleElement().satisfies(letter -> {
                    assertThat(letter.getSourceTopic()).isEqualTo(input.name());
                    assertThat(letter.getOriginalValue().array()).isEqualTo(poison);
                    assertThat(letter.getStage()).isEqualTo("ingest");
                    assertThat(letter.getMessage()).startsWith("cannot deserialize the record");
                });
        }
    }

    private static List<String> ids(WindowStore<String, Long> store) {
        try (KeyValueIterator<Windowed<String>, Long> all = store.all()) {
            List<String> ids = new ArrayList<>();
            all.forEachRemaining(entry -> ids.add(entry.key.key()));
            return ids;
        }
    }
}
