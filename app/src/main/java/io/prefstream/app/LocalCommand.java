package io.prefstream.app;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.pairing.PairingApp;
import io.prefstream.platform.config.ConfigSources;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code prefstream local}: the whole embedded stack, until SIGINT or SIGTERM. */
@Command(name = "local", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {
        "Runs the embedded stack: Kafka broker, schema registry, reference inference server, the ingest service.",
        "",
        "Starts a real single-node KRaft Kafka broker in this process, creates every pipeline topic, and starts the "
            + "schema registry, the reference inference server and the ingest service (HTTP endpoint and pairing stage). "
            + "Prints one 'ready ...' line with their addresses, "
            + "then runs until SIGINT/SIGTERM. Restarting on the same --data-dir keeps topics, records and schemas."})
public final class LocalCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = ".prefstream/local",
        description = "Directory for the broker's logs and metadata.")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka client port on 127.0.0.1 (0: any free port).")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "8081", description = "Schema registry HTTP port (0: any free port).")
    int registryPort;

    @Option(names = "--inference-port", defaultValue = "8001",
        description = "Reference inference server gRPC port (0: any free port).")
    int inferencePort;

    @Option(names = "--ingest-port", defaultValue = "8080", description = "HTTP ingest endpoint port (0: any free port).")
    int ingestPort;

    @Option(names = "--config", description = "PrefStream properties file (topic.prefix, topic.partitions, ...).")
    Path config;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Map<String, String> settings = new TreeMap<>(ConfigSources.load(config, Map.of()));
        EmbeddedStack stack = EmbeddedStack.start(new EmbeddedStack.Options(dataDir, kafkaPort, registryPort,
            inferencePort, ingestPort, ReferenceServerSettings.defaults(), settings));
        // the HTTP endpoint's other half: ready-made pairs reach pairs.raw, generations are paired
        settings.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, dataDir.resolve("streams").toAbsolutePath().toString());
        IngestConfig ingest = new IngestConfig(stack.clientSettings(settings));
        PairingApp pairing = PairingApp.start(ingest, Topics.from(ingest));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pairing.close();
            stack.close();
            stopped.countDown();
        }, "prefstream-local-shutdown"));
        System.out.println(stack.readyLine());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
