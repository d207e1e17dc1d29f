package io.prefstream.inference.client;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.prefstream.inference.proto.InferParameter;
import io.prefstream.inference.proto.ModelInferRequest;
import io.prefstream.inference.proto.ModelInferResponse;
import io.prefstream.inference.proto.ModelMetadataRequest;
import io.prefstream.inference.proto.ModelMetadataResponse;
import io.prefstream.inference.proto.ModelReadyRequest;
import io.prefstream.inference.proto.ModelStatistics;
import io.prefstream.inference.proto.ModelStatisticsRequest;
import io.prefstream.inference.proto.ModelStreamInferResponse;

/**
 * Asynchronous KServe v2 gRPC client for one or more equivalent inference servers (Triton replicas
 * or the reference server). Every call returns a future and goes through the same path: wait for
 * an in-flight slot on the least-loaded endpoint whose circuit breaker allows it, call with a
 * deadline, decode and validate the response, and on UNAVAILABLE / DEADLINE_EXCEEDED /
 * RESOURCE_EXHAUSTED retry with jittered exponential backoff (possibly on another endpoint).
 *
 * <p>Batching lives in {@link MicroBatcher}s created by {@link #batcher}; the typed facades
 * ({@code RewardModel}, {@code Judge}) build on both. {@link #close()} stops new work, flushes the
 * batchers, waits for everything in flight, then shuts the channels and threads down.
 */
public final class InferenceClient implements AutoCloseable {
    /** Request parameter asking Triton to flag the last response of a decoupled model. */
    public static final String ENABLE_FINAL_RESPONSE = "triton_enable_empty_final_response";
    /** Response parameter Triton sets on the last response of a request to a decoupled model. */
    public static final String FINAL_RESPONSE = "triton_final_response";

    private static final Logger log = LoggerFactory.getLogger(InferenceClient.class);
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

    private enum State { OPEN, DRAINING, CLOSED }

    /** Failures of the start-up readiness check that mean "not reachable yet", not "wrong model". */
    private static final Set<Status.Code> READY_RETRYABLE = EnumSet.of(Status.Code.UNAVAILABLE,
        Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.CANCELLED);

    private final InferenceConfig config;
    private final EndpointPool pool;
    private final RetryPolicy retryPolicy;
    private final InferenceMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService callbacks;
    private final Duration requestTimeout;
    private final List<MicroBatcher<?, ?>> batchers = new ArrayList<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final Object drained = new Object();
    private volatile State state = State.OPEN;

    public InferenceClient(InferenceConfig config, MeterRegistry registry) {
        this.config = config;
        int id = CLIENT_IDS.incrementAndGet();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threads("prefstream-inference-" + id + "-timer"));
        this.callbacks = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
            threads("prefstream-inference-" + id + "-callback"));
        this.requestTimeout = config.requestTimeout();
        this.retryPolicy = new RetryPolicy(config.getInt(InferenceConfig.RETRIES),
            config.getLong(InferenceConfig.RETRY_BACKOFF_MS), config.getLong(InferenceConfig.RETRY_BACKOFF_MAX_MS));
        ChannelCredentials credentials = credentials(config);
        ClientInterceptor headers = MetadataUtils.newAttachHeadersInterceptor(metadata(config.headers()));
        long openNanos = TimeUnit.MILLISECONDS.toNanos(config.getLong(InferenceConfig.CIRCUIT_OPEN_MS));
        int threshold = config.getInt(InferenceConfig.CIRCUIT_FAILURE_THRESHOLD);
        List<Endpoint> endpoints = new ArrayList<>();
        for (String address : config.endpoints()) {
            // gRPC's own retry layer is off: this client retries itself (RetryPolicy, with backoff, jitter
            // and the circuit breaker), and the layer buffers every message sent just in case, a cost
            // paid on each of the judge's one-prompt streams.
            ManagedChannel channel = Grpc.newChannelBuilder(address, credentials)
                .disableRetry()
                .executor(callbacks)
                .intercept(headers)
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build();
            endpoints.add(new Endpoint(address, channel, new CircuitBreaker(threshold, openNanos)));
        }
        this.pool = new EndpointPool(endpoints, config.getInt(InferenceConfig.MAX_IN_FLIGHT), System::nanoTime);
        this.metrics = new InferenceMetrics(registry, pool, endpoints);
    }

    public InferenceConfig config() {
        return config;
    }

    /**
     * One ModelInfer call carrying {@code items} batch items (for metrics), decoded by {@code decode},
     * which may throw {@link MalformedResponseException}.
     */
    public <T> CompletableFuture<T> infer(ModelInferRequest request, int items,
                                          Function<ModelInferResponse, T> decode) {
        return call(request.getModelName(), items, endpoint -> unary(endpoint, request).thenApply(decode));
    }

    /**
     * Sends one request on its own ModelStreamInfer stream (the only way to reach a decoupled model
     * such as Triton's vLLM backend) and collects its responses until the one flagged final, the end
     * of the stream, or an error message in the stream.
     */
    public <T> CompletableFuture<T> streamInfer(ModelInferRequest request, Duration timeout,
                                                Function<List<ModelInferResponse>, T> decode) {
        ModelInferRequest flagged = request.toBuilder()
            .putParameters(ENABLE_FINAL_RESPONSE, InferParameter.newBuilder().setBoolParam(true).build())
            .build();
        return call(request.getModelName(), 1, endpoint -> stream(endpoint, flagged, timeout).thenApply(decode));
    }

    /**
     * A batcher whose batches run {@code execute}; it is flushed on {@link #close()}. {@code execute}
     * must complete with one output per input, in order.
     */
    public <I, O> MicroBatcher<I, O> batcher(String model, Function<List<I>, CompletableFuture<List<O>>> execute) {
        MicroBatcher<I, O> batcher = new MicroBatcher<>(model, config.getInt(InferenceConfig.BATCH_MAX_SIZE),
            Duration.ofMillis(config.getLong(InferenceConfig.BATCH_LINGER_MS)), scheduler, execute, this::ensureOpen);
        synchronized (batchers) {
            batchers.add(batcher);
        }
        return batcher;
    }

    /**
     * Readiness check, blocking: on every endpoint, ModelReady, then ModelMetadata checked against
     * {@code signature}. Returns the metadata of the first endpoint.
     *
     * @throws ModelMismatchException when the model is missing, not ready or has another signature
     * @throws InferenceException when an endpoint still cannot be reached after {@link InferenceConfig#READY_TIMEOUT_MS}
     */
    public ModelMetadataResponse checkReady(ModelSignature signature) {
        ModelMetadataResponse first = null;
        for (Endpoint endpoint : pool.endpoints()) {
            ModelMetadataResponse metadata = checkReadyRetrying(signature, endpoint);
            if (first == null) {
                first = metadata;
            }
        }
        return first;
    }

    /**
     * A stage starting beside its inference server (the same deployment, a node restart) often finds it
     * not yet reachable: transient failures are retried with the retry backoff until
     * {@link InferenceConfig#READY_TIMEOUT_MS}, rather than ending the stage.
     */
    private ModelMetadataResponse checkReadyRetrying(ModelSignature signature, Endpoint endpoint) {
        long deadline = System.nanoTime() + config.readyTimeout().toNanos();
        for (int attempt = 0; ; attempt++) {
            try {
                return checkReadyOnce(signature, endpoint);
            } catch (InferenceException e) {
                long delay = retryPolicy.delayMillis(attempt);
                if (!READY_RETRYABLE.contains(e.code())
                    || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) > deadline) {
                    throw e;
                }
                log.warn("{}; trying again in {} ms", e.getMessage(), delay);
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private ModelMetadataResponse checkReadyOnce(ModelSignature signature, Endpoint endpoint) {
        ModelRef model = signature.model();
        try {
            boolean ready = endpoint.blocking.withDeadlineAfter(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .modelReady(ModelReadyRequest.newBuilder().setName(model.name()).setVersion(model.version()).build())
                .getReady();
            if (!ready) {
                throw new ModelMismatchException(model.name(), "model " + model + " is not ready on " + endpoint
                    + " (not loaded, still loading, or unknown to the server)");
            }
            ModelMetadataResponse metadata = endpoint.blocking
                .withDeadlineAfter(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .modelMetadata(ModelMetadataRequest.newBuilder().setName(model.name()).setVersion(model.version()).build());
            signature.check(metadata);
            return metadata;
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.NOT_FOUND) {
                throw new ModelMismatchException(model.name(), "model " + model + " not found on " + endpoint
                    + ": " + e.getStatus().getDescription());
            }
            throw new InferenceException(model.name(), code, "readiness check of model " + model + " on " + endpoint
                + " failed: " + describe(e.getStatus()), e);
        }
    }

    /** The server's cumulative counters for {@code model}, one entry per endpoint (blocking). */
    public List<ModelStatistics> statistics(String model) {
        List<ModelStatistics> all = new ArrayList<>();
        for (Endpoint endpoint : pool.endpoints()) {
            all.addAll(endpoint.blocking.withDeadlineAfter(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .modelStatistics(ModelStatisticsRequest.newBuilder().setName(model).build()).getModelStatsList());
        }
        return all;
    }

    /** Rejects new work once {@link #close()} has begun. */
    public void ensureOpen(String model) {
        if (state != State.OPEN) {
            throw new InferenceException(model, Status.Code.CANCELLED, "inference client is closed");
        }
    }

    private <T> CompletableFuture<T> call(String model, int items, Function<Endpoint, CompletableFuture<T>> attempt) {
        if (state == State.CLOSED) {
            return CompletableFuture.failedFuture(
                new InferenceException(model, Status.Code.CANCELLED, "inference client is closed"));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        outstanding.incrementAndGet();
        long start = System.nanoTime();
        result.whenComplete((value, error) -> {
            if (error == null) {
                metrics.success(model, items, System.nanoTime() - start);
            } else {
                metrics.failure(model);
            }
            if (outstanding.decrementAndGet() == 0) {
                synchronized (drained) {
                    drained.notifyAll();
                }
            }
        });
        attempt(model, attempt, 0, result);
        return result;
    }

    private <T> void attempt(String model, Function<Endpoint, CompletableFuture<T>> call, int retries,
                             CompletableFuture<T> result) {
        pool.acquire(model).whenComplete((endpoint, unavailable) -> {
            if (unavailable != null) {
                retryOrFail(model, call, retries, result, unwrap(unavailable), null);
                return;
            }
            CompletableFuture<T> attempt;
            try {
                attempt = call.apply(endpoint);
            } catch (RuntimeException e) {
                attempt = CompletableFuture.failedFuture(e);
            }
            attempt.whenComplete((value, error) -> {
                Throwable cause = error == null ? null : unwrap(error);
                pool.release(endpoint, cause == null || !isEndpointFault(cause));
                if (cause == null) {
                    result.complete(value);
                } else {
                    retryOrFail(model, call, retries, result, cause, endpoint);
                }
            });
        });
    }

    private <T> void retryOrFail(String model, Function<Endpoint, CompletableFuture<T>> call, int retries,
                                 CompletableFuture<T> result, Throwable cause, Endpoint endpoint) {
        Status.Code code = codeOf(cause);
        metrics.attemptFailed(model, code);
        if (state != State.CLOSED && retryPolicy.retries(code, retries)) {
            metrics.retried(model);
            try {
                scheduler.schedule(() -> attempt(model, call, retries + 1, result),
                    retryPolicy.delayMillis(retries), TimeUnit.MILLISECONDS);
                return;
            } catch (RejectedExecutionException closing) {
                // fall through: the client is shutting down, report the last failure
            }
        }
        result.completeExceptionally(finalError(model, cause, endpoint, retries + 1));
    }

    private static Throwable finalError(String model, Throwable cause, Endpoint endpoint, int attempts) {
        if (cause instanceof StatusRuntimeException e) {
            return new InferenceException(model, e.getStatus().getCode(), "model '" + model + "' on " + endpoint + ": "
                + describe(e.getStatus()) + " (" + attempts + (attempts == 1 ? " attempt)" : " attempts)"), e);
        }
        if (cause instanceof InferenceException) {
            return cause;
        }
        return new InferenceException(model, Status.Code.UNKNOWN, "model '" + model + "' on " + endpoint + ": " + cause,
            cause);
    }

    private CompletableFuture<ModelInferResponse> unary(Endpoint endpoint, ModelInferRequest request) {
        CompletableFuture<ModelInferResponse> future = new CompletableFuture<>();
        endpoint.async.withDeadlineAfter(requestTimeout.toNanos(), TimeUnit.NANOSECONDS)
            .modelInfer(request, new StreamObserver<>() {
                @Override
                public void onNext(ModelInferResponse response) {
                    future.complete(response);
                }

                @Override
                public void onError(Throwable t) {
                    future.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                    future.completeExceptionally(new MalformedResponseException(request.getModelName(),
                        "ModelInfer completed without a response"));
                }
            });
        return future;
    }

    private CompletableFuture<List<ModelInferResponse>> stream(Endpoint endpoint, ModelInferRequest request,
                                                               Duration timeout) {
        CompletableFuture<List<ModelInferResponse>> future = new CompletableFuture<>();
        String model = request.getModelName();
        StreamObserver<ModelInferRequest> requests = endpoint.async
            .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
            .modelStreamInfer(new ClientResponseObserver<ModelInferRequest, ModelStreamInferResponse>() {
                private final List<ModelInferResponse> responses = new ArrayList<>();
                private ClientCallStreamObserver<ModelInferRequest> call;

                @Override
                public void beforeStart(ClientCallStreamObserver<ModelInferRequest> requestStream) {
                    call = requestStream;
                }

                @Override
                public void onNext(ModelStreamInferResponse response) {
                    if (!response.getErrorMessage().isEmpty()) {
                        future.completeExceptionally(new InferenceException(model, Status.Code.INTERNAL,
                            "model '" + model + "' on " + endpoint + " reported in the stream: " + response.getErrorMessage()));
                        call.cancel("error reported in stream", null);
                        return;
                    }
                    ModelInferResponse inferResponse = response.getInferResponse();
                    responses.add(inferResponse);
                    InferParameter last = inferResponse.getParametersMap().get(FINAL_RESPONSE);
                    if (last != null && last.getBoolParam()) {
                        future.complete(List.copyOf(responses));
                    }
                }

                @Override
                public void onError(Throwable t) {
                    future.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                    if (responses.isEmpty()) {
                        future.completeExceptionally(new MalformedResponseException(model,
                            "ModelStreamInfer ended without a response"));
                    } else {
                        future.complete(List.copyOf(responses));
                    }
                }
            });
        requests.onNext(request);
        requests.onCompleted();
        return future;
    }

    /** Failures that say the endpoint, not the request, is at fault; they count towards its breaker. */
    private static boolean isEndpointFault(Throwable cause) {
        return cause instanceof MalformedResponseException || RetryPolicy.RETRYABLE.contains(codeOf(cause));
    }

    static Status.Code codeOf(Throwable cause) {
        if (cause instanceof StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        if (cause instanceof InferenceException e) {
            return e.code();
        }
        return Status.fromThrowable(cause).getCode();
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String describe(Status status) {
        return status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    }

    /**
     * Graceful shutdown: new work is refused, batchers are flushed, and in-flight calls (including
     * their retries) may finish within {@code inference.close.timeout.ms}; whatever is left is then
     * cancelled. Channels and threads are released in every case.
     */
    @Override
    public void close() {
        if (state != State.OPEN) {
            return;
        }
        state = State.DRAINING;
        synchronized (batchers) {
            batchers.forEach(MicroBatcher::flush);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.getLong(InferenceConfig.CLOSE_TIMEOUT_MS));
        synchronized (drained) {
            while (outstanding.get() > 0 && System.nanoTime() < deadline) {
                try {
                    drained.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (outstanding.get() > 0) {
            log.warn("closing inference client with {} calls still outstanding; cancelling them", outstanding.get());
        }
        state = State.CLOSED;
        List<Runnable> pendingRetries = scheduler.shutdownNow();
        pool.abandonWaiters();
        for (Endpoint endpoint : pool.endpoints()) {
            endpoint.channel.shutdownNow();
        }
        // Retries still waiting for their backoff now run against closed channels and fail at once,
        // so every future the client handed out completes.
        pendingRetries.forEach(Runnable::run);
        try {
            for (Endpoint endpoint : pool.endpoints()) {
                endpoint.channel.awaitTermination(5, TimeUnit.SECONDS);
            }
            callbacks.shutdown();
            callbacks.awaitTermination(5, TimeUnit.SECONDS);
            // shutdownNow() above only asked the timer thread to stop; isTerminated() must see it gone.
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once every channel has terminated (after {@link #close()}). */
    public boolean isTerminated() {
        return pool.endpoints().stream().allMatch(e -> e.channel.isTerminated()) && callbacks.isTerminated()
            && scheduler.isTerminated();
    }

    private static ChannelCredentials credentials(InferenceConfig config) {
        if (!config.getBoolean(InferenceConfig.TLS_ENABLED)) {
            return InsecureChannelCredentials.create();
        }
        try {
            TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
            String trust = config.getString(InferenceConfig.TLS_TRUST_CERTIFICATES);
            if (!trust.isEmpty()) {
                tls.trustManager(new File(trust));
            }
            String cert = config.getString(InferenceConfig.TLS_CLIENT_CERTIFICATE);
            String key = config.getString(InferenceConfig.TLS_CLIENT_KEY);
            if (cert.isEmpty() != key.isEmpty()) {
                throw new ConfigException(InferenceConfig.TLS_CLIENT_KEY, key,
                    "mutual TLS needs both " + InferenceConfig.TLS_CLIENT_CERTIFICATE + " and " + InferenceConfig.TLS_CLIENT_KEY);
            }
            if (!cert.isEmpty()) {
                tls.keyManager(new File(cert), new File(key));
            }
            return tls.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read TLS material for the inference client", e);
        }
    }

    private static Metadata metadata(Map<String, String> headers) {
        Metadata metadata = new Metadata();
        headers.forEach((name, value) -> metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value));
        return metadata;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
