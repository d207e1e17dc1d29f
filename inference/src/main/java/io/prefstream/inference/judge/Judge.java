package io.prefstream.inference.judge;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.prefstream.inference.client.InferenceClient;
import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.client.InferenceException;
import io.prefstream.inference.client.MalformedResponseException;
import io.prefstream.inference.client.ModelRef;
import io.prefstream.inference.client.ModelSignature;
import io.prefstream.inference.client.TensorSpec;
import io.prefstream.inference.client.TensorSpec.ShapeRule;
import io.prefstream.inference.proto.ModelInferRequest;
import io.prefstream.inference.proto.ModelInferRequest.InferInputTensor;
import io.prefstream.inference.proto.ModelInferResponse;
import io.prefstream.inference.proto.ModelMetadataResponse;
import io.prefstream.inference.tensor.BytesTensor;
import io.prefstream.inference.tensor.OutputReader;

/**
 * An LLM judge served by Triton's vLLM backend (or the reference judge): prompt and sampling
 * parameters in, generated text out, over ModelStreamInfer because the vLLM backend is decoupled.
 * Inputs follow the backend's contract: {@code text_input} (BYTES), {@code sampling_parameters}
 * (BYTES, JSON), {@code stream} = false and {@code exclude_input_in_output} = true, so the answer
 * is the completion alone; output {@code text_output}. No client-side batching: vLLM batches
 * continuously on the server, so each generation is its own request (bounded by the in-flight limit).
 */
public final class Judge {
    static final String STREAM = "stream";
    static final String EXCLUDE_INPUT = "exclude_input_in_output";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InferenceClient client;
    private final ModelRef model;
    private final String inputTensor;
    private final String parametersTensor;
    private final String outputTensor;
    private final ModelMetadataResponse metadata;

    private Judge(InferenceClient client, ModelRef model, ModelMetadataResponse metadata) {
        InferenceConfig config = client.config();
        this.client = client;
        this.model = model;
        this.inputTensor = config.getString(InferenceConfig.JUDGE_INPUT_TENSOR);
        this.parametersTensor = config.getString(InferenceConfig.JUDGE_PARAMETERS_TENSOR);
        this.outputTensor = config.getString(InferenceConfig.JUDGE_OUTPUT_TENSOR);
        this.metadata = metadata;
    }

    /** Readiness check of the judge model on every endpoint, then the facade. */
    public static Judge open(InferenceClient client, ModelRef model) {
        InferenceConfig config = client.config();
        ModelSignature signature = new ModelSignature(model,
            List.of(new TensorSpec(config.getString(InferenceConfig.JUDGE_INPUT_TENSOR), "BYTES", ShapeRule.SINGLE_ELEMENT),
                new TensorSpec(config.getString(InferenceConfig.JUDGE_PARAMETERS_TENSOR), "BYTES", ShapeRule.SINGLE_ELEMENT),
                new TensorSpec(STREAM, "BOOL", ShapeRule.SINGLE_ELEMENT),
                new TensorSpec(EXCLUDE_INPUT, "BOOL", ShapeRule.SINGLE_ELEMENT)),
            List.of(new TensorSpec(config.getString(InferenceConfig.JUDGE_OUTPUT_TENSOR), "BYTES", ShapeRule.ANY)));
        return new Judge(client, model, client.checkReady(signature));
    }

    public ModelRef model() {
        return model;
    }

    /**
     * Generates a completion of {@code prompt}. {@code samplingParameters} are vLLM's
     * (temperature, top_p, max_tokens, seed, ...), sent as JSON.
     */
    public CompletableFuture<String> generate(String prompt, Map<String, ?> samplingParameters) {
        try {
            client.ensureOpen(model.name());
        } catch (InferenceException closed) {
            return CompletableFuture.failedFuture(closed);
        }
        String parameters;
        try {
            parameters = JSON.writeValueAsString(samplingParameters);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(new InferenceException(model.name(), Status.Code.INVALID_ARGUMENT,
                "sampling parameters are not JSON-serialisable: " + e.getOriginalMessage(), e));
        }
        ModelInferRequest request = ModelInferRequest.newBuilder()
            .setModelName(model.name())
            .setModelVersion(model.version())
            .addInputs(input(inputTensor, "BYTES"))
            .addRawInputContents(BytesTensor.encodeStrings(List.of(prompt)))
            .addInputs(input(parametersTensor, "BYTES"))
            .addRawInputContents(BytesTensor.encodeStrings(List.of(parameters)))
            .addInputs(input(STREAM, "BOOL"))
            .addRawInputContents(ByteString.copyFrom(new byte[] {0}))
            .addInputs(input(EXCLUDE_INPUT, "BOOL"))
            .addRawInputContents(ByteString.copyFrom(new byte[] {1}))
            .build();
        return client.streamInfer(request, client.config().judgeTimeout(), this::text);
    }

    /** The input with the server's declared shape, every variable dimension set to 1. */
    private InferInputTensor input(String name, String datatype) {
        InferInputTensor.Builder tensor = InferInputTensor.newBuilder().setName(name).setDatatype(datatype);
        ModelSignature.shapeOf(metadata, name).forEach(d -> tensor.addShape(d < 0 ? 1 : d));
        return tensor.build();
    }

    /** Concatenates text_output over the responses (one with stream=false; an empty final one may follow). */
    private String text(List<ModelInferResponse> responses) {
        StringBuilder text = new StringBuilder();
        boolean found = false;
        for (ModelInferResponse response : responses) {
            if (response.getOutputsCount() == 0) {
                continue;
            }
            List<String> pieces = new OutputReader(response, model.name()).strings(outputTensor);
            if (pieces.isEmpty()) {
                throw new MalformedResponseException(model.name(), "output '" + outputTensor + "' holds no element");
            }
            pieces.forEach(text::append);
            found = true;
        }
        if (!found) {
            throw new MalformedResponseException(model.name(), "no response carried output '" + outputTensor + "'");
        }
        return text.toString();
    }
}
