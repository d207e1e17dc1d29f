package io.prefstream.inference.reference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import com.google.protobuf.ByteString;

import io.grpc.StatusException;
import io.prefstream.inference.proto.DataType;
import io.prefstream.inference.proto.InferTensorContents;
import io.prefstream.inference.proto.ModelConfig;
import io.prefstream.inference.proto.ModelDynamicBatching;
import io.prefstream.inference.proto.ModelInferRequest;
import io.prefstream.inference.proto.ModelInferRequest.InferInputTensor;
import io.prefstream.inference.proto.ModelInferResponse;
import io.prefstream.inference.proto.ModelInferResponse.InferOutputTensor;
import io.prefstream.inference.proto.ModelInput;
import io.prefstream.inference.proto.ModelInstanceGroup;
import io.prefstream.inference.proto.ModelMetadataResponse;
import io.prefstream.inference.proto.ModelMetadataResponse.TensorMetadata;
import io.prefstream.inference.proto.ModelOutput;
import io.prefstream.inference.proto.ModelTensorReshape;
import io.prefstream.inference.tensor.BytesTensor;

/**
 * A reference reward model with the same signature as the Triton deployment: input {@code text}
 * BYTES [-1] (one chat-template-rendered conversation per item; [-1, 1] is accepted too), output
 * {@code reward} FP32 [-1, 1]. A text that is not UTF-8 or contains U+0000 is rejected with
 * INVALID_ARGUMENT naming its index, like a tokenizer refusing it: that is the poisoned item tests
 * use to check that a client isolates it.
 */
final class RewardReferenceModel implements ReferenceModel {
    static final String INPUT = "text";
    static final String OUTPUT = "reward";

    private final String name;
    private final FeatureRewardModel scorer;

    RewardReferenceModel(String name, FeatureRewardModel scorer) {
        this.name = name;
        this.scorer = scorer;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ModelMetadataResponse metadata() {
        return ModelMetadataResponse.newBuilder().setName(name).addVersions(VERSION).setPlatform("prefstream_reference")
            .addInputs(TensorMetadata.newBuilder().setName(INPUT).setDatatype("BYTES").addShape(-1))
            .addOutputs(TensorMetadata.newBuilder().setName(OUTPUT).setDatatype("FP32").addShape(-1).addShape(1))
            .build();
    }

    @Override
    public ModelConfig config(ReferenceServerSettings settings) {
        return ModelConfig.newBuilder().setName(name).setBackend("prefstream_reference").setMaxBatchSize(settings.maxBatch())
            .addInput(ModelInput.newBuilder().setName(INPUT).setDataType(DataType.TYPE_STRING).addDims(1)
                .setReshape(ModelTensorReshape.newBuilder()))
            .addOutput(ModelOutput.newBuilder().setName(OUTPUT).setDataType(DataType.TYPE_FP32).addDims(1))
            .setDynamicBatching(ModelDynamicBatching.newBuilder())
            .addInstanceGroup(ModelInstanceGroup.newBuilder().setCount(settings.instances())
                .setKind(ModelInstanceGroup.Kind.KIND_CPU))
            .build();
    }

    @Override
    public boolean decoupled() {
        return false;
    }

    /** The client batches (Triton runs each client batch as one execution of this model). */
    @Override
    public boolean batchesConcurrentRequests() {
        return false;
    }

    @Override
    public int batchSize(ModelInferRequest request) throws StatusException {
        InferInputTensor input = new RequestInputs(request).required(INPUT, "BYTES");
        List<Long> shape = input.getShapeList();
        if (shape.isEmpty() || shape.size() > 2 || (shape.size() == 2 && shape.get(1) != 1)) {
            throw RequestInputs.invalid("input '" + INPUT + "' of model '" + name + "' must have shape [N] or [N,1], got "
                + shape);
        }
        return (int) RequestInputs.elements(input);
    }

    @Override
    public ModelInferResponse execute(ModelInferRequest request, boolean typedOutputs, long seed) throws StatusException {
        RequestInputs inputs = new RequestInputs(request);
        List<ByteString> texts = inputs.bytes(inputs.required(INPUT, "BYTES"));
        float[] rewards = new float[texts.size()];
        for (int i = 0; i < rewards.length; i++) {
            String text;
            try {
                text = BytesTensor.utf8(texts.get(i));
            } catch (IllegalArgumentException e) {
                throw RequestInputs.invalid("text element " + i + " is not valid UTF-8");
            }
            if (text.indexOf('\0') >= 0) {
                throw RequestInputs.invalid("text element " + i + " contains U+0000, which the tokenizer rejects");
            }
            rewards[i] = scorer.score(text);
        }
        InferOutputTensor.Builder output = InferOutputTensor.newBuilder().setName(OUTPUT).setDatatype("FP32")
            .addShape(rewards.length).addShape(1);
        ModelInferResponse.Builder response = ModelInferResponse.newBuilder().setModelName(name).setModelVersion(VERSION)
            .setId(request.getId());
        if (typedOutputs) {
            InferTensorContents.Builder contents = InferTensorContents.newBuilder();
            for (float r : rewards) {
                contents.addFp32Contents(r);
            }
            return response.addOutputs(output.setContents(contents)).build();
        }
        ByteBuffer raw = ByteBuffer.allocate(4 * rewards.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float r : rewards) {
            raw.putFloat(r);
        }
        return response.addOutputs(output).addRawOutputContents(ByteString.copyFrom(raw.flip())).build();
    }
}
