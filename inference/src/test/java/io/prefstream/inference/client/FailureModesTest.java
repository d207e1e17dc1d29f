package io.prefstream.inference.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.inference.judge.Judge;
import io.prefstream.inference.reference.Malformation;
import io.prefstream.inference.reference.ReferenceInferenceServer;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.inference.reward.Conversation;
import io.prefstream.inference.reward.RewardModel;
import io.prefstream.platform.testing.Await;

/**
 * Every failure mode against the reference server over a socket ends in a clear exception, and the
 * client leaves no thread or channel behind.
 */
class FailureModesTest {
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

    private InferenceClient client(Map<String, Object> settings) {
        InferenceClient client = Clients.client(settings, new SimpleMeterRegistry());
        resources.add(client);
        return client;
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        try {
            future.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the call to fail, it succeeded");
    }

    private static final Conversation HELLO = Conversation.of("Hi there, what is the capital of France?",
        "The capital of France is Paris.");

    @Test
    void unknownModelIsNamedByTheReadinessCheck() {
        InferenceClient client = client(Clients.settings(server(ReferenceServerSettings.defaults()).address()));
        assertThatThrownBy(() -> RewardModel.open(client, new ModelRef("rm-missing", "")))
            .isInstanceOf(ModelMismatchException.class)
            .hasMessageContaining("'rm-missing'").hasMessageContaining("not ready");
    }

    @Test
    void wrongSignatureNamesModelTensorExpectedAndActual() {
        Map<String, Object> settings = Clients.settings(server(ReferenceServerSettings.defaults()).address());
        settings.put(InferenceConfig.REWARD_OUTPUT_TENSOR, "score");
        InferenceClient client = client(settings);
        assertThatThrownBy(() -> RewardModel.open(client, client.config().bestRewardModel()))
            .isInstanceOf(ModelMismatchException.class)
            .hasMessageContaining("'rm-best'").hasMessageContaining("output 'score'")
            .hasMessageContaining("expected FP32").hasMessageContaining("reward FP32 [-1, 1]");

        // The judge is a text model: treating it as a reward model fails on datatype and name.
        InferenceClient plain = client(Clients.settings(client.config().endpoints().get(0)));
        assertThatThrownBy(() -> RewardModel.open(plain, new ModelRef("judge", "")))
            .isInstanceOf(ModelMismatchException.class)
            .hasMessageContaining("model 'judge'").hasMessageContaining("input 'text': expected BYTES");
    }

    @Test
    void unreachableServerFailsWithUnavailableAfterRetries() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        InferenceClient client = client(Clients.settings("127.0.0.1:" + deadPort));
        assertThatThrownBy(() -> RewardModel.open(client, client.config().bestRewardModel()))
            .isInstanceOf(InferenceException.class)
            .hasMessageContaining("127.0.0.1:" + deadPort).hasMessageContaining("UNAVAILABLE");
        assertThat(((InferenceException) failureOf(client.infer(
            io.prefstream.inference.proto.ModelInferRequest.newBuilder().setModelName("rm-best").build(), 1, r -> r))).code())
            .isIn(Status.Code.UNAVAILABLE);
    }

    @Test
    void theReadinessCheckWaitsForAServerThatIsNotUpYet() throws Exception {
        ServerSocket refusing = new ServerSocket(0);
        int port = refusing.getLocalPort();
        AtomicInteger refused = new AtomicInteger();
        Thread hangUp = new Thread(() -> {
            while (!refusing.isClosed()) {
                try (Socket connection = refusing.accept()) {
                    refused.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        hangUp.start();
        Map<String, Object> settings = Clients.settings("127.0.0.1:" + port);
        settings.put(InferenceConfig.READY_TIMEOUT_MS, 60_000L);
        InferenceClient client = client(settings);
        CompletableFuture<RewardModel> opened = CompletableFuture.supplyAsync(
            () -> RewardModel.open(client, client.config().bestRewardModel()));

        Await.until(Duration.ofSeconds(20), "the check's first connection hung up on", () -> refused.get() > 0);
        refusing.close();
        hangUp.join();
        server(ReferenceServerSettings.defaults().withPort(port));

        assertThat(opened.get(60, TimeUnit.SECONDS)).as("opened once the server is up").isNotNull();
    }

    @Test
    void deadlineExceededIsReportedWithTheAttemptCount() throws Exception {
        ReferenceInferenceServer slow = server(ReferenceServerSettings.defaults().withLatency(1_000, 0));
        Map<String, Object> settings = Clients.settings(slow.address());
        settings.put(InferenceConfig.REQUEST_TIMEOUT_MS, 100L);
        settings.put(InferenceConfig.RETRIES, 1);
        InferenceClient client = client(settings);
        RewardModel rm = RewardModel.open(client, client.config().goldRewardModel());
        Throwable failure = failureOf(rm.score(HELLO));
        assertThat(failure).isInstanceOf(InferenceException.class).hasMessageContaining("DEADLINE_EXCEEDED")
            .hasMessageContaining("2 attempts");
        assertThat(((InferenceException) failure).code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }

    @Test
    void everyKindOfMalformedResponseIsAClearError() throws Exception {
        for (Malformation kind : Malformation.values()) {
            ReferenceInferenceServer broken = server(ReferenceServerSettings.defaults().withMalformed(1.0, List.of(kind)));
            InferenceClient client = client(Clients.settings(broken.address()));
            Throwable reward = failureOf(RewardModel.open(client, client.config().bestRewardModel()).score(HELLO));
            assertThat(reward).as(kind.name()).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("model 'rm-best'");
            Throwable text = failureOf(Judge.open(client, client.config().judgeModel()).generate("hello", Map.of()));
            assertThat(text).as(kind.name()).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("model 'judge'");
            String expected = switch (kind) {
                case MISSING_OUTPUT -> "output 'reward' missing";
                case WRONG_COUNT -> "expected 1 elements, actual 0";
                case WRONG_DATATYPE -> "expected datatype FP32, actual FP64";
                case UNDECODABLE -> "raw FP32 contents have 2 bytes, expected 4";
            };
            assertThat(reward).as(kind.name()).hasMessageContaining(expected);
            if (kind == Malformation.UNDECODABLE) {
                assertThat(text).hasMessageContaining("declares").hasMessageContaining("remain");
            }
        }
    }

    @Test
    void errorMessagesInTheJudgeStreamFailTheGeneration() throws Exception {
        ReferenceInferenceServer failing = server(ReferenceServerSettings.defaults().withErrorRate(1.0));
        Map<String, Object> settings = Clients.settings(failing.address());
        InferenceClient client = client(settings);
        Judge judge = Judge.open(client, client.config().judgeModel());
        Throwable failure = failureOf(judge.generate("### Conversation\nUser: hi", Map.of("temperature", 0.7)));
        assertThat(failure).isInstanceOf(InferenceException.class).hasMessageContaining("model 'judge'")
            .hasMessageContaining("reported in the stream").hasMessageContaining("simulated transient failure");
    }

    @Test
    void inferenceOnAnUnknownModelIsNotFoundAndNotRetried() throws Exception {
        Map<String, Object> settings = Clients.settings(server(ReferenceServerSettings.defaults()).address());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InferenceClient client = Clients.client(settings, registry);
        resources.add(client);
        Throwable failure = failureOf(RewardModel.withoutReadinessCheck(client, new ModelRef("rm-typo", "")).score(HELLO));
        assertThat(failure).isInstanceOf(InferenceException.class).hasMessageContaining("NOT_FOUND")
            .hasMessageContaining("'rm-typo'").hasMessageContaining("1 attempt)");
        assertThat(registry.find("prefstream.inference.retries").counter()).isNull();
    }

    @Test
    void closedClientRejectsNewWorkAndLeavesNoThreadsOrChannels() throws Exception {
        InferenceClient client = Clients.client(Clients.settings(server(ReferenceServerSettings.defaults()).address()),
            new SimpleMeterRegistry());
        RewardModel rm = RewardModel.open(client, client.config().bestRewardModel());
        rm.score(HELLO).get(10, TimeUnit.SECONDS);
        long clientThreads = Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("prefstream-inference-")).count();
        assertThat(clientThreads).isPositive();
        client.close();
        assertThat(client.isTerminated()).isTrue();
        assertThatThrownBy(() -> rm.score(HELLO)).isInstanceOf(InferenceException.class).hasMessageContaining("closed");
        Await.until(Duration.ofSeconds(10), "client threads to end", () -> Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().startsWith("prefstream-inference-") && t.isAlive()));
    }
}
