package io.prefstream.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.SharedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A topic and a deliberately lagging stage on the shared broker: the test decides exactly how many
 * records are produced and how far the stage's consumer reads and commits, so lag figures are exact.
 */
final class LaggingPipeline implements AutoCloseable {
    final String prefix;
    final String group;
    final String topic = SharedKafkaBroker.uniqueName("lag-topic");
    final Admin admin;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;

    LaggingPipeline(EmbeddedKafkaBroker broker, String stage, int partitions) throws Exception {
        this(broker, stage, partitions, SharedKafkaBroker.uniqueName("lagtest") + "-");
    }

    /** A stage whose group id is {@code prefix + stage}, so several stages can share one prefix. */
    LaggingPipeline(EmbeddedKafkaBroker broker, String stage, int partitions, String prefix) throws Exception {
        this.prefix = prefix;
        this.group = prefix + stage;
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "7"),
            new StringDeserializer(), new StringDeserializer());
    }

    TopicPartition partition(int p) {
        return new TopicPartition(topic, p);
    }

    void produce(int partition, int records) throws ExecutionException, InterruptedException {
        for (int i = 0; i < records; i++) {
            producer.send(new ProducerRecord<>(topic, partition, "k" + i, "v" + i));
        }
        producer.flush();
    }

    /** Reads the next {@code records} records of {@code partition} for real, then commits the position after them. */
    void consumeAndCommit(int partition, int records) {
        TopicPartition tp = partition(partition);
        consumer.assign(List.of(tp));
        OffsetAndMetadata committed = consumer.committed(java.util.Set.of(tp)).get(tp);
        consumer.seek(tp, committed == null ? 0 : committed.offset());
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (read.size() < records) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("read only " + read.size() + " of " + records + " records from " + tp);
            }
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100)).records(tp)) {
                if (read.size() < records) {
                    read.add(record);
                }
            }
        }
        long next = read.get(read.size() - 1).offset() + 1;
        consumer.commitSync(Map.of(tp, new OffsetAndMetadata(next)));
    }

    /** Deletes the records of {@code partition} before {@code offset}, as retention would. */
    void deleteBefore(int partition, long offset) throws ExecutionException, InterruptedException {
        admin.deleteRecords(Map.of(partition(partition), RecordsToDelete.beforeOffset(offset))).all().get();
    }

    LagMonitor monitor(int window, List<PositionSource> sources) {
        return LagMonitor.forPrefix(admin, prefix, sources, new LagEvaluator(window), Duration.ofSeconds(15));
    }

    @Override
    public void close() {
        consumer.close();
        producer.close();
        admin.close();
    }
}
