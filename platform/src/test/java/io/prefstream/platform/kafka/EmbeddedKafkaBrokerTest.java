package io.prefstream.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    @Test
    void keepsTopicsAndRecordsAcrossRestartOnTheSameDataDir(@TempDir Path dataDir) throws Exception {
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, 0).start()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1))).all().get();
            }
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers(),
                    "acks", "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", 0, "k", "v")).get();
            }
        }
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, 0).start()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).contains("kept");
            }
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                    new StringDeserializer(), new StringDeserializer())) {
                TopicPartition partition = new TopicPartition("kept", 0);
                consumer.assign(Set.of(partition));
                consumer.seekToBeginning(Set.of(partition));
                List<ConsumerRecord<String, String>> seen = new java.util.ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (seen.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                }
                assertThat(seen).extracting(ConsumerRecord::value).containsExactly("v");
            }
        }
    }

    /**
     * A broker killed while transactions commit (records and a group's offsets, as a Kafka Streams task commits)
     * must come back with every transaction settled: no partition stuck below its end for read_committed readers,
     * no group whose offsets stay unstable.
     */
    @Test
    void settlesEveryTransactionWhenRestartedAfterBeingKilledMidCommit(@TempDir Path dataDir) throws Exception {
        for (int round = 1; round <= 1; round++) {
            Process writer = child("write", dataDir, ProcessBuilder.Redirect.DISCARD);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
                String line = out.readLine();
                while (line != null && !line.equals("committed 50")) {
                    line = out.readLine();
                }
                assertThat(line).as("the writer commits transactions before it is killed").isEqualTo("committed 50");
                writer.destroyForcibly();
                assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            Path log = dataDir.resolve("check-" + round + ".log");
            Process checker = child("check", dataDir, ProcessBuilder.Redirect.to(log.toFile()));
            String result = new String(checker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(checker.waitFor(3, TimeUnit.MINUTES)).isTrue();
            assertThat(result).as("round %d; broker log:%n%s", round, Files.readString(log)).contains("settled")
                .doesNotContain("not settled");
            assertThat(Files.readString(log)).contains("the previous incarnation of this broker is fenced");
        }
    }

    private static Process child(String mode, Path dataDir, ProcessBuilder.Redirect stderr) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
            TransactionalBrokerProcess.class.getName(), mode, dataDir.toString()).redirectError(stderr).start();
    }
}
