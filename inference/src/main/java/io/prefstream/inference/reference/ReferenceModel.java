package io.prefstream.inference.reference;

import io.grpc.StatusException;
import io.prefstream.inference.proto.ModelConfig;
import io.prefstream.inference.proto.ModelInferRequest;
import io.prefstream.inference.proto.ModelInferResponse;
import io.prefstream.inference.proto.ModelMetadataResponse;

/** A model the reference server hosts. */
interface ReferenceModel {
    String VERSION = "1";

    String name();

    ModelMetadataResponse metadata();

    ModelConfig config(ReferenceServerSettings settings);

    /** Decoupled models are reachable through ModelStreamInfer only, as in Triton. */
    boolean decoupled();

    /**
     * Whether concurrent requests share executions (continuous batching, as vLLM does), up to max
     * batch items; otherwise each request is one execution with the batch its client formed.
     */
    boolean batchesConcurrentRequests();

    /** Validates the request and returns its batch size. */
    int batchSize(ModelInferRequest request) throws StatusException;

    /** Runs the model (the simulated latency is the server's business). */
    ModelInferResponse execute(ModelInferRequest request, boolean typedOutputs, long seed) throws StatusException;
}
