package io.prefstream.inference.reference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.Server;

/**
 * A CPU-only inference server speaking the KServe v2 gRPC protocol (Triton's), over a real socket:
 * the embedded default, the test double and the benchmark target. It hosts
 * <ul>
 *   <li>{@code rm-best} and {@code rm-gold}: two different deterministic feature-based reward models</li>
 *   <li>{@code judge}: a deterministic judge behind the vLLM backend's decoupled signature, batching
 *       concurrent requests as vLLM does (see {@link HostedModel})</li>
 * </ul>
 * with switches for simulated latency, max batch, instances, and injected errors and malformed
 * responses. Per-model counters are served by the ModelStatistics RPC as Triton does:
 * {@code inference_count} = items, {@code execution_count} = batches,
 * {@code inference_stats.success/fail.count} = requests.
 */
public final class ReferenceInferenceServer implements AutoCloseable {
    public static final String RM_BEST = "rm-best";
    public static final String RM_GOLD = "rm-gold";
    public static final String JUDGE = "judge";

    private final Server server;
    private final Map<String, HostedModel> models;
    private final ExecutorService replies;
    private final String host;

    private ReferenceInferenceServer(Server server, Map<String, HostedModel> models, ExecutorService replies, String host) {
        this.server = server;
        this.models = models;
        this.replies = replies;
        this.host = host;
    }

    public static ReferenceInferenceServer start(ReferenceServerSettings settings) {
        FaultInjector faults = new FaultInjector(settings);
        Map<String, HostedModel> models = new LinkedHashMap<>();
        for (ReferenceModel model : new ReferenceModel[] {
            new RewardReferenceModel(RM_BEST, new FeatureRewardModel(FeatureRewardModel.BEST)),
            new RewardReferenceModel(RM_GOLD, new FeatureRewardModel(FeatureRewardModel.GOLD)),
            new JudgeReferenceModel(JUDGE)}) {
            models.put(model.name(), new HostedModel(model, settings, faults));
        }
        ExecutorService replies = Executors.newFixedThreadPool(2, daemon("reference-replies-"));
        Server server;
        try {
            ServerCredentials credentials = settings.tls() == null ? InsecureServerCredentials.create()
                : TlsServerCredentials.create(settings.tls().certificateChain().toFile(), settings.tls().privateKey().toFile());
            server = NettyServerBuilder.forAddress(new InetSocketAddress(settings.host(), settings.port()), credentials)
                .addService(ServerInterceptors.intercept(new ReferenceInferenceService(models, settings, replies),
                    new RequiredHeaders(settings.requiredHeaders())))
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build()
                .start();
        } catch (IOException e) {
            models.values().forEach(HostedModel::close);
            replies.shutdownNow();
            throw new UncheckedIOException("cannot bind the reference inference server to " + settings.host() + ":"
                + settings.port(), e);
        }
        return new ReferenceInferenceServer(server, models, replies, settings.host());
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger ids = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public int port() {
        return server.getPort();
    }

    /** host:port, as clients put it in {@code inference.endpoints}. */
    public String address() {
        return host + ":" + port();
    }

    /** Stops accepting calls, cancels running ones, and releases every thread. */
    @Override
    public void close() {
        server.shutdownNow();
        models.values().forEach(HostedModel::close);
        replies.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
            for (HostedModel model : models.values()) {
                model.awaitTermination(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }
}
