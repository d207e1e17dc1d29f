package io.prefstream.ingest.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.http.IngestServer;
import io.prefstream.ingest.produce.PrefProducer;
import io.prefstream.ingest.produce.TopicProvisioner;
import io.prefstream.platform.ops.HealthCheck;
import io.prefstream.platform.ops.OpsServer;
import io.prefstream.platform.ops.OpsServerConfig;
import io.prefstream.platform.ops.StageMetrics;
import io.prefstream.schemas.topic.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code prefstream ingest-server}: the HTTP ingest endpoint, until SIGINT/SIGTERM. Prints
 * {@code ready ingest=URL} once serving. The ops server on {@code metrics.port} answers from the start:
 * {@code /readyz} turns 200 once the endpoint serves, {@code /metrics} has the producer's and the JVM's meters.
 */
@Command(name = "ingest-server", mixinStandardHelpOptions = true,
    description = {"Serves the HTTP ingest endpoint: POST /v1/generations and /v1/pairs (one JSON object or NDJSON), "
        + "GET /openapi.json, GET /healthz. Answers 202 only once Kafka acknowledged every record of a request. "
        + "Prints 'ready ingest=URL' when serving; runs until SIGINT/SIGTERM.", ""},
    footerHeading = "%nConfiguration keys (--config file, or env PREFSTREAM_<KEY>):%n",
    modelTransformer = IngestCommand.ServiceConfigKeysFooter.class)
public final class IngestServerCommand implements Callable<Integer> {
    /** The {@code stage} tag of every meter this process exports. */
    static final String STAGE = "ingest-server";

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8082",
        description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
        description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
    String host;

    @Override
    public Integer call() {
        IngestConfig config = connection.load();
        OpsServerConfig opsConfig = new OpsServerConfig(config.originals());
        PrometheusMeterRegistry metrics = StageMetrics.registry(STAGE);
        AtomicReference<IngestServer> serving = new AtomicReference<>();
        OpsServer ops = opsConfig.enabled() ? OpsServer.builder(metrics)
            .readiness("http", () -> serving.get() != null ? HealthCheck.Result.up("serving " + serving.get().url())
                : HealthCheck.Result.down("creating topics and connecting (or stopping)"))
            .start(opsConfig) : null;
        if (ops != null) {
            spec.commandLine().getErr().println("ingest-server: /metrics, /healthz and /readyz on " + ops.url());
            spec.commandLine().getErr().flush();
        }
        Topics topics = Topics.from(config);
        TopicProvisioner.ensure(config.kafkaClientProperties(), List.of(topics.generations(), topics.pairsSubmitted()),
            config.startupTimeout());
        PrefProducer producer = IngestServer.producer(config, topics);
        KafkaClientMetrics producerMetrics = producer.bindMetrics(metrics);
        IngestServer server = IngestServer.start(config, producer, host, port);
        serving.set(server);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            serving.set(null);
            server.close();
            producerMetrics.close();
            producer.close();
            if (ops != null) {
                ops.close();
            }
            topics.registry().close();
            stopped.countDown();
        }, "ingest-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = spec.commandLine().getOut();
        out.println("ready ingest=" + server.url());
        out.flush();
        StopSignal.await(stopped, hook);
        return 0;
    }
}
