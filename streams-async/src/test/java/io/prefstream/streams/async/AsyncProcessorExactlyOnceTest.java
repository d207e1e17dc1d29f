package io.prefstream.streams.async;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor under exactly_once_v2 on a real broker: an instance stops with calls still pending
 * (its endpoint never answers half of them); a second instance, with empty local state so the pending
 * store must come back from its changelog, re-submits exactly those and nothing else. Read with
 * read_committed, every input has exactly one output.
 */
@ExtendWith(SharedKafkaBroker.class)
class AsyncProcessorExactlyOnceTest {
    private static final int RECORDS = 3_000;
    private static final int PARTITIONS = 3;

    @TempDir
    Path tmp;

    @Test
    void pendingCallsSurviveARestartAndEveryInputIsAnsweredExactlyOnce(EmbeddedKafkaBroker broker) throws Exception {
        String in = SharedKafkaBroker.uniqueName("async-in");
        String out = SharedKafkaBroker.uniqueName("async-out");
        String app = SharedKafkaBroker.uniqueName("async-app");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(in, PARTITIONS, (short) 1), new NewTopic(out, PARTITIONS, (short) 1)))
                .all().get();
        }
        produce(broker, in);

        // First instance: the endpoint answers even-numbered requests and never the odd ones.
        Map<String, Boolean> firstCalls = new ConcurrentHashMap<>();
        try (DelayedCall answering = new DelayedCall(Duration.ofMillis(2))) {
            AsyncCall<String, String> halfHung = request -> {
                firstCalls.put(request, true);
                return index(request) % 2 == 0 ? answering.call(request) : new CompletableFuture<>();
            };
            KafkaStreams first = start(broker, app, in, out, halfHung, tmp.resolve("first"));
            Await.until(Duration.ofSeconds(60), "the even half answered",
                () -> readCommitted(broker, out).size() >= RECORDS / 2);
            // Leave the group, so that the second instance gets the tasks without waiting out the session.
            first.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        }
        assertThat(firstCalls).hasSize(RECORDS);

        // Second instance, fresh local state: the pending store is restored from the changelog.
        try (DelayedCall healthy = new DelayedCall(Duration.ofMillis(2))) {
            KafkaStreams second = start(broker, app, in, out, healthy, tmp.resolve("second"));
            try {
                List<ConsumerRecord<String, String>> results = Await.until(Duration.ofSeconds(60), "every answer",
                    () -> readCommitted(broker, out), list -> list.size() >= RECORDS);

                assertThat(healthy.totalCalls()).as("only the pending (odd) requests are called again")
                    .isEqualTo(RECORDS / 2);
                assertThat(healthy.repeatedRequests()).isZero();
                Map<String, Integer> perKey = new HashMap<>();
                results.forEach(r -> perKey.merge(r.key(), 1, Integer::sum));
                assertThat(perKey).hasSize(RECORDS);
                assertThat(perKey.values()).containsOnly(1);
                results.forEach(r -> assertThat(r.value()).isEqualTo(("v" + r.key().substring(1)).toUpperCase()));
            } finally {
                second.close(Duration.ofSeconds(30));
            }
        }
    }

    private static int index(String request) {
        return Integer.parseInt(request.substring(1));
    }

    private KafkaStreams start(EmbeddedKafkaBroker broker, String app, String in, String out,
                               AsyncCall<String, String> call, Path stateDir) throws Exception {
        Files.createDirectories(stateDir);
        AsyncProcessorSupplier<String, String, String, String> async = AsyncProcessorSupplier
            .builder("call", call, Serdes.String(), Serdes.String())
            .request(v -> v)
            .settings(new AsyncSettings(10_000, 64L << 20, Duration.ofSeconds(10), Duration.ofMillis(10)))
            .metrics(new SimpleMeterRegistry())
            .build();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.String(), Serdes.String()))
            .process(async, Named.as("call"))
            .mapValues(outcome -> ((AsyncOutcome.Success<String, String>) outcome).result())
            .to(out, Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        streams.start();
        return streams;
    }

    private static void produce(EmbeddedKafkaBroker broker, String topic) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                 new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            // A topic created a moment ago may not have a ready leader yet: wait for it, then for every ack.
            Await.until(Duration.ofSeconds(60), "a leader for every partition of " + topic,
                () -> producer.partitionsFor(topic).stream().allMatch(p -> p.leader() != null));
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(2, TimeUnit.MINUTES);
            }
        }
    }

    /** Everything committed to {@code topic} so far (up to the last stable offset of each partition). */
    static List<ConsumerRecord<String, String>> readCommitted(EmbeddedKafkaBroker broker, String topic) {
        Map<String, Object> config = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer =
                 new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
