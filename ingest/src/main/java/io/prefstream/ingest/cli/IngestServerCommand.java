package io.prefstream.ingest.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.http.IngestServer;
import io.prefstream.ingest.produce.PrefProducer;
import io.prefstream.ingest.produce.TopicProvisioner;
import io.prefstream.schemas.topic.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code prefstream ingest-server}: the HTTP ingest endpoint, until SIGINT/SIGTERM. Prints
 * {@code ready ingest=URL} once serving.
 */
@Command(name = "ingest-server", mixinStandardHelpOptions = true,
    description = {"Serves the HTTP ingest endpoint: POST /v1/generations and /v1/pairs (one JSON object or NDJSON), "
        + "GET /openapi.json, GET /healthz. Answers 202 only once Kafka acknowledged every record of a request. "
        + "Prints 'ready ingest=URL' when serving; runs until SIGINT/SIGTERM.", ""},
    footerHeading = "%nConfiguration keys (--config file, or env PREFSTREAM_<KEY>):%n",
    modelTransformer = IngestCommand.ConfigKeysFooter.class)
public final class IngestServerCommand implements Callable<Integer> {
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
    public Integer call() throws InterruptedException {
        IngestConfig config = connection.load();
        Topics topics = Topics.from(config);
        TopicProvisioner.ensure(config.kafkaClientProperties(), List.of(topics.generations(), topics.pairsRaw()),
            config.startupTimeout());
        PrefProducer producer = IngestServer.producer(config, topics);
        IngestServer server = IngestServer.start(config, producer, host, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            producer.close();
            topics.registry().close();
            stopped.countDown();
        }, "ingest-server-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("ready ingest=" + server.url());
        out.flush();
        stopped.await();
        return 0;
    }
}
