package io.prefstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.prefstream.schemas.Generation;
import io.prefstream.schemas.LabelSource;
import io.prefstream.schemas.Lineage;
import io.prefstream.schemas.Message;
import io.prefstream.schemas.PrefIds;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.Response;
import io.prefstream.schemas.Role;
import io.prefstream.schemas.registry.ConfluentShapedServer;
import io.prefstream.schemas.registry.ConfluentShapedServer.Answer;
import io.prefstream.schemas.registry.InMemorySchemaRegistryClient;
import io.prefstream.schemas.registry.SchemaRegistryClient;
import io.prefstream.schemas.registry.SchemaRegistryUnavailableException;
import io.prefstream.schemas.serde.AvroSerializationException.Reason;

class AvroSerdeTest {
    private static final String TOPIC = "prefstream.test";
    private final String scope = "serde-test-" + UUID.randomUUID();
    private final SchemaRegistryClient registry = InMemorySchemaRegistryClient.forScope(scope);

    @AfterEach
    void dropRegistry() {
        InMemorySchemaRegistryClient.dropScope(scope);
    }

    private Map<String, Object> config(Object... keyValues) {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", "mock://" + scope);
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put((String) keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    private <T extends org.apache.avro.specific.SpecificRecord> AvroSerde<T> serde(Class<T> type) {
        return AvroSerde.specific(type, registry, config(), false);
    }

    static PreferencePair pair() {
        List<Message> prompt = List.of(new Message(Role.system, "Be kind."), new Message(Role.user, "Hello"));
        String promptId = PrefIds.promptId(prompt);
        String a = PrefIds.responseId(promptId, "Hi there!");
        String b = PrefIds.responseId(promptId, "Go away.");
        return PreferencePair.newBuilder()
            .setPairId(PrefIds.pairId(promptId, a, b))
            .setPromptId(promptId)
            .setPrompt(prompt)
            .setChosen(new Response(a, "Hi there!", "model-a"))
            .setRejected(new Response(b, "Go away.", null))
            .setLabelSource(LabelSource.DATASET)
            .setSource("unit-test")
            .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_123L))
            .setMetadata(Map.of("line", "7"))
            .build();
    }

    @Test
    void wireFormatBytesOfAKnownRecordAndId() throws IOException {
        // The registry assigns id 0x01020304, so the header also shows the big-endian byte order.
        try (ConfluentShapedServer server = new ConfluentShapedServer()) {
            server.answer("POST", "/subjects/" + TOPIC + "-value/versions", new Answer(200, "{\"id\":16909060}"))
                .answer("GET", "/schemas/ids/16909060", new Answer(200,
                    new ObjectMapper().writeValueAsString(Map.of("schema", Lineage.getClassSchema().toString()))));
            Map<String, Object> http = Map.of("schema.registry.url", server.url());
            AvroSerializer<Lineage> serializer = new AvroSerializer<>();
            serializer.configure(http, false);

            byte[] bytes = serializer.serialize(TOPIC, new Lineage("t", 3, 300L));

            byte[] expected = {
                0x00,                   // magic byte
                0x01, 0x02, 0x03, 0x04, // schema id, big-endian
                0x02, 0x74,             // source_topic: length 1 (zigzag 2), "t"
                0x06,                   // partition 3 (zigzag 6)
                (byte) 0xD8, 0x04       // offset 300 (zigzag 600 = 0x258: varint d8 04)
            };
            assertThat(bytes).containsExactly(expected);

            AvroDeserializer<Lineage> deserializer = new AvroDeserializer<>(Lineage.class, null);
            deserializer.configure(http, false);
            assertThat(deserializer.deserialize(TOPIC, expected)).isEqualTo(new Lineage("t", 3, 300L));
        }
    }

    @Test
    void wireFormatBytesOfEnumsUnionsAndEmptyStrings() {
        byte[] message = serde(Message.class).serializer().serialize(TOPIC, new Message(Role.user, "Hi"));
        int messageId = registry.getId(TOPIC + "-value", Message.getClassSchema());
        // role user = enum index 1 (zigzag 02); content "Hi" = length 2 (zigzag 04), 'H', 'i'
        assertThat(message).containsExactly(0, 0, 0, 0, messageId, 0x02, 0x04, 'H', 'i');

        byte[] response = serde(Response.class).serializer().serialize("responses", new Response("ab", "", "m"));
        int responseId = registry.getId("responses-value", Response.getClassSchema());
        // "ab"; "" (length 0); generator = union branch 1 (string, zigzag 02), "m"
        assertThat(response).containsExactly(0, 0, 0, 0, responseId, 0x04, 'a', 'b', 0x00, 0x02, 0x02, 'm');
        assertThat(responseId).isNotEqualTo(messageId);
    }

    @Test
    void specificRecordsRoundTripWithNestedRecordsEnumsMapsAndTimestamps() {
        AvroSerde<PreferencePair> serde = serde(PreferencePair.class);
        PreferencePair pair = pair();

        PreferencePair back = serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, pair));

        assertThat(back).isEqualTo(pair);
        assertThat(back.getCreatedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
        assertThat(back.getPrompt().get(1).getRole()).isEqualTo(Role.user);
        assertThat(registry.getSubjects()).containsExactly(TOPIC + "-value");
    }

    @Test
    void genericAndSpecificRecordsShareTheWireFormat() {
        AvroSerde<PreferencePair> specific = serde(PreferencePair.class);
        AvroSerde<GenericRecord> generic = AvroSerde.generic(registry, config(), false);
        PreferencePair pair = pair();
        byte[] specificBytes = specific.serializer().serialize(TOPIC, pair);

        GenericRecord record = generic.deserializer().deserialize(TOPIC, specificBytes);
        assertThat(record).isNotInstanceOf(PreferencePair.class);
        assertThat(record.get("pair_id").toString()).isEqualTo(pair.getPairId());
        assertThat(((GenericRecord) record.get("chosen")).get("text").toString()).isEqualTo("Hi there!");
        assertThat(record.get("created_at")).as("generic reads keep timestamp-millis as long")
            .isEqualTo(1_700_000_000_123L);

        byte[] genericBytes = generic.serializer().serialize(TOPIC, record);
        assertThat(genericBytes).isEqualTo(specificBytes);
        assertThat(specific.deserializer().deserialize(TOPIC, genericBytes)).isEqualTo(pair);
    }

    @Test
    void oldWriterDataIsResolvedToTheNewReaderSchema() {
        // An older Response without 'generator' but with a field the current schema dropped.
        Schema old = new Schema.Parser().parse("""
            {"type":"record","name":"Response","namespace":"io.prefstream.schemas","fields":[
              {"name":"response_id","type":"string"},
              {"name":"legacy_score","type":"int"},
              {"name":"text","type":"string"}]}""");
        GenericRecord oldRecord = new GenericData.Record(old);
        oldRecord.put("response_id", "r1");
        oldRecord.put("legacy_score", 99);
        oldRecord.put("text", "old text");
        byte[] bytes = AvroSerde.generic(registry, config(), false).serializer().serialize(TOPIC, oldRecord);

        Response read = serde(Response.class).deserializer().deserialize(TOPIC, bytes);

        assertThat(read).isEqualTo(new Response("r1", "old text", null));
    }

    @Test
    void aWriterSchemaTheReaderCannotReadIsReportedAsIncompatible() {
        Schema other = new Schema.Parser().parse("""
            {"type":"record","name":"Lineage","namespace":"io.prefstream.schemas","fields":[
              {"name":"source_topic","type":"string"},
              {"name":"partition","type":"string"}]}""");
        GenericRecord record = new GenericData.Record(other);
        record.put("source_topic", "t");
        record.put("partition", "zero");
        byte[] bytes = AvroSerde.generic(registry, config(), false).serializer().serialize(TOPIC, record);

        assertThatThrownBy(() -> serde(Lineage.class).deserializer().deserialize(TOPIC, bytes))
            .isInstanceOfSatisfying(AvroSerializationException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_SCHEMA);
                assertThat(e.topic()).isEqualTo(TOPIC);
                assertThat(e.getMessage()).contains("topic " + TOPIC).contains("INCOMPATIBLE_SCHEMA")
                    .contains("TYPE_MISMATCH").contains("/fields/1/type")
                    .contains("READER_FIELD_MISSING_DEFAULT_VALUE 'offset'");
            });
    }

    @Test
    void badBytesAreRejectedWithTopicAndReason() {
        AvroDeserializer<Lineage> deserializer = serde(Lineage.class).deserializer();
        byte[] good = serde(Lineage.class).serializer().serialize(TOPIC, new Lineage("topic", 1, 2L));
        assertThat(deserializer.deserialize(TOPIC, good)).isEqualTo(new Lineage("topic", 1, 2L));

        assertBad(deserializer, new byte[0], Reason.TRUNCATED_PAYLOAD, "0 bytes");
        assertBad(deserializer, new byte[] {0, 0, 0, 1}, Reason.TRUNCATED_PAYLOAD, "fewer than the 5-byte");
        assertBad(deserializer, withFirstByte(good, (byte) 0x7b), Reason.WRONG_MAGIC_BYTE, "0x7b");
        assertBad(deserializer, "{\"json\":true}".getBytes(), Reason.WRONG_MAGIC_BYTE, "expected 0x00");
        assertBad(deserializer, new byte[] {0, 0, 0, 3, (byte) 0xE7, 2, 't'}, Reason.UNKNOWN_SCHEMA_ID, "999");
        assertBad(deserializer, Arrays.copyOf(good, good.length - 1), Reason.TRUNCATED_PAYLOAD, "ends early");
        assertBad(deserializer, Arrays.copyOf(good, good.length + 1), Reason.MALFORMED_PAYLOAD, "left over");
        byte[] negativeLength = Arrays.copyOf(good, good.length);
        negativeLength[5] = 0x03; // zigzag -2: a string of negative length
        assertBad(deserializer, negativeLength, Reason.MALFORMED_PAYLOAD, "not valid Avro");
        assertThat(deserializer.deserialize(TOPIC, null)).as("tombstones stay null").isNull();
    }

    @Test
    void anUnknownIdIsNotRememberedSoALaggingRegistryCanCatchUp() {
        byte[] lineageWithId1 = {0, 0, 0, 0, 1, 0x02, 't', 0x00, 0x00};
        AvroDeserializer<Lineage> deserializer = serde(Lineage.class).deserializer();
        assertBad(deserializer, lineageWithId1, Reason.UNKNOWN_SCHEMA_ID, "schema id 1 is not known");

        assertThat(registry.register("elsewhere-value", Lineage.getClassSchema())).isEqualTo(1);
        assertThat(deserializer.deserialize(TOPIC, lineageWithId1)).isEqualTo(new Lineage("t", 0, 0L));
    }

    @Test
    void anUnreachableRegistryIsNotBlamedOnTheRecord() throws IOException {
        int deadPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        AvroDeserializer<Lineage> deserializer = new AvroDeserializer<>(Lineage.class, null);
        deserializer.configure(Map.of("schema.registry.url", "http://127.0.0.1:" + deadPort,
            "schema.registry.max.retries", 0), false);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 0, 0, 1, 0x02, 't', 0, 0}))
            .isInstanceOf(SchemaRegistryUnavailableException.class)
            .isNotInstanceOf(SerializationException.class);
    }

    private static byte[] withFirstByte(byte[] bytes, byte first) {
        byte[] copy = bytes.clone();
        copy[0] = first;
        return copy;
    }

    private static void assertBad(AvroDeserializer<?> deserializer, byte[] bytes, Reason reason, String detail) {
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
            .isInstanceOf(SerializationException.class)
            .isInstanceOfSatisfying(AvroSerializationException.class, e -> {
                assertThat(e.reason()).isEqualTo(reason);
                assertThat(e.getMessage()).startsWith("topic " + TOPIC + ": " + reason).contains(detail);
            });
    }

    @Test
    void withoutAutoRegistrationTheSchemaMustAlreadyBeRegistered() {
        AvroSerializer<Lineage> serializer = new AvroSerializer<>(registry);
        serializer.configure(config(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);
        Lineage lineage = new Lineage("t", 0, 0L);

        assertThatThrownBy(() -> serializer.serialize(TOPIC, lineage))
            .isInstanceOfSatisfying(AvroSerializationException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.SCHEMA_NOT_REGISTERED);
                assertThat(e.getMessage()).contains(TOPIC + "-value").contains("auto.register.schemas=false");
            });
        assertThat(registry.getSubjects()).isEmpty();

        int id = registry.register(TOPIC + "-value", Lineage.getClassSchema());
        assertThat(WireFormat.schemaId(serializer.serialize(TOPIC, lineage))).isEqualTo(id);
    }

    @Test
    void useLatestVersionWritesWithTheLatestRegisteredSchema() {
        Schema newer = new Schema.Parser().parse("""
            {"type":"record","name":"Lineage","namespace":"io.prefstream.schemas","fields":[
              {"name":"source_topic","type":"string"},
              {"name":"partition","type":"int"},
              {"name":"offset","type":"long"},
              {"name":"cluster","type":"string","default":"main"}]}""");
        registry.register(TOPIC + "-value", Lineage.getClassSchema());
        int latestId = registry.register(TOPIC + "-value", newer);
        AvroSerializer<Lineage> serializer = new AvroSerializer<>(registry);
        serializer.configure(config(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false,
            AvroSerdeConfig.USE_LATEST_VERSION, true), false);

        byte[] bytes = serializer.serialize(TOPIC, new Lineage("t", 1, 2L));

        assertThat(WireFormat.schemaId(bytes)).isEqualTo(latestId);
        GenericRecord read = AvroSerde.generic(registry, config(), false).deserializer().deserialize(TOPIC, bytes);
        assertThat(read.get("cluster").toString()).isEqualTo("main");
        assertThat(serde(Lineage.class).deserializer().deserialize(TOPIC, bytes)).isEqualTo(new Lineage("t", 1, 2L));
    }

    @Test
    void keysUseTheKeySubject() {
        AvroSerde<Lineage> keySerde = AvroSerde.specific(Lineage.class, registry, config(), true);
        keySerde.serializer().serialize(TOPIC, new Lineage("t", 0, 0L));
        assertThat(registry.getSubjects()).containsExactly(TOPIC + "-key");
    }

    @Test
    void kafkaCanInstantiateTheSerdesByClassNameFromConfluentStyleConfig() {
        AvroSerializer<Object> serializer = new AvroSerializer<>();
        serializer.configure(config(), false);
        AvroDeserializer<Object> specificReader = new AvroDeserializer<>();
        specificReader.configure(config(AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        AvroDeserializer<Object> genericReader = new AvroDeserializer<>();
        genericReader.configure(config(), false);
        Generation generation = Generation.newBuilder()
            .setPromptId(PrefIds.promptId(List.of(new Message(Role.user, "Hello"))))
            .setResponseId(PrefIds.responseId(PrefIds.promptId(List.of(new Message(Role.user, "Hello"))), "Hi"))
            .setPrompt(List.of(new Message(Role.user, "Hello")))
            .setResponse("Hi").setGenerator("m").setSource("s")
            .setCreatedAt(Instant.ofEpochMilli(5)).build();

        byte[] bytes = serializer.serialize(TOPIC, generation);

        assertThat(specificReader.deserialize(TOPIC, bytes)).isEqualTo(generation);
        assertThat(genericReader.deserialize(TOPIC, bytes)).isInstanceOf(GenericData.Record.class);
        assertThatThrownBy(() -> serializer.serialize(TOPIC, "not a record"))
            .isInstanceOfSatisfying(AvroSerializationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_RECORD));
    }
}
