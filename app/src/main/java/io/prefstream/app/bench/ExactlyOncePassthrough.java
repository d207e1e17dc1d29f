package io.prefstream.app.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The floor of any exactly-once stage on a broker: a Kafka Streams app (exactly_once_v2, one stream
 * thread like each pipeline stage) that copies records from one topic to another unchanged. Timed from
 * the first record produced to the last copy visible to a read_committed reader ({@link #measure}), or
 * per record at a given rate ({@link #latencies}).
 */
final class ExactlyOncePassthrough {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    /** Numbers the records of a paced run; Kafka Streams copies headers with the record. */
    private static final String SEQUENCE_HEADER = "prefstream-bench-seq";

    private ExactlyOncePassthrough() {
    }

    /** Every record of {@code topic}, committed ones only: the payloads the passthrough will copy. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = committedReader(bootstrap)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /**
     * Copies {@code count} records, {@code records} over and over, through a fresh exactly-once
     * passthrough app between two fresh topics of {@code partitions} partitions; returns the seconds
     * from first produce to last copy read.
     */
    static double measure(Map<String, String> settings, String runId, int partitions,
                          List<ConsumerRecord<byte[], byte[]>> records, int count) throws Exception {
        try (Running passthrough = Running.start(settings, runId, partitions, records.get(0))) {
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                passthrough.send(records.get(i % records.size()), null);
            }
            passthrough.producer.flush();
            awaitCopies(passthrough.reader, count, passthrough.streams);
            return (System.nanoTime() - started) / 1e9;
        }
    }

    /**
     * Sends {@code count} records, {@code records} over and over, at {@code perSecond} on an open-loop
     * schedule through a fresh passthrough as {@link #measure} builds it, and returns the milliseconds
     * from each record's due time to the moment a read_committed reader saw its copy.
     */
    static long[] latencies(Map<String, String> settings, String runId, int partitions,
                            List<ConsumerRecord<byte[], byte[]>> records, int count, double perSecond)
            throws Exception {
        try (Running passthrough = Running.start(settings, runId + "-paced", partitions, records.get(0))) {
            OpenLoopSchedule schedule = OpenLoopSchedule.startingIn(100_000_000L, perSecond);
            CompletableFuture<Long> sending = OpenLoopSchedule.onOwnThread("bench-paced-passthrough", () -> {
                long maxLate = schedule.run(count, i -> passthrough.send(records.get(i % records.size()), i));
                passthrough.producer.flush();
                return maxLate;
            });
            long[] latencies = new long[count];
            Arrays.fill(latencies, -1);
            int seen = 0;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (seen < count) {
                if (System.nanoTime() > deadline || passthrough.streams.state() == KafkaStreams.State.ERROR
                        || sending.isCompletedExceptionally()) {
                    sending.getNow(0L);
                    throw new IllegalStateException("passthrough copied " + seen + " of " + count + " paced records ("
                        + passthrough.streams.state() + ")");
                }
                var copies = passthrough.reader.poll(Duration.ofMillis(50));
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> copy : copies) {
                    Header header = copy.headers().lastHeader(SEQUENCE_HEADER);
                    if (header == null) {
                        continue; // the warm-up record
                    }
                    int i = ByteBuffer.wrap(header.value()).getInt();
                    if (latencies[i] < 0) {
                        latencies[i] = Math.round((now - schedule.dueNanos(i)) / 1e6);
                        seen++;
                    }
                }
            }
            sending.join();
            return latencies;
        }
    }

    /** A started passthrough, its topics warmed by one record copied, with a producer and a reader of its output. */
    private record Running(KafkaStreams streams, KafkaProducer<byte[], byte[]> producer,
                           KafkaConsumer<byte[], byte[]> reader, String in) implements AutoCloseable {

        static Running start(Map<String, String> settings, String runId, int partitions,
                             ConsumerRecord<byte[], byte[]> warmup) throws Exception {
            String bootstrap = settings.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
            String in = runId + ".passthrough.in";
            String out = runId + ".passthrough.out";
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic(in, partitions, (short) 1), new NewTopic(out, partitions, (short) 1)))
                    .all().get();
            }
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream(in, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(out, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
            Properties props = new Properties();
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, runId + "-passthrough");
            props.put(StreamsConfig.STATE_DIR_CONFIG, settings.get(StreamsConfig.STATE_DIR_CONFIG));
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            if (settings.containsKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)) {
                // the same commit interval as the stages it is compared with
                props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
            }
            KafkaStreams streams = new KafkaStreams(builder.build(), props);
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer());
            KafkaConsumer<byte[], byte[]> reader = committedReader(bootstrap);
            Running running = new Running(streams, producer, reader, in);
            try {
                streams.start();
                List<TopicPartition> outPartitions = partitions(reader, out);
                reader.assign(outPartitions);
                reader.seekToBeginning(outPartitions);
                awaitRunning(streams);
                // one record through first: the fresh topics' first writes are not what is measured
                producer.send(new ProducerRecord<>(in, warmup.key(), warmup.value())).get();
                awaitCopies(reader, 1, streams);
                return running;
            } catch (Exception e) {
                running.close();
                throw e;
            }
        }

        /** Sends a copy of {@code record}, numbered in a header when {@code sequence} is given. */
        void send(ConsumerRecord<byte[], byte[]> record, Integer sequence) {
            ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(in, record.key(), record.value());
            if (sequence != null) {
                copy.headers().add(SEQUENCE_HEADER, ByteBuffer.allocate(Integer.BYTES).putInt(sequence).array());
            }
            producer.send(copy);
        }

        @Override
        public void close() {
            reader.close();
            producer.close();
            streams.close();
        }
    }

    private static long awaitCopies(KafkaConsumer<byte[], byte[]> reader, long count, KafkaStreams streams) {
        long seen = 0;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (seen < count) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("passthrough copied " + seen + " of " + count + " records ("
                    + streams.state() + ")");
            }
            seen += reader.poll(Duration.ofMillis(50)).count();
        }
        return seen;
    }

    private static void awaitRunning(KafkaStreams streams) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("the passthrough did not reach RUNNING: " + streams.state());
            }
            Thread.sleep(20);
        }
    }

    private static KafkaConsumer<byte[], byte[]> committedReader(String bootstrap) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        return partitions;
    }
}
