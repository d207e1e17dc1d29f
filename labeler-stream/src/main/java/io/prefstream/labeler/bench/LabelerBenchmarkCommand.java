package io.prefstream.labeler.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.inference.bench.SimulatedEndpointOptions;
import io.prefstream.inference.client.InferenceClient;
import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.judge.Judge;
import io.prefstream.inference.proto.ModelStatistics;
import io.prefstream.inference.reference.ReferenceInferenceServer;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.labeler.LabelerMetrics;
import io.prefstream.labeler.LabelerService;
import io.prefstream.labeler.judge.JudgeEndpoint;
import io.prefstream.labeler.judge.LabelingSettings;
import io.prefstream.labeler.judge.PairLabeler;
import io.prefstream.labeler.prompt.PromptTemplates;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.schemas.LabelSource;
import io.prefstream.schemas.Message;
import io.prefstream.schemas.ModelRef;
import io.prefstream.schemas.PrefRecords;
import io.prefstream.schemas.Role;
import io.prefstream.schemas.ScoredPair;
import io.prefstream.schemas.topic.Topic;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.streams.async.AsyncSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code prefstream bench labeler}: the labelling stage (async processor) against a naive stage that
 * makes the same judge calls synchronously, one after another, inside {@code mapValues}. Both run in
 * one process, one after the other, on the same in-process broker and the same reference server
 * (simulated latency per execution, max batch, instances), with one stream thread each and
 * exactly_once_v2. Throughput is measured from the first pair produced to the last labelled pair
 * visible to a read_committed consumer.
 *
 * <p>The endpoint's capacity for the judge is instances × max batch × 1000 / latency prompts per
 * second: the reference judge batches concurrent prompts into one execution, as vLLM's continuous
 * batching does, and the printed batch fill shows how full the executions were. capacity_share is
 * the async stage's judge prompts per second over that capacity.
 */
@Command(name = "labeler", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Benchmarks the labelling stage against a naive synchronous mapValues stage on an in-process "
        + "broker and the reference judge; the last line is 'labeler vs_naive=Rx capacity_share=S'.")
public final class LabelerBenchmarkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SimulatedEndpointOptions endpoint;

    @Option(names = "--pairs", defaultValue = "400", description = "Pairs labelled by the async stage (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--naive-pairs", defaultValue = "150",
        description = "Pairs labelled by the naive stage (default: ${DEFAULT-VALUE}).")
    int naivePairs;

    @Option(names = "--samples", defaultValue = "3", description = "K vote samples per pair (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--partitions", defaultValue = "2", description = "Partitions of the input topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--max-pending", defaultValue = "64",
        description = "labeler.max.pending.records of the async stage (default: ${DEFAULT-VALUE}).")
    int maxPending;

    @Option(names = "--max-in-flight", defaultValue = "64",
        description = "inference.max.in.flight.per.endpoint of both stages' client (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    /** One measured run. */
    record Result(String stage, int pairs, double seconds, long judgeCalls) {
        double pairsPerSecond() {
            return pairs / seconds;
        }

        double callsPerSecond() {
            return judgeCalls / seconds;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("prefstream-bench-labeler");
        ReferenceServerSettings serverSettings = endpoint.serverSettings();
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), 0).start();
             ReferenceInferenceServer server = ReferenceInferenceServer.start(serverSettings)) {
            Map<String, Object> inferenceSettings = Map.of("inference.endpoints", server.address(),
                InferenceConfig.MAX_IN_FLIGHT, Integer.toString(maxInFlight));
            try (InferenceClient client = new InferenceClient(new InferenceConfig(inferenceSettings),
                new SimpleMeterRegistry())) {
                Judge judge = Judge.open(client, client.config().judgeModel());
                double capacity = endpoint.capacityItemsPerSecond();
                out.printf("reference judge: %.0f ms per execution, %d instances, max batch %d: capacity %.0f prompts/s%n",
                    endpoint.latencyMs(), endpoint.instances(), endpoint.maxBatch(), capacity);

                JudgeEndpoint asyncJudge = JudgeEndpoint.triton(judge);
                Result async = measure("async", broker, dir, client, pairs,
                    topics -> LabelerService.topology(topics, labeler(asyncJudge),
                        new AsyncSettings(maxPending, AsyncSettings.DEFAULT_MAX_PENDING_BYTES, Duration.ofSeconds(30),
                            Duration.ofMillis(5)), new LabelerMetrics(new SimpleMeterRegistry())));
                print(out, async);

                JudgeEndpoint blockingJudge = new JudgeEndpoint(asyncJudge.model(),
                    (prompt, sampling) -> CompletableFuture.completedFuture(
                        asyncJudge.generator().generate(prompt, sampling).join()));
                Result naive = measure("naive", broker, dir, client, naivePairs,
                    topics -> naiveTopology(topics, labeler(blockingJudge)));
                print(out, naive);

                ModelStatistics stats = client.statistics(ReferenceInferenceServer.JUDGE).get(0);
                out.printf("judge batch fill: %.2f prompts per execution (%d prompts, %d executions)%n",
                    (double) stats.getInferenceCount() / Math.max(1, stats.getExecutionCount()),
                    stats.getInferenceCount(), stats.getExecutionCount());
                out.printf("labeler vs_naive=%.1fx capacity_share=%.2f%n", async.pairsPerSecond() / naive.pairsPerSecond(),
                    async.callsPerSecond() / capacity);
            }
        } finally {
            deleteQuietly(dir);
        }
        return 0;
    }

    private PairLabeler labeler(JudgeEndpoint judge) {
        LabelingSettings settings = new LabelingSettings(List.of(judge), samples, 0.7, 0.0, 0.5, 256, 2, 280);
        return new PairLabeler(settings, PromptTemplates.bundled("v1"), new LabelerMetrics(new SimpleMeterRegistry()),
            Clock.systemUTC());
    }

    /** The naive stage: the whole labelling of a pair, every judge call blocking, inside mapValues. */
    static Topology naiveTopology(Topics topics, PairLabeler blockingLabeler) {
        Topic<String, ScoredPair> input = topics.pairsAdjudicate();
        var output = topics.pairsLabeled();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input.name(), Consumed.with(input.keySerde(), input.valueSerde()))
            .mapValues(pair -> blockingLabeler.call(pair).join())
            .to(output.name(), Produced.with(output.keySerde(), output.valueSerde()));
        return builder.build();
    }

    private Result measure(String stage, EmbeddedKafkaBroker broker, Path dir, InferenceClient client, int count,
                           Function<Topics, Topology> topology) throws Exception {
        String id = "bench-labeler-" + stage + "-" + System.nanoTime();
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put("schema.registry.url", "mock://" + id);
        settings.put("topic.prefix", id + ".");
        settings.put("topic.partitions", Integer.toString(partitions));
        Topics topics = new Topics(settings);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            topics.createMissing(admin, Duration.ofSeconds(30));
            awaitLeaders(admin, topics.pairsAdjudicate().name());
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, id);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(id).toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 100);
        try (KafkaStreams streams = new KafkaStreams(topology.apply(topics), props);
             KafkaConsumer<byte[], byte[]> reader = committedReader(broker.bootstrapServers(), topics.pairsLabeled().name())) {
            streams.start();
            awaitRunning(streams);
            reader.poll(Duration.ofMillis(100));
            long callsBefore = judgeCalls(client);
            long start = System.nanoTime();
            produce(broker.bootstrapServers(), topics.pairsAdjudicate(), count);
            long seen = 0;
            long deadline = start + Duration.ofMinutes(10).toNanos();
            long nextProgress = start + Duration.ofSeconds(10).toNanos();
            while (seen < count) {
                long now = System.nanoTime();
                if (now > deadline || streams.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException(stage + " stage labelled only " + seen + " of " + count + " pairs ("
                        + streams.state() + ")");
                }
                if (now > nextProgress) {
                    spec.commandLine().getErr().printf("%s stage: %d of %d labelled after %.0f s (%s)%n", stage, seen,
                        count, (now - start) / 1e9, streams.state());
                    nextProgress = now + Duration.ofSeconds(10).toNanos();
                }
                seen += reader.poll(Duration.ofMillis(50)).count();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(stage, count, seconds, judgeCalls(client) - callsBefore);
        }
    }

    private static void print(PrintWriter out, Result r) {
        out.printf("%-5s stage: %d pairs in %.1f s = %.1f pairs/s, %d judge prompts = %.1f prompts/s%n", r.stage(),
            r.pairs(), r.seconds(), r.pairsPerSecond(), r.judgeCalls(), r.callsPerSecond());
        out.flush();
    }

    private static long judgeCalls(InferenceClient client) {
        return client.statistics(ReferenceInferenceServer.JUDGE).stream()
            .mapToLong(s -> s.getInferenceStats().getSuccess().getCount()).sum();
    }

    private static void awaitRunning(KafkaStreams streams) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stream did not reach RUNNING, state " + streams.state());
            }
            Thread.sleep(20);
        }
    }

    /**
     * Waits until every partition of {@code topic} has a leader. Producing into a topic created a moment
     * ago can hit NOT_LEADER_OR_FOLLOWER, after which an idempotent producer was seen to retry with
     * OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout (2 min), even after this wait: a stall the
     * benchmark must not time, hence also the non-idempotent producer.
     */
    private static void awaitLeaders(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no leader for every partition of " + topic + " after 30 s");
            }
            Thread.sleep(50);
        }
    }

    private static KafkaConsumer<byte[], byte[]> committedReader(String bootstrap, String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /**
     * Synthetic pairs: a question, a helpful answer and a curt one, varied by index. Not idempotent (one
     * request in flight keeps the order): see {@link #awaitLeaders}.
     */
    private static void produce(String bootstrap, Topic<String, ScoredPair> topic, int count) {
        try (KafkaProducer<String, ScoredPair> producer = new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
            topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            List<ScoredPair> pairs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                var pair = PrefRecords.pair(List.of(new Message(Role.user, "How can I keep my plant number " + i
                        + " healthy through the winter?")),
                    "Keep plant " + i + " near a bright window, water it only when the top soil is dry, and avoid "
                        + "cold drafts; a little humidity helps too.", "gen-a",
                    (i % 3 == 0 ? "I don't know." : "Water it every day no matter what, plant " + i + "."), "gen-b",
                    LabelSource.RM, "bench", Instant.EPOCH, Map.of());
                pairs.add(ScoredPair.newBuilder().setPair(pair).setRewards(List.of()).setPBest(0.6).setPGold(0.45)
                    .setBestModel(new ModelRef("rm-best", "1")).setGoldModel(null).setScoredAt(Instant.EPOCH).build());
            }
            for (ScoredPair pair : pairs) {
                producer.send(new ProducerRecord<>(topic.name(), pair.getPair().getPairId(), pair));
            }
            producer.flush();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LabelerBenchmarkCommand()).execute(args));
    }
}
