package io.prefstream.app.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.prefstream.ingest.cli.IngestCommand;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.model.GenerationDraft;
import io.prefstream.ingest.produce.Accepted;
import io.prefstream.ingest.produce.PrefProducer;
import io.prefstream.ingest.produce.PrefProducers;
import io.prefstream.schemas.topic.Topic;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;

/**
 * Puts the demo's input on the pipeline's input topics, once: when the input topics already hold
 * records (a second run on the same data dir), nothing is sent again and the stages simply resume.
 */
final class DemoFeed {
    private static final long SEED = 20250701L;
    private static final int ACK_TIMEOUT_S = 120;

    private final IngestConfig config;
    private final Topics topics;

    DemoFeed(IngestConfig config, Topics topics) {
        this.config = config;
        this.topics = topics;
    }

    void feedOnce(Path input, String format, int pairs, PrintStream progress) throws Exception {
        if (recordsOn(topics.generations()) + recordsOn(topics.pairsSubmitted()) > 0) {
            progress.println("demo: the input topics already hold the input; resuming without sending it again");
            return;
        }
        if (input == null) {
            int prompts = Math.max(1, pairs / SyntheticSample.GENERATORS.size());
            List<GenerationDraft> sample = SyntheticSample.generations(prompts, SEED);
            sendAll(sample);
            progress.printf("demo: fed %,d synthetic generations (%,d prompts x %d models)%n", sample.size(), prompts,
                SyntheticSample.GENERATORS.size());
        } else {
            int code = new CommandLine(new IngestCommand()).execute("--bootstrap", config.bootstrapServers(),
                "--registry", config.schemaRegistryUrl(), "--format", format, "--skip-invalid", input.toString());
            if (code != 0) {
                throw new IllegalStateException("ingest of " + input + " failed with exit code " + code);
            }
        }
    }

    private void sendAll(List<GenerationDraft> drafts) throws Exception {
        try (PrefProducer producer = PrefProducers.create(config, topics)) {
            List<CompletableFuture<Accepted>> acks = new ArrayList<>(drafts.size());
            for (GenerationDraft draft : drafts) {
                acks.add(producer.send(draft, "prefstream-demo", Map.of()));
            }
            producer.flush();
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(ACK_TIMEOUT_S, TimeUnit.SECONDS);
        }
    }

    private long recordsOn(Topic<?, ?> topic) throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            var partitions = admin.describeTopics(List.of(topic.name())).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic.name()).partitions().stream().map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            var latest = admin.listOffsets(partitions.stream().collect(
                java.util.stream.Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all().get(30, TimeUnit.SECONDS);
            return latest.values().stream().mapToLong(info -> info.offset()).sum();
        }
    }
}
