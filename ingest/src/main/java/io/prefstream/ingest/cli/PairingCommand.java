package io.prefstream.ingest.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.pairing.PairingApp;
import io.prefstream.schemas.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code prefstream run pairing}: the pairing topology (generations → candidate pairs) until SIGINT/SIGTERM. */
@Command(name = "pairing", mixinStandardHelpOptions = true,
    description = {"Runs the pairing stage: reads generations (keyed by prompt_id) and writes one candidate pair per "
        + "unordered pair of distinct responses to the raw pairs topic, once a prompt has K responses or none came "
        + "for the gap (ingest.pairing.*). Exactly-once. Prints 'ready pairing' once started; runs until "
        + "SIGINT/SIGTERM.", ""},
    footerHeading = "%nConfiguration keys (--config file, or env PREFSTREAM_<KEY>):%n",
    modelTransformer = IngestCommand.ConfigKeysFooter.class)
public final class PairingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws InterruptedException {
        IngestConfig config = connection.load();
        Topics topics = Topics.from(config);
        PairingApp app = PairingApp.start(config, topics);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            topics.registry().close();
            stopped.countDown();
        }, "pairing-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("ready pairing");
        out.flush();
        stopped.await();
        return 0;
    }
}
