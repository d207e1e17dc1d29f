package io.prefstream.inference.reference;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;

import io.grpc.StatusException;
import io.prefstream.inference.proto.DataType;
import io.prefstream.inference.proto.InferTensorContents;
import io.prefstream.inference.proto.ModelConfig;
import io.prefstream.inference.proto.ModelInferRequest;
import io.prefstream.inference.proto.ModelInferRequest.InferInputTensor;
import io.prefstream.inference.proto.ModelInferResponse;
import io.prefstream.inference.proto.ModelInferResponse.InferOutputTensor;
import io.prefstream.inference.proto.ModelInput;
import io.prefstream.inference.proto.ModelInstanceGroup;
import io.prefstream.inference.proto.ModelMetadataResponse;
import io.prefstream.inference.proto.ModelMetadataResponse.TensorMetadata;
import io.prefstream.inference.proto.ModelOutput;
import io.prefstream.inference.proto.ModelTransactionPolicy;
import io.prefstream.inference.tensor.BytesTensor;

/**
 * The reference judge behind Triton's vLLM-backend signature: decoupled, inputs {@code text_input}
 * BYTES [1], {@code sampling_parameters} BYTES [1] (JSON; {@code temperature} and {@code seed} are
 * used), {@code stream} BOOL [1], {@code exclude_input_in_output} BOOL [1]; output
 * {@code text_output} BYTES [-1]. Like vLLM, it prepends the prompt unless
 * {@code exclude_input_in_output} is true.
 */
final class JudgeReferenceModel implements ReferenceModel {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String name;
    private final ReferenceJudge judge = new ReferenceJudge();

    JudgeReferenceModel(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ModelMetadataResponse metadata() {
        return ModelMetadataResponse.newBuilder().setName(name).addVersions(VERSION).setPlatform("prefstream_reference")
            .addInputs(tensor("text_input", "BYTES", 1))
            .addInputs(tensor("stream", "BOOL", 1))
            .addInputs(tensor("sampling_parameters", "BYTES", 1))
            .addInputs(tensor("exclude_input_in_output", "BOOL", 1))
            .addOutputs(tensor("text_output", "BYTES", -1))
            .build();
    }

    private static TensorMetadata tensor(String name, String datatype, long dim) {
        return TensorMetadata.newBuilder().setName(name).setDatatype(datatype).addShape(dim).build();
    }

    @Override
    public ModelConfig config(ReferenceServerSettings settings) {
        return ModelConfig.newBuilder().setName(name).setBackend("prefstream_reference").setMaxBatchSize(0)
            .addInput(ModelInput.newBuilder().setName("text_input").setDataType(DataType.TYPE_STRING).addDims(1))
            .addInput(ModelInput.newBuilder().setName("stream").setDataType(DataType.TYPE_BOOL).addDims(1).setOptional(true))
            .addInput(ModelInput.newBuilder().setName("sampling_parameters").setDataType(DataType.TYPE_STRING).addDims(1)
                .setOptional(true))
            .addInput(ModelInput.newBuilder().setName("exclude_input_in_output").setDataType(DataType.TYPE_BOOL).addDims(1)
                .setOptional(true))
            .addOutput(ModelOutput.newBuilder().setName("text_output").setDataType(DataType.TYPE_STRING).addDims(-1))
            .addInstanceGroup(ModelInstanceGroup.newBuilder().setCount(settings.instances()).setKind(ModelInstanceGroup.Kind.KIND_CPU))
            .setModelTransactionPolicy(ModelTransactionPolicy.newBuilder().setDecoupled(true))
            .build();
    }

    @Override
    public boolean decoupled() {
        return true;
    }

    /** Each request is one prompt; like vLLM, the server runs concurrent prompts together. */
    @Override
    public boolean batchesConcurrentRequests() {
        return true;
    }

    @Override
    public int batchSize(ModelInferRequest request) throws StatusException {
        RequestInputs inputs = new RequestInputs(request);
        if (RequestInputs.elements(inputs.required("text_input", "BYTES")) != 1) {
            throw RequestInputs.invalid("input 'text_input' of model '" + name + "' must hold exactly one prompt");
        }
        return 1;
    }

    @Override
    public ModelInferResponse execute(ModelInferRequest request, boolean typedOutputs, long seed) throws StatusException {
        RequestInputs inputs = new RequestInputs(request);
        String prompt = text(inputs, inputs.required("text_input", "BYTES"));
        double temperature = 0;
        long sampleSeed = seed;
        InferInputTensor parametersTensor = inputs.tensor("sampling_parameters", "BYTES");
        if (parametersTensor != null) {
            String parameters = text(inputs, parametersTensor);
            try {
                JsonNode json = JSON.readTree(parameters);
                if (json == null || !json.isObject()) {
                    throw RequestInputs.invalid("sampling_parameters must be a JSON object");
                }
                temperature = json.path("temperature").asDouble(0);
                sampleSeed = json.path("seed").asLong(seed);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw RequestInputs.invalid("sampling_parameters is not valid JSON: " + e.getOriginalMessage());
            }
        }
        boolean excludeInput = inputs.bool("exclude_input_in_output", false);
        String answer = judge.answer(prompt, temperature, sampleSeed);
        String text = excludeInput ? answer : prompt + answer;
        InferOutputTensor.Builder output = InferOutputTensor.newBuilder().setName("text_output").setDatatype("BYTES").addShape(1);
        ModelInferResponse.Builder response = ModelInferResponse.newBuilder().setModelName(name).setModelVersion(VERSION)
            .setId(request.getId());
        if (typedOutputs) {
            return response.addOutputs(output.setContents(InferTensorContents.newBuilder().addBytesContents(ByteString.copyFromUtf8(text))))
                .build();
        }
        return response.addOutputs(output).addRawOutputContents(BytesTensor.encodeStrings(List.of(text))).build();
    }

    private static String text(RequestInputs inputs, InferInputTensor tensor)
        throws StatusException {
        List<ByteString> elements = inputs.bytes(tensor);
        if (elements.size() != 1) {
            throw RequestInputs.invalid("input '" + tensor.getName() + "' must hold exactly one element");
        }
        try {
            return BytesTensor.utf8(elements.get(0));
        } catch (IllegalArgumentException e) {
            throw RequestInputs.invalid("input '" + tensor.getName() + "' is not valid UTF-8");
        }
    }
}
