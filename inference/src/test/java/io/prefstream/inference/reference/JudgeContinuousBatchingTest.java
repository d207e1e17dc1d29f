package io.prefstream.inference.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.inference.client.Clients;
import io.prefstream.inference.client.InferenceClient;
import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.client.InferenceException;
import io.prefstream.inference.client.MalformedResponseException;
import io.prefstream.inference.judge.Judge;
import io.prefstream.inference.judge.JudgeContract;
import io.prefstream.inference.proto.GRPCInferenceServiceGrpc;
import io.prefstream.inference.proto.InferParameter;
import io.prefstream.inference.proto.ModelInferRequest;
import io.prefstream.inference.proto.ModelInferRequest.InferInputTensor;
import io.prefstream.inference.proto.ModelInferResponse;
import io.prefstream.inference.proto.ModelStatistics;
import io.prefstream.inference.proto.ModelStreamInferResponse;
import io.prefstream.inference.tensor.BytesTensor;
import io.prefstream.inference.tensor.OutputReader;

/**
 * The reference judge batches concurrent requests like vLLM's continuous batching: counted by the
 * server's ModelStatistics (executions vs items), with answers and faults per request unchanged.
 * The queue delay makes an idle instance wait for the concurrent requests, so the execution counts
 * do not depend on how fast this machine sends them.
 */
class JudgeContinuousBatchingTest {
    private static final String JUDGE = ReferenceInferenceServer.JUDGE;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void concurrentPromptsShareExecutionsAndGetTheirUnbatchedAnswers() {
        int maxBatch = 32;
        int instances = 2;
        int prompts = 128; // two rounds of full batches on both instances
        InferenceClient batched = client(server(ReferenceServerSettings.defaults().withLatency(50, 0)
            .withCapacity(maxBatch, instances).withJudgeQueueDelay(2_000)), prompts);
        List<Request> requests = requests(prompts);

        List<String> answers = join(generateAll(batched, requests));

        ModelStatistics stats = judgeStatistics(batched);
        assertThat(stats.getInferenceCount()).isEqualTo(prompts);
        assertThat(stats.getInferenceStats().getSuccess().getCount()).isEqualTo(prompts);
        assertThat(stats.getExecutionCount()).as("executions = instances x ceil(N / (max batch x instances))")
            .isEqualTo((long) instances * (long) Math.ceil((double) prompts / (maxBatch * instances)));
        assertThat(answers).containsExactlyElementsOf(unbatchedAnswers(requests, ReferenceServerSettings.defaults()));
    }

    @Test
    void requestsOnOneStreamShareAnExecutionAndEachGetsItsOwnFinalResponse() throws Exception {
        ReferenceInferenceServer server = server(ReferenceServerSettings.defaults().withJudgeQueueDelay(1_000));
        ManagedChannel channel = Grpc.newChannelBuilder(server.address(), InsecureChannelCredentials.create()).build();
        resources.add(channel::shutdownNow);
        List<ModelStreamInferResponse> responses = new ArrayList<>();
        CountDownLatch ended = new CountDownLatch(1);
        StreamObserver<ModelInferRequest> stream = GRPCInferenceServiceGrpc.newStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS).modelStreamInfer(new StreamObserver<>() {
                @Override
                public void onNext(ModelStreamInferResponse response) {
                    synchronized (responses) {
                        responses.add(response);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    ended.countDown();
                }

                @Override
                public void onCompleted() {
                    ended.countDown();
                }
            });
        List<Request> requests = requests(3);
        for (int i = 0; i < requests.size(); i++) {
            stream.onNext(rawRequest("req-" + i, requests.get(i)));
        }
        stream.onCompleted();
        assertThat(ended.await(30, TimeUnit.SECONDS)).as("stream ended").isTrue();

        Map<String, String> textById = new HashMap<>();
        for (ModelStreamInferResponse response : responses) {
            assertThat(response.getErrorMessage()).isEmpty();
            ModelInferResponse body = response.getInferResponse();
            assertThat(body.getParametersMap().get(InferenceClient.FINAL_RESPONSE).getBoolParam()).as(body.getId()).isTrue();
            textById.put(body.getId(), new OutputReader(body, JUDGE).strings("text_output").get(0));
        }
        assertThat(responses).hasSize(3);
        List<String> expected = unbatchedAnswers(requests, ReferenceServerSettings.defaults());
        assertThat(textById).containsExactlyInAnyOrderEntriesOf(
            Map.of("req-0", expected.get(0), "req-1", expected.get(1), "req-2", expected.get(2)));
        try (InferenceClient client = Clients.client(Clients.settings(server.address()), new SimpleMeterRegistry())) {
            ModelStatistics stats = judgeStatistics(client);
            assertThat(stats.getExecutionCount()).isEqualTo(1);
            assertThat(stats.getInferenceCount()).isEqualTo(3);
        }
    }

    @Test
    void injectedErrorsHitSingleRequestsOfABatchAndTheOthersKeepTheirAnswers() {
        int prompts = 64;
        ReferenceServerSettings flaky = ReferenceServerSettings.defaults().withLatency(20, 0).withCapacity(64, 1)
            .withJudgeQueueDelay(2_000).withErrorRate(0.5);
        InferenceClient client = client(server(flaky), prompts);
        List<Request> requests = requests(prompts);
        List<CompletableFuture<String>> calls = generateAll(client, requests);
        CompletableFuture.allOf(calls.stream().map(c -> c.exceptionally(e -> null)).toArray(CompletableFuture[]::new)).join();

        List<String> expected = unbatchedAnswers(requests, ReferenceServerSettings.defaults());
        int failed = 0;
        for (int i = 0; i < prompts; i++) {
            CompletableFuture<String> call = calls.get(i);
            if (call.isCompletedExceptionally()) {
                failed++;
                assertThatThrownBy(call::join).isInstanceOf(CompletionException.class).cause()
                    .isInstanceOf(InferenceException.class).hasMessageContaining("simulated transient failure");
            } else {
                assertThat(call.join()).as("answer %d", i).isEqualTo(expected.get(i));
            }
        }
        ModelStatistics stats = judgeStatistics(client);
        assertThat(failed).as("some requests failed, some succeeded").isBetween(1, prompts - 1);
        assertThat(stats.getInferenceStats().getFail().getCount()).isEqualTo(failed);
        assertThat(stats.getInferenceCount()).as("items = the requests that ran").isEqualTo(prompts - failed);
        assertThat(stats.getExecutionCount()).as("one batch for all of them").isEqualTo(1);
    }

    @Test
    void malformedResponsesAreDrawnPerRequestInsideABatch() {
        int prompts = 16;
        ReferenceServerSettings broken = ReferenceServerSettings.defaults().withJudgeQueueDelay(2_000)
            .withMalformed(1.0, List.of(Malformation.WRONG_DATATYPE));
        InferenceClient client = client(server(broken), prompts);
        List<CompletableFuture<String>> calls = generateAll(client, requests(prompts));
        for (CompletableFuture<String> call : calls) {
            assertThat(call).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(MalformedResponseException.class).withMessageContaining("model 'judge'");
        }
        ModelStatistics stats = judgeStatistics(client);
        assertThat(stats.getInferenceCount()).isEqualTo(prompts);
        assertThat(stats.getExecutionCount()).isEqualTo(1);
    }

    /** A prompt with its sampling parameters: votes (greedy, seeded, server-seeded) and attribute prompts. */
    private record Request(String prompt, Map<String, Object> sampling) {}

    private static List<Request> requests(int count) {
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String question = "How should I store fresh herbs number " + i + " so they last longer?";
            if (i % 4 == 3) {
                requests.add(new Request(JudgeContract.CONVERSATION_HEADER + "\nUser: " + question + "\n"
                    + JudgeContract.INSTRUCTIONS_HEADER + "\nAnswer with JSON: task_category, preference_objectivity, "
                    + "controversiality, desired_attributes, guideline.", Map.of()));
                continue;
            }
            String prompt = JudgeContract.CONVERSATION_HEADER + "\nUser: " + question + "\n"
                + JudgeContract.CANDIDATE_1_HEADER + "\nWrap herb " + i + " in a damp towel and refrigerate it.\n"
                + JudgeContract.CANDIDATE_2_HEADER + "\n" + (i % 2 == 0 ? "No idea." : "Keep herb " + i + " in water on the "
                + "counter, like flowers, and change the water daily.") + "\n"
                + JudgeContract.INSTRUCTIONS_HEADER + "\nWhich candidate is better? Answer {\"preferred\": ...}.";
            Map<String, Object> sampling = switch (i % 4) {
                case 0 -> Map.of("temperature", 0.0);
                case 1 -> Map.of("temperature", 0.9, "seed", i % 5);
                default -> Map.of("temperature", 0.9); // the server's seed
            };
            requests.add(new Request(prompt, sampling));
        }
        return requests;
    }

    private static List<CompletableFuture<String>> generateAll(InferenceClient client, List<Request> requests) {
        Judge judge = Judge.open(client, client.config().judgeModel());
        return requests.stream().map(r -> judge.generate(r.prompt(), r.sampling())).toList();
    }

    /** The answers one at a time from a server of the same seed: every prompt its own execution. */
    private List<String> unbatchedAnswers(List<Request> requests, ReferenceServerSettings settings) {
        InferenceClient client = client(server(settings), 1);
        Judge judge = Judge.open(client, client.config().judgeModel());
        List<String> answers = requests.stream().map(r -> judge.generate(r.prompt(), r.sampling()).join()).toList();
        ModelStatistics stats = judgeStatistics(client);
        assertThat(stats.getExecutionCount()).as("unbatched").isEqualTo(requests.size());
        return answers;
    }

    private static List<String> join(List<CompletableFuture<String>> calls) {
        try {
            return calls.stream().map(CompletableFuture::join).toList();
        } catch (CompletionException e) {
            throw new AssertionError("a judge call failed", e.getCause());
        }
    }

    /** What {@link Judge} sends, built by hand to put several requests on one stream. */
    private static ModelInferRequest rawRequest(String id, Request request) throws Exception {
        return ModelInferRequest.newBuilder().setModelName(JUDGE).setId(id)
            .putParameters(InferenceClient.ENABLE_FINAL_RESPONSE, InferParameter.newBuilder().setBoolParam(true).build())
            .addInputs(InferInputTensor.newBuilder().setName("text_input").setDatatype("BYTES").addShape(1))
            .addRawInputContents(BytesTensor.encodeStrings(List.of(request.prompt())))
            .addInputs(InferInputTensor.newBuilder().setName("sampling_parameters").setDatatype("BYTES").addShape(1))
            .addRawInputContents(BytesTensor.encodeStrings(List.of(new ObjectMapper().writeValueAsString(request.sampling()))))
            .addInputs(InferInputTensor.newBuilder().setName("exclude_input_in_output").setDatatype("BOOL").addShape(1))
            .addRawInputContents(ByteString.copyFrom(new byte[] {1}))
            .build();
    }

    private static ModelStatistics judgeStatistics(InferenceClient client) {
        List<ModelStatistics> stats = client.statistics(JUDGE);
        assertThat(stats).hasSize(1);
        return stats.get(0);
    }

    private ReferenceInferenceServer server(ReferenceServerSettings settings) {
        ReferenceInferenceServer server = ReferenceInferenceServer.start(settings);
        resources.add(server);
        return server;
    }

    private InferenceClient client(ReferenceInferenceServer server, int inFlight) {
        Map<String, Object> settings = Clients.settings(server.address());
        settings.put(InferenceConfig.MAX_IN_FLIGHT, inFlight);
        InferenceClient client = Clients.client(settings, new SimpleMeterRegistry());
        resources.add(client);
        return client;
    }
}
