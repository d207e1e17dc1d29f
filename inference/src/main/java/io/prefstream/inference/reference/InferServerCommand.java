package io.prefstream.inference.reference;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code prefstream infer-server}: runs the reference inference server until interrupted. */
@Command(name = "infer-server", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Runs the CPU reference inference server (KServe v2 gRPC protocol, as Triton speaks it) with the "
        + "models rm-best, rm-gold and judge, and prints 'ready inference=HOST:PORT' once it accepts calls.",
        "Per-model counters are served by the ModelStatistics RPC."})
public final class InferServerCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8001", description = "Port to bind; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--latency-ms-per-batch", defaultValue = "0",
        description = "Simulated time of every execution (batch), in ms (default: ${DEFAULT-VALUE}).")
    double latencyMsPerBatch;

    @Option(names = "--latency-ms-per-item", defaultValue = "0",
        description = "Additional simulated time per batch item, in ms (default: ${DEFAULT-VALUE}).")
    double latencyMsPerItem;

    @Option(names = "--max-batch", defaultValue = "64",
        description = "Largest batch a model executes: a reward-model request above it fails INVALID_ARGUMENT; the judge "
            + "runs up to this many concurrent prompts per execution (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--instances", defaultValue = "1",
        description = "Concurrent executions per model; further requests queue (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--judge-queue-delay-ms", defaultValue = "0",
        description = "How long an idle judge instance waits after a prompt arrives for more prompts to run with it, in ms; "
            + "prompts arriving while it is busy join its next execution anyway (default: ${DEFAULT-VALUE}).")
    double judgeQueueDelayMs;

    @Option(names = "--error-rate", defaultValue = "0",
        description = "Share of requests failed with UNAVAILABLE, 0..1 (default: ${DEFAULT-VALUE}).")
    double errorRate;

    @Option(names = "--malformed-rate", defaultValue = "0",
        description = "Share of requests answered with a malformed response, 0..1 (default: ${DEFAULT-VALUE}).")
    double malformedRate;

    @Option(names = "--malformed-kinds", split = ",", defaultValue = "MISSING_OUTPUT,WRONG_COUNT,WRONG_DATATYPE,UNDECODABLE",
        description = "Kinds of malformed responses, used in turn: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    List<Malformation> malformedKinds;

    @Option(names = "--typed-outputs", description = "Answer in typed contents instead of raw_output_contents.")
    boolean typedOutputs;

    @Option(names = "--seed", defaultValue = "42",
        description = "Seed of fault injection and of the judge's sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--tls-certificate", description = "PEM certificate chain; with --tls-key, serve TLS instead of plaintext.")
    Path tlsCertificate;

    @Option(names = "--tls-key", description = "PEM PKCS#8 private key of --tls-certificate.")
    Path tlsKey;

    @Option(names = "--require-header", split = ",", description = "name=value metadata every call must carry "
        + "(e.g. authorization=Bearer t0ken); calls without it fail UNAUTHENTICATED. Repeatable.")
    Map<String, String> requiredHeaders = new LinkedHashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        if ((tlsCertificate == null) != (tlsKey == null)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--tls-certificate and --tls-key go together");
        }
        ReferenceServerSettings.Tls tls = tlsCertificate == null ? null : new ReferenceServerSettings.Tls(tlsCertificate, tlsKey);
        ReferenceServerSettings settings = new ReferenceServerSettings(host, port, latencyMsPerBatch, latencyMsPerItem,
            maxBatch, instances, judgeQueueDelayMs, errorRate, malformedRate, malformedKinds, typedOutputs, seed, tls, requiredHeaders);
        ReferenceInferenceServer server = ReferenceInferenceServer.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "infer-server-shutdown"));
        System.out.println("ready inference=" + server.address());
        System.out.flush();
        server.awaitTermination();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new InferServerCommand()).execute(args));
    }
}
