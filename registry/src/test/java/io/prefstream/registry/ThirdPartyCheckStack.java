package io.prefstream.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A manual helper for {@code registry/third-party-check} (not a test): starts a real broker and the
 * registry, writes a sample topic of Avro records in the Confluent wire format (magic byte 0,
 * 4-byte big-endian schema id, Avro binary) with a schema registered over HTTP, prints where
 * everything is, and runs until stdin closes or the JVM is stopped.
 *
 * <pre>java -cp ... io.prefstream.registry.ThirdPartyCheckStack [records]</pre>
 */
public final class ThirdPartyCheckStack {
    static final String SAMPLE_TOPIC = "prefstream.registry.sample";
    static final String SAMPLE_SCHEMA = TestSchemas.record("Sample",
        TestSchemas.field("id", "string"), TestSchemas.field("text", "string"),
        TestSchemas.fieldWithDefault("lang", "string", "\"en\""));

    private ThirdPartyCheckStack() {}

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Path dataDir = Files.createTempDirectory("prefstream-third-party-check");
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, 0).start();
             SchemaRegistryServer registry = SchemaRegistryServer.start(broker.bootstrapServers(), 0,
                 RegistryOptions.defaults())) {
            int id = new RegistryHttp(registry.url()).register(SAMPLE_TOPIC + "-value", SAMPLE_SCHEMA);
            writeSample(broker.bootstrapServers(), id, records);
            System.out.println("sample topic=" + SAMPLE_TOPIC + " records=" + records + " schema-id=" + id);
            System.out.println("ready bootstrap=" + broker.bootstrapServers() + " registry=" + registry.url());
            System.out.flush();
            while (System.in.read() >= 0) {
                // run until stdin closes
            }
        }
    }

    private static void writeSample(String bootstrap, int schemaId, int records) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(SAMPLE_TOPIC, 3, (short) 1))).all().get();
        }
        Schema schema = new Schema.Parser().parse(SAMPLE_SCHEMA);
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, byte[]> producer =
                 new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                GenericRecord record = new GenericData.Record(schema);
                record.put("id", "sample-" + i);
                record.put("text", "text of sample " + i + " – ünïcödé");
                record.put("lang", i % 2 == 0 ? "en" : "de");
                producer.send(new ProducerRecord<>(SAMPLE_TOPIC, "sample-" + i, wireFormat(schemaId, schema, record)));
            }
            producer.flush();
        }
    }

    private static byte[] wireFormat(int schemaId, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
