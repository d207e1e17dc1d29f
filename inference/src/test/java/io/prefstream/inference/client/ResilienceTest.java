package io.prefstream.inference.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.inference.proto.ModelStatistics;
import io.prefstream.inference.reference.ReferenceInferenceServer;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.inference.reward.Conversation;
import io.prefstream.inference.reward.RewardModel;
import io.prefstream.platform.testing.Await;

/** Batching, poisoned-item isolation, retries, circuit breaking, balancing and draining, over sockets. */
class ResilienceTest {
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private ReferenceInferenceServer server(ReferenceServerSettings settings) {
        ReferenceInferenceServer server = ReferenceInferenceServer.start(settings);
        resources.add(server);
        return server;
    }

    private InferenceClient client(Map<String, Object> settings, SimpleMeterRegistry registry) {
        InferenceClient client = Clients.client(settings, registry);
        resources.add(client);
        return client;
    }

    private static List<Conversation> conversations(int n) {
        List<Conversation> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(Conversation.of("Question number " + i + ": how do plants grow?",
                "Plants grow through photosynthesis, answer " + i + "."));
        }
        return list;
    }

    private static ModelStatistics stats(InferenceClient client, String model) {
        List<ModelStatistics> all = client.statistics(model);
        return all.get(0);
    }

    @Test
    void singleCallsAreBatchedUpToTheMaximum() throws Exception {
        Map<String, Object> settings = Clients.settings(server(ReferenceServerSettings.defaults().withLatency(20, 0)).address());
        settings.put(InferenceConfig.BATCH_MAX_SIZE, 16);
        settings.put(InferenceConfig.BATCH_LINGER_MS, 500L);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InferenceClient client = client(settings, registry);
        RewardModel rm = RewardModel.open(client, client.config().bestRewardModel());
        List<CompletableFuture<Float>> futures = new ArrayList<>();
        for (Conversation c : conversations(40)) {
            futures.add(rm.score(c));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        ModelStatistics stats = stats(client, "rm-best");
        assertThat(stats.getInferenceCount()).isEqualTo(40);
        assertThat(stats.getExecutionCount()).isEqualTo(3); // 16 + 16 + 8 (the last one after the linger)
        assertThat(registry.get("prefstream.inference.batch.size").summary().max()).isEqualTo(16);
    }

    @Test
    void aPoisonedItemFailsAloneAndTheRestOfItsBatchSucceeds() throws Exception {
        Map<String, Object> settings = Clients.settings(server(ReferenceServerSettings.defaults()).address());
        settings.put(InferenceConfig.BATCH_LINGER_MS, 1_000L);
        settings.put(InferenceConfig.BATCH_MAX_SIZE, 8);
        InferenceClient client = client(settings, new SimpleMeterRegistry());
        RewardModel rm = RewardModel.open(client, client.config().bestRewardModel());
        List<Conversation> batch = new ArrayList<>(conversations(8));
        batch.set(5, Conversation.of("poison", "a NUL byte \u0000 the tokenizer rejects"));
        List<CompletableFuture<Float>> futures = new ArrayList<>();
        batch.forEach(c -> futures.add(rm.score(c)));
        for (int i = 0; i < futures.size(); i++) {
            if (i == 5) {
                try {
                    futures.get(i).get(10, TimeUnit.SECONDS);
                    throw new AssertionError("the poisoned item must fail");
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(InferenceException.class).hasMessageContaining("INVALID_ARGUMENT")
                        .hasMessageContaining("U+0000");
                    assertThat(((InferenceException) e.getCause()).code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                }
            } else {
                assertThat(futures.get(i).get(10, TimeUnit.SECONDS)).isNotNull();
            }
        }
        // 8 -> 4 + 4 -> (2 + 2) -> (1 + 1): seven items scored, in batches no larger than needed.
        assertThat(stats(client, "rm-best").getInferenceCount()).isEqualTo(7);
    }

    @Test
    void transientErrorsAreRetriedUntilEveryItemSucceeds() throws Exception {
        ReferenceInferenceServer flaky = server(ReferenceServerSettings.defaults().withErrorRate(0.3).withSeed(7));
        Map<String, Object> settings = Clients.settings(flaky.address());
        settings.put(InferenceConfig.RETRIES, 10);
        settings.put(InferenceConfig.CIRCUIT_FAILURE_THRESHOLD, 1_000);
        settings.put(InferenceConfig.BATCH_MAX_SIZE, 4);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InferenceClient client = client(settings, registry);
        RewardModel rm = RewardModel.open(client, client.config().goldRewardModel());
        List<Float> rewards = rm.scoreAll(conversations(60)).get(30, TimeUnit.SECONDS);
        assertThat(rewards).hasSize(60).doesNotContainNull();
        assertThat(stats(client, "rm-gold").getInferenceStats().getFail().getCount()).isPositive();
        assertThat(registry.get("prefstream.inference.retries").counter().count()).isPositive();
        assertThat(registry.get("prefstream.inference.errors").tag("status", "UNAVAILABLE").counter().count()).isPositive();
    }

    @Test
    void aDeadEndpointOpensItsBreakerAndTrafficMovesToTheLiveOne() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        ReferenceInferenceServer live = server(ReferenceServerSettings.defaults());
        String dead = "127.0.0.1:" + deadPort;
        Map<String, Object> settings = Clients.settings(dead + "," + live.address());
        settings.put(InferenceConfig.CIRCUIT_FAILURE_THRESHOLD, 2);
        settings.put(InferenceConfig.CIRCUIT_OPEN_MS, 60_000L);
        settings.put(InferenceConfig.RETRIES, 5);
        settings.put(InferenceConfig.BATCH_MAX_SIZE, 1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InferenceClient client = client(settings, registry);
        // No readiness check here: it would (rightly) refuse to start with a dead endpoint.
        RewardModel rm = RewardModel.withoutReadinessCheck(client, client.config().bestRewardModel());
        for (Conversation c : conversations(20)) {
            assertThat(rm.score(c).get(10, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(registry.get("prefstream.inference.circuit.state").tag("endpoint", dead).gauge().value()).isEqualTo(2.0);
        assertThat(registry.get("prefstream.inference.circuit.state").tag("endpoint", live.address()).gauge().value()).isZero();
        assertThat(registry.get("prefstream.inference.errors").tag("status", "UNAVAILABLE").counter().count())
            .isLessThanOrEqualTo(2.0); // the breaker stopped sending to the dead endpoint after 2 failures
    }

    @Test
    void anOpenBreakerHalfOpensAndClosesWhenTheServerComesBack() throws Exception {
        ReferenceInferenceServer first = ReferenceInferenceServer.start(ReferenceServerSettings.defaults());
        int port = first.port();
        Map<String, Object> settings = Clients.settings(first.address());
        settings.put(InferenceConfig.CIRCUIT_FAILURE_THRESHOLD, 1);
        settings.put(InferenceConfig.CIRCUIT_OPEN_MS, 200L);
        settings.put(InferenceConfig.RETRIES, 0);
        settings.put(InferenceConfig.BATCH_MAX_SIZE, 1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InferenceClient client = client(settings, registry);
        RewardModel rm = RewardModel.open(client, client.config().bestRewardModel());
        Conversation hello = conversations(1).get(0);
        assertThat(rm.score(hello).get(10, TimeUnit.SECONDS)).isNotNull();
        first.close();

        assertThat(rm.score(hello)).failsWithin(10, TimeUnit.SECONDS);
        assertThat(registry.get("prefstream.inference.circuit.state").gauge().value()).isEqualTo(2.0);
        assertThat(rm.score(hello)).failsWithin(10, TimeUnit.SECONDS)
            .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(CircuitOpenException.class);

        server(ReferenceServerSettings.defaults().withPort(port));
        Await.until(Duration.ofSeconds(30), "the breaker to close again", () -> {
            try {
                return rm.score(hello).get(10, TimeUnit.SECONDS) != null
                    && registry.get("prefstream.inference.circuit.state").gauge().value() == 0.0;
            } catch (ExecutionException | TimeoutException stillDown) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    @Test
    void leastOutstandingBalancingKeepsTwoServersEquallyBusy() throws Exception {
        ReferenceInferenceServer a = server(ReferenceServerSettings.defaults().withLatency(10, 0));
        ReferenceInferenceServer b = server(ReferenceServerSettings.defaults().withLatency(10, 0));
        Map<String, Object> settings = Clients.settings(a.address() + "," + b.address());
        settings.put(InferenceConfig.BATCH_MAX_SIZE, 4);
        settings.put(InferenceConfig.MAX_IN_FLIGHT, 2);
        InferenceClient client = client(settings, new SimpleMeterRegistry());
        RewardModel rm = RewardModel.open(client, client.config().bestRewardModel());
        rm.scoreAll(conversations(200)).get(30, TimeUnit.SECONDS);
        List<ModelStatistics> perServer = client.statistics("rm-best");
        long first = perServer.get(0).getInferenceCount();
        long second = perServer.get(1).getInferenceCount();
        assertThat(first + second).isEqualTo(200);
        assertThat(Math.abs(first - second)).isLessThanOrEqualTo(40);
    }

    @Test
    void closeDrainsEverythingAlreadySubmitted() throws Exception {
        ReferenceInferenceServer slow = server(ReferenceServerSettings.defaults().withLatency(50, 0));
        Map<String, Object> settings = Clients.settings(slow.address());
        settings.put(InferenceConfig.BATCH_MAX_SIZE, 8);
        settings.put(InferenceConfig.MAX_IN_FLIGHT, 1);
        settings.put(InferenceConfig.BATCH_LINGER_MS, 10_000L);
        InferenceClient client = Clients.client(settings, new SimpleMeterRegistry());
        RewardModel rm = RewardModel.open(client, client.config().bestRewardModel());
        List<CompletableFuture<Float>> futures = new ArrayList<>();
        for (Conversation c : conversations(30)) {
            futures.add(rm.score(c)); // 3 full batches queue behind one slot; 6 items wait for the long linger
        }
        client.close();
        for (CompletableFuture<Float> f : futures) {
            assertThat(f).isCompleted();
            assertThat(f.get()).isNotNull();
        }
        assertThat(client.isTerminated()).isTrue();
    }
}
