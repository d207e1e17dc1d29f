package io.prefstream.ingest.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.pairing.PairingApp;
import io.prefstream.platform.ops.KafkaStreamsChecks;
import io.prefstream.platform.ops.OpsServer;
import io.prefstream.platform.ops.OpsServerConfig;
import io.prefstream.platform.ops.StageMetrics;
import io.prefstream.schemas.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code prefstream run pairing}: the pairing topology (generations → candidate pairs) until SIGINT/SIGTERM,
 * with {@code /metrics}, {@code /healthz} and {@code /readyz} (Kafka Streams RUNNING) on {@code metrics.port}.
 */
@Command(name = "pairing", mixinStandardHelpOptions = true,
    description = {"Runs the ingest service's stream app. Pairing: reads generations (keyed by prompt_id) and writes "
        + "one candidate pair per unordered pair of distinct responses to the raw pairs topic, once a prompt has K "
        + "responses or none came for the gap (ingest.pairing.*). Dedup: forwards submitted ready-made pairs to the "
        + "raw pairs topic, dropping (and counting) a pair_id already submitted within ingest.dedup.retention.ms. "
        + "Exactly-once. Prints 'ready pairing' once started; runs until SIGINT/SIGTERM.", ""},
    footerHeading = "%nConfiguration keys (--config file, or env PREFSTREAM_<KEY>):%n",
    modelTransformer = IngestCommand.ServiceConfigKeysFooter.class)
public final class PairingCommand implements Callable<Integer> {
    /** The {@code stage} tag of every meter this process exports. */
    static final String STAGE = "pairing";

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        IngestConfig config = connection.load();
        OpsServerConfig opsConfig = new OpsServerConfig(config.originals());
        Topics topics = Topics.from(config);
        PrometheusMeterRegistry metrics = StageMetrics.registry(STAGE);
        PairingApp app = PairingApp.start(config, topics, metrics);
        KafkaStreamsMetrics streamsMetrics = StageMetrics.bind(app.streams(), metrics);
        AtomicBoolean closing = new AtomicBoolean();
        OpsServer ops = opsConfig.enabled() ? OpsServer.builder(metrics)
            .readiness("kafka-streams", KafkaStreamsChecks.running(app.streams()))
            .liveness("kafka-streams", KafkaStreamsChecks.notFailed(app.streams(), closing::get))
            .start(opsConfig) : null;
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            closing.set(true);
            app.close();
            streamsMetrics.close();
            if (ops != null) {
                ops.close();
            }
            topics.registry().close();
            stopped.countDown();
        }, "pairing-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = spec.commandLine().getOut();
        if (ops != null) {
            spec.commandLine().getErr().println("pairing: /metrics, /healthz and /readyz on " + ops.url());
            spec.commandLine().getErr().flush();
        }
        out.println("ready pairing");
        out.flush();
        StopSignal.await(stopped, hook);
        return 0;
    }
}
