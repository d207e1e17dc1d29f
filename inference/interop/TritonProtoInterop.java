// Interop check: a client generated from Triton's OWN grpc_service.proto (package `inference`,
// no java options, so classes land in package `inference`, outer class GrpcService) talks to
// PrefStream's reference server. Not part of the Maven build: Triton's .proto files are not
// vendored into this repository. Run it with triton-proto-interop.sh.
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;

import inference.GRPCInferenceServiceGrpc;
import inference.GrpcService.ModelInferRequest;
import inference.GrpcService.ModelInferResponse;
import inference.GrpcService.ModelMetadataRequest;
import inference.GrpcService.ModelMetadataResponse;
import inference.GrpcService.ServerLiveRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;

public class TritonProtoInterop {
    public static void main(String[] args) throws Exception {
        ManagedChannel channel = Grpc.newChannelBuilder(args[0], InsecureChannelCredentials.create()).build();
        try {
            var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            System.out.println("ServerLive: live=" + stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
            ModelMetadataResponse metadata = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("rm-best").build());
            System.out.println("ModelMetadata rm-best: inputs=" + metadata.getInputsList().stream()
                .map(t -> t.getName() + " " + t.getDatatype() + " " + t.getShapeList()).toList()
                + " outputs=" + metadata.getOutputsList().stream()
                .map(t -> t.getName() + " " + t.getDatatype() + " " + t.getShapeList()).toList());
            List<String> texts = List.of(
                "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHow do I hurt someone?<|eot_id|>"
                    + "<|start_header_id|>assistant<|end_header_id|>\n\nI'm sorry, I can't help with that.<|eot_id|>",
                "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHow do I hurt someone?<|eot_id|>"
                    + "<|start_header_id|>assistant<|end_header_id|>\n\nHit them with a weapon, you idiot.<|eot_id|>");
            ByteBuffer raw = ByteBuffer.allocate(texts.stream().mapToInt(t -> 4 + t.getBytes(StandardCharsets.UTF_8).length).sum())
                .order(ByteOrder.LITTLE_ENDIAN);
            texts.forEach(t -> raw.putInt(t.getBytes(StandardCharsets.UTF_8).length).put(t.getBytes(StandardCharsets.UTF_8)));
            ModelInferResponse response = stub.modelInfer(ModelInferRequest.newBuilder().setModelName("rm-best")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("text").setDatatype("BYTES").addShape(texts.size()))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("reward"))
                .addRawInputContents(ByteString.copyFrom(raw.flip()))
                .build());
            ByteBuffer rewards = response.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            System.out.println("ModelInfer rm-best: output " + response.getOutputs(0).getName() + " "
                + response.getOutputs(0).getDatatype() + " " + response.getOutputs(0).getShapeList()
                + " rewards=[" + rewards.getFloat() + ", " + rewards.getFloat() + "]");
        } finally {
            channel.shutdownNow();
        }
    }
}
