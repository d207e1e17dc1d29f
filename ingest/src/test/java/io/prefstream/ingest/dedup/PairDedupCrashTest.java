package io.prefstream.ingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.prefstream.ingest.cli.IngestCommand;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.testing.SharedRegistry;
import io.prefstream.ingest.testing.TopicReader;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedData;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.SchemaRegistryServer;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * {@code run pairing} in a child JVM, SIGKILLed ({@link Process#destroyForcibly()}) while it forwards
 * the shared HH-RLHF pairs, restarted over the same state directory as a pod would be, then fed the
 * same file again: read_committed, pairs.raw holds each of the 2,303 pairs exactly once.
 */
@ExtendWith({SharedKafkaBroker.class, SharedRegistry.class})
class PairDedupCrashTest {
    private static final Logger log = LoggerFactory.getLogger(PairDedupCrashTest.class);
    private static final int HH_RLHF_VALID = 2303;

    @TempDir
    Path dir;

    @Test
    void aKilledAppRestartedOverItsStateForwardsEveryPairExactlyOnce(EmbeddedKafkaBroker broker,
                                                                     SchemaRegistryServer registry) throws Exception {
        String prefix = SharedKafkaBroker.uniqueName("crash") + ".";
        String applicationId = SharedKafkaBroker.uniqueName("crash-app");
        Path config = dir.resolve("pairing.properties");
        Files.writeString(config, String.join("\n", "bootstrap.servers=" + broker.bootstrapServers(),
            "schema.registry.url=" + registry.url(), "topic.prefix=" + prefix, "topic.partitions=3",
            IngestConfig.PAIRING_APPLICATION_ID + "=" + applicationId, "state.dir=" + dir.resolve("state"),
            "metrics.port=-1", "session.timeout.ms=6000", ""));
        Topics topics = Topics.from(new IngestConfig(Map.of("schema.registry.url", registry.url(), "topic.prefix", prefix)));

        ingestSharedFile(broker, registry, config); // a backlog on pairs.submitted
        Process child = startChild(config, "first");
        int committedAtKill;
        try {
            awaitReady(name("first"));
            committedAtKill = Await.until(Duration.ofSeconds(90), "the first committed pairs on pairs.raw",
                () -> TopicReader.readAll(broker.bootstrapServers(), topics.pairsRaw()).size(), n -> n > 0);
        } finally {
            child.destroyForcibly().waitFor();
        }
        log.info("killed the first child with {} of {} pairs committed on pairs.raw", committedAtKill, HH_RLHF_VALID);

        child = startChild(config, "second");
        try {
            ingestSharedFile(broker, registry, config); // every pair again
            Await.until(Duration.ofSeconds(120), "the restarted app through all of pairs.submitted",
                () -> caughtUp(broker, applicationId, topics.pairsSubmitted().name()));
        } finally {
            child.destroyForcibly().waitFor();
        }

        List<ConsumerRecord<String, PreferencePair>> raw = TopicReader.readAll(broker.bootstrapServers(), topics.pairsRaw());
        assertThat(raw).as("read_committed pairs.raw (%d committed when killed)", committedAtKill).hasSize(HH_RLHF_VALID);
        assertThat(raw.stream().map(ConsumerRecord::key).collect(Collectors.toSet())).hasSize(HH_RLHF_VALID);
        topics.registry().close();
    }

    private void ingestSharedFile(EmbeddedKafkaBroker broker, SchemaRegistryServer registry, Path config) {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new IngestCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
            .execute("--bootstrap", broker.bootstrapServers(), "--registry", registry.url(), "--config", config.toString(),
                "--progress=off", "--skip-invalid", "--format", "hh-rlhf", SharedData.file(SharedData.HH_RLHF).toString());
        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).contains("sent      2303");
    }

    private Process startChild(Path config, String name) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
            "-cp", System.getProperty("java.class.path"), PairingChild.class.getName(), "--config", config.toString())
            .redirectErrorStream(true).redirectOutput(name(name).toFile()).start();
    }

    private Path name(String child) {
        return dir.resolve(child + ".log");
    }

    /** The child prints "ready pairing" once its topics exist and its Streams app started. */
    private static void awaitReady(Path log) {
        Await.until(Duration.ofSeconds(60), "ready pairing in " + log, () -> {
            try {
                return Files.exists(log) && Files.readString(log).contains("ready pairing");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** The group's committed offsets on {@code topic} reached its end offsets (the producer is not transactional). */
    private static boolean caughtUp(EmbeddedKafkaBroker broker, String group, String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            var ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all().get(30, TimeUnit.SECONDS);
            return partitions.stream().allMatch(p -> committed.get(p) != null
                && committed.get(p).offset() >= ends.get(p).offset());
        } catch (Exception e) {
            throw new IllegalStateException("cannot compare the offsets of " + group + " on " + topic, e);
        }
    }
}
