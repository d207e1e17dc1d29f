package io.prefstream.inference.reference;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.prefstream.inference.client.InferenceClient;
import io.prefstream.inference.proto.GRPCInferenceServiceGrpc;
import io.prefstream.inference.proto.InferParameter;
import io.prefstream.inference.proto.ModelConfigRequest;
import io.prefstream.inference.proto.ModelConfigResponse;
import io.prefstream.inference.proto.ModelInferRequest;
import io.prefstream.inference.proto.ModelInferResponse;
import io.prefstream.inference.proto.ModelMetadataRequest;
import io.prefstream.inference.proto.ModelMetadataResponse;
import io.prefstream.inference.proto.ModelReadyRequest;
import io.prefstream.inference.proto.ModelReadyResponse;
import io.prefstream.inference.proto.ModelStatisticsRequest;
import io.prefstream.inference.proto.ModelStatisticsResponse;
import io.prefstream.inference.proto.ModelStreamInferResponse;
import io.prefstream.inference.proto.ServerLiveRequest;
import io.prefstream.inference.proto.ServerLiveResponse;
import io.prefstream.inference.proto.ServerMetadataRequest;
import io.prefstream.inference.proto.ServerMetadataResponse;
import io.prefstream.inference.proto.ServerReadyRequest;
import io.prefstream.inference.proto.ServerReadyResponse;

/** The RPC handlers of the reference server; errors use the status codes and wording Triton uses. */
final class ReferenceInferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    private final Map<String, HostedModel> models;
    private final ReferenceServerSettings settings;

    private final java.util.concurrent.Executor replies;

    ReferenceInferenceService(Map<String, HostedModel> models, ReferenceServerSettings settings,
                              java.util.concurrent.Executor replies) {
        this.models = models;
        this.settings = settings;
        this.replies = replies;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        reply(out, ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        reply(out, ServerReadyResponse.newBuilder().setReady(true).build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
        reply(out, ServerMetadataResponse.newBuilder().setName("prefstream-reference").setVersion("1")
            .addExtensions("statistics").addExtensions("model_configuration").build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        boolean ready = models.containsKey(request.getName()) && versionKnown(request.getVersion());
        reply(out, ModelReadyResponse.newBuilder().setReady(ready).build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        HostedModel model = find(request.getName(), request.getVersion(), out);
        if (model != null) {
            reply(out, model.model.metadata());
        }
    }

    @Override
    public void modelConfig(ModelConfigRequest request, StreamObserver<ModelConfigResponse> out) {
        HostedModel model = find(request.getName(), request.getVersion(), out);
        if (model != null) {
            reply(out, ModelConfigResponse.newBuilder().setConfig(model.model.config(settings)).build());
        }
    }

    @Override
    public void modelStatistics(ModelStatisticsRequest request, StreamObserver<ModelStatisticsResponse> out) {
        ModelStatisticsResponse.Builder response = ModelStatisticsResponse.newBuilder();
        if (request.getName().isEmpty()) {
            models.values().forEach(m -> response.addModelStats(m.statistics()));
        } else {
            HostedModel model = find(request.getName(), request.getVersion(), out);
            if (model == null) {
                return;
            }
            response.addModelStats(model.statistics());
        }
        reply(out, response.build());
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        HostedModel model = find(request.getModelName(), request.getModelVersion(), out);
        if (model == null) {
            return;
        }
        if (model.model.decoupled()) {
            out.onError(Status.UNIMPLEMENTED.withDescription("ModelInfer RPC doesn't support models with decoupled "
                + "transaction policy; use ModelStreamInfer for '" + request.getModelName() + "'").asRuntimeException());
            return;
        }
        // Reply off the instance thread, so sending never holds an execution slot.
        model.infer(request).whenCompleteAsync((response, error) -> {
            if (error != null) {
                out.onError(Status.fromThrowable(error).asRuntimeException());
            } else {
                reply(out, response);
            }
        }, replies);
    }

    /**
     * Every request on the stream is executed independently; each response or error is sent as it
     * completes, and the stream ends once the client has half-closed and nothing is pending.
     */
    @Override
    public StreamObserver<ModelInferRequest> modelStreamInfer(StreamObserver<ModelStreamInferResponse> out) {
        ServerCallStreamObserver<ModelStreamInferResponse> responses = (ServerCallStreamObserver<ModelStreamInferResponse>) out;
        AtomicInteger pending = new AtomicInteger(1); // 1 = the client's half of the stream
        AtomicBoolean ended = new AtomicBoolean();
        Runnable finishOne = () -> {
            if (pending.decrementAndGet() == 0 && ended.compareAndSet(false, true)) {
                synchronized (responses) {
                    responses.onCompleted();
                }
            }
        };
        return new StreamObserver<>() {
            @Override
            public void onNext(ModelInferRequest request) {
                pending.incrementAndGet();
                HostedModel model = models.get(request.getModelName());
                if (model == null || !versionKnown(request.getModelVersion())) {
                    send(ModelStreamInferResponse.newBuilder().setErrorMessage(unknown(request.getModelName())).build());
                    finishOne.run();
                    return;
                }
                InferParameter enable = request.getParametersMap().get(InferenceClient.ENABLE_FINAL_RESPONSE);
                boolean flagFinal = enable != null && enable.getBoolParam();
                model.infer(request).whenCompleteAsync((response, error) -> {
                    if (error != null) {
                        Status status = Status.fromThrowable(error);
                        send(ModelStreamInferResponse.newBuilder().setErrorMessage(
                            status.getDescription() == null ? status.getCode().name() : status.getDescription()).build());
                    } else {
                        ModelInferResponse body = flagFinal ? response.toBuilder().putParameters(InferenceClient.FINAL_RESPONSE,
                            InferParameter.newBuilder().setBoolParam(true).build()).build() : response;
                        send(ModelStreamInferResponse.newBuilder().setInferResponse(body).build());
                    }
                    finishOne.run();
                }, replies);
            }

            @Override
            public void onError(Throwable t) {
                ended.set(true);
            }

            @Override
            public void onCompleted() {
                finishOne.run();
            }

            private void send(ModelStreamInferResponse response) {
                synchronized (responses) {
                    if (!ended.get() && !responses.isCancelled()) {
                        responses.onNext(response);
                    }
                }
            }
        };
    }

    private HostedModel find(String name, String version, StreamObserver<?> out) {
        HostedModel model = models.get(name);
        if (model == null || !versionKnown(version)) {
            out.onError(Status.NOT_FOUND.withDescription(unknown(name)
                + (version.isEmpty() ? "" : " (version " + version + ")")).asRuntimeException());
            return null;
        }
        return model;
    }

    private static boolean versionKnown(String version) {
        return version.isEmpty() || version.equals(ReferenceModel.VERSION);
    }

    private static String unknown(String name) {
        return "Request for unknown model: '" + name + "' is not found";
    }

    private static <T> void reply(StreamObserver<T> out, T response) {
        out.onNext(response);
        out.onCompleted();
    }
}
