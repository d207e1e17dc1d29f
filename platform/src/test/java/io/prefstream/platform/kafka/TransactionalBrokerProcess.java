package io.prefstream.platform.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A child process for {@link EmbeddedKafkaBrokerTest}: {@code write DIR} runs a broker and commits transactions
 * (records and a group's offsets, like a Kafka Streams task) until it is killed; {@code check DIR} starts the
 * broker again on the same directory and prints {@code settled} once every partition's last stable offset has
 * reached its end and the group's offsets are stable.
 */
public final class TransactionalBrokerProcess {
    static final String TOPIC = "out";
    static final String GROUP = "writer";
    static final int PARTITIONS = 6;

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[1]);
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, 0).start()) {
            if (args[0].equals("write")) {
                write(broker.bootstrapServers());
            } else {
                check(broker.bootstrapServers());
            }
        }
    }

    private static void write(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            if (!admin.listTopics().names().get().contains(TOPIC)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
            }
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "writer-1"), new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            for (long n = 1; ; n++) {
                producer.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (int p = 0; p < PARTITIONS; p++) {
                    producer.send(new ProducerRecord<>(TOPIC, p, "k", Long.toString(n)));
                    offsets.put(new TopicPartition(TOPIC, p), new OffsetAndMetadata(n));
                }
                producer.sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(GROUP));
                producer.commitTransaction();
                System.out.println("committed " + n);
            }
        }
    }

    private static void check(String bootstrap) throws Exception {
        Set<TopicPartition> partitions = java.util.stream.IntStream.range(0, PARTITIONS)
            .mapToObj(p -> new TopicPartition(TOPIC, p)).collect(Collectors.toSet());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            while (System.nanoTime() < deadline) {
                if (settled(admin, partitions)) {
                    System.out.println("settled");
                    return;
                }
                Thread.sleep(500);
            }
        }
        System.out.println("not settled");
    }

    /** Last stable offset = end offset everywhere, and the group's committed offsets can be fetched as stable. */
    private static boolean settled(Admin admin, Set<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
        var end = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get();
        boolean caughtUp = partitions.stream().allMatch(tp -> stable.get(tp).offset() == end.get(tp).offset());
        try {
            admin.listConsumerGroupOffsets(Map.of(GROUP, new ListConsumerGroupOffsetsSpec().topicPartitions(partitions)),
                new ListConsumerGroupOffsetsOptions().requireStable(true)).partitionsToOffsetAndMetadata(GROUP).get();
            return caughtUp;
        } catch (java.util.concurrent.ExecutionException unstable) {
            return false;
        }
    }
}
