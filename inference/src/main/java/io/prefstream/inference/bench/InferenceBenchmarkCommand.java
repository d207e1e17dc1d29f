package io.prefstream.inference.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.inference.client.InferenceClient;
import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.proto.ModelStatistics;
import io.prefstream.inference.reference.ReferenceInferenceServer;
import io.prefstream.inference.reward.Conversation;
import io.prefstream.inference.reward.RewardModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code prefstream bench inference}: how close the batching client gets to the server's capacity.
 * Starts the reference server with a simulated per-batch latency, max batch and instance count
 * (capacity = instances × max batch / latency), scores items one {@code score()} call at a time from
 * a single thread with a bounded window of outstanding items, through a client that batches up to max
 * batch items per request, and compares with a baseline client
 * that sends one request at a time, unbatched, measured in the same run.
 */
@Command(name = "inference", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Benchmarks the inference client against the reference server; the last line is "
        + "'inference capacity_share=S vs_baseline=Rx'.")
public final class InferenceBenchmarkCommand implements Callable<Integer> {
    @Mixin
    SimulatedEndpointOptions endpoint;

    @Option(names = "--items", defaultValue = "40000", description = "Items scored in the measured run (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--warmup-items", defaultValue = "6400", description = "Items scored before measuring (default: ${DEFAULT-VALUE}).")
    int warmupItems;

    @Option(names = "--baseline-items", defaultValue = "150", description = "Items scored by the one-at-a-time baseline (default: ${DEFAULT-VALUE}).")
    int baselineItems;

    @Option(names = "--max-in-flight", defaultValue = "4", description = "Client requests in flight per endpoint (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--linger-ms", defaultValue = "5", description = "Client batch linger, ms (default: ${DEFAULT-VALUE}).")
    long lingerMs;

    @Option(names = "--window", defaultValue = "4096", description = "Items outstanding at once from the submitter (default: ${DEFAULT-VALUE}).")
    int window;

    @Override
    public Integer call() throws Exception {
        double capacity = endpoint.capacityItemsPerSecond();
        List<Conversation> corpus = corpus(1024);
        try (ReferenceInferenceServer server = ReferenceInferenceServer.start(endpoint.serverSettings())) {
            System.out.printf("reference server %s: %.0f ms per batch, max batch %d, %d instances -> capacity %.0f items/s%n",
                server.address(), endpoint.latencyMs(), endpoint.maxBatch(), endpoint.instances(), capacity);

            double batched;
            try (InferenceClient client = client(server.address(), endpoint.maxBatch(), lingerMs, maxInFlight)) {
                RewardModel rm = RewardModel.open(client, client.config().bestRewardModel());
                run(rm, corpus, warmupItems);
                long executionsBefore = executions(client);
                long start = System.nanoTime();
                run(rm, corpus, items);
                double seconds = (System.nanoTime() - start) / 1e9;
                batched = items / seconds;
                long batches = executions(client) - executionsBefore;
                System.out.printf("batched client: %d items in %.2f s = %.0f items/s, %d batches (mean %.1f items)%n",
                    items, seconds, batched, batches, items / (double) batches);
            }
            double baseline;
            try (InferenceClient client = client(server.address(), 1, 0, 1)) {
                RewardModel rm = RewardModel.open(client, client.config().bestRewardModel());
                long start = System.nanoTime();
                for (int i = 0; i < baselineItems; i++) {
                    rm.score(corpus.get(i % corpus.size())).get(30, TimeUnit.SECONDS);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                baseline = baselineItems / seconds;
                System.out.printf("baseline (one request at a time, unbatched): %d items in %.2f s = %.1f items/s%n",
                    baselineItems, seconds, baseline);
            }
            System.out.printf("inference capacity_share=%.2f vs_baseline=%.1fx%n", batched / capacity, batched / baseline);
        }
        return 0;
    }

    /** Scores {@code count} items, never more than {@code window} outstanding; fails on the first error. */
    private void run(RewardModel rm, List<Conversation> corpus, int count) throws Exception {
        Semaphore outstanding = new Semaphore(window);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < count && failure.get() == null; i++) {
            outstanding.acquire();
            rm.score(corpus.get(i % corpus.size())).whenComplete((reward, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                outstanding.release();
            });
        }
        outstanding.acquire(window);
        if (failure.get() != null) {
            throw new IllegalStateException("benchmark call failed", failure.get());
        }
    }

    private static InferenceClient client(String address, int batch, long lingerMs, int inFlight) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(InferenceConfig.INFERENCE_ENDPOINTS, address);
        settings.put(InferenceConfig.BATCH_MAX_SIZE, batch);
        settings.put(InferenceConfig.BATCH_LINGER_MS, lingerMs);
        settings.put(InferenceConfig.MAX_IN_FLIGHT, inFlight);
        return new InferenceClient(new InferenceConfig(settings), new SimpleMeterRegistry());
    }

    private static long executions(InferenceClient client) {
        return client.statistics("rm-best").stream().mapToLong(ModelStatistics::getExecutionCount).sum();
    }

    /** Varied synthetic conversations (the benchmark must not depend on a data file). */
    private static List<Conversation> corpus(int size) {
        String[] topics = {"baking bread", "learning Java", "planting tomatoes", "fixing a bike", "saving money",
            "writing a poem", "training for a 10k", "reading Kafka"};
        List<Conversation> corpus = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String topic = topics[i % topics.length];
            corpus.add(Conversation.of("Can you give me some advice about " + topic + "? Question " + i + ".",
                "Sure. For " + topic + ", start small, practise a little every day and keep notes. " + "Step ".repeat(i % 7)
                    + "Tip " + i + ": ask for feedback early."));
        }
        return corpus;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new InferenceBenchmarkCommand()).execute(args));
    }
}
