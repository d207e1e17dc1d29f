package io.prefstream.inference.reward;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.prefstream.inference.client.InferenceClient;
import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.client.MicroBatcher;
import io.prefstream.inference.client.ModelRef;
import io.prefstream.inference.client.ModelSignature;
import io.prefstream.inference.client.TensorSpec;
import io.prefstream.inference.client.TensorSpec.ShapeRule;
import io.prefstream.inference.proto.ModelInferRequest;
import io.prefstream.inference.proto.ModelInferRequest.InferInputTensor;
import io.prefstream.inference.proto.ModelInferRequest.InferRequestedOutputTensor;
import io.prefstream.inference.proto.ModelMetadataResponse;
import io.prefstream.inference.tensor.BytesTensor;
import io.prefstream.inference.tensor.OutputReader;

/**
 * A reward model behind the KServe v2 protocol: conversations in, one FP32 reward each out.
 * Single conversations are batched ({@code inference.batch.max.size}, {@code inference.batch.linger.ms})
 * into one request whose BYTES input holds the chat-template-rendered texts, raw-encoded.
 *
 * <p>Create it with {@link #open}, which runs the readiness check and learns whether the model
 * declares its input as {@code [-1]} or {@code [-1, 1]} (Triton's form for {@code dims: [1]}).
 */
public final class RewardModel {
    private final InferenceClient client;
    private final ModelRef model;
    private final String inputTensor;
    private final String outputTensor;
    private final ChatTemplate template;
    private final boolean inputHasUnitDim;
    private final MicroBatcher<Conversation, Float> batcher;

    private RewardModel(InferenceClient client, ModelRef model, ChatTemplate template, boolean inputHasUnitDim) {
        InferenceConfig config = client.config();
        this.client = client;
        this.model = model;
        this.inputTensor = config.getString(InferenceConfig.REWARD_INPUT_TENSOR);
        this.outputTensor = config.getString(InferenceConfig.REWARD_OUTPUT_TENSOR);
        this.template = template;
        this.inputHasUnitDim = inputHasUnitDim;
        this.batcher = client.batcher(model.name(), this::scoreBatch);
    }

    /**
     * Checks that {@code model} is ready with a BYTES {@code text}-style input and an FP32 reward
     * output on every endpoint, then returns the facade.
     *
     * @throws io.prefstream.inference.client.ModelMismatchException naming model, tensor, expected and actual
     */
    public static RewardModel open(InferenceClient client, ModelRef model) {
        InferenceConfig config = client.config();
        String input = config.getString(InferenceConfig.REWARD_INPUT_TENSOR);
        ModelMetadataResponse metadata = client.checkReady(signature(model, config));
        boolean unitDim = ModelSignature.shapeOf(metadata, input).size() == 2;
        return new RewardModel(client, model, ChatTemplate.from(config), unitDim);
    }

    /**
     * The facade without asking the server first, assuming input shape {@code [-1]}: for callers that
     * must start while an endpoint is down (the readiness check refuses that) and know the model.
     */
    public static RewardModel withoutReadinessCheck(InferenceClient client, ModelRef model) {
        return new RewardModel(client, model, ChatTemplate.from(client.config()), false);
    }

    static ModelSignature signature(ModelRef model, InferenceConfig config) {
        return new ModelSignature(model,
            List.of(new TensorSpec(config.getString(InferenceConfig.REWARD_INPUT_TENSOR), "BYTES", ShapeRule.BATCH_OF_SCALARS)),
            List.of(new TensorSpec(config.getString(InferenceConfig.REWARD_OUTPUT_TENSOR), "FP32", ShapeRule.BATCH_OF_SCALARS)));
    }

    public ModelRef model() {
        return model;
    }

    /** The reward of one conversation; batched with concurrent calls. */
    public CompletableFuture<Float> score(Conversation conversation) {
        return batcher.submit(conversation);
    }

    /** Rewards of several conversations, in order; they share batches with concurrent calls. */
    public CompletableFuture<List<Float>> scoreAll(List<Conversation> conversations) {
        List<CompletableFuture<Float>> each = batcher.submitAll(conversations);
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Float> rewards = new ArrayList<>(each.size());
            each.forEach(f -> rewards.add(f.join()));
            return rewards;
        });
    }

    private CompletableFuture<List<Float>> scoreBatch(List<Conversation> conversations) {
        List<String> texts = new ArrayList<>(conversations.size());
        conversations.forEach(c -> texts.add(template.render(c)));
        int n = texts.size();
        InferInputTensor.Builder input = InferInputTensor.newBuilder().setName(inputTensor).setDatatype("BYTES").addShape(n);
        if (inputHasUnitDim) {
            input.addShape(1);
        }
        ModelInferRequest request = ModelInferRequest.newBuilder()
            .setModelName(model.name())
            .setModelVersion(model.version())
            .addInputs(input)
            .addOutputs(InferRequestedOutputTensor.newBuilder().setName(outputTensor))
            .addRawInputContents(BytesTensor.encodeStrings(texts))
            .build();
        return client.infer(request, n, response -> {
            float[] rewards = new OutputReader(response, model.name()).fp32(outputTensor, n);
            List<Float> list = new ArrayList<>(n);
            for (float reward : rewards) {
                list.add(reward);
            }
            return list;
        });
    }
}
