package io.prefstream.consistency;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import io.prefstream.platform.config.ConfigSources;
import io.prefstream.platform.config.PrefStreamConfig;

/**
 * {@code prefstream run consistency}: runs the consistency stage until it is stopped (SIGTERM/Ctrl-C
 * close it cleanly) or fails.
 */
@Command(name = "consistency", mixinStandardHelpOptions = true,
    description = {"Scores pairs from pairs.raw with the best and gold reward models (memoized per response, "
        + "model and version), accepts pairs both agree on (RM consensus) into pairs.curated, sends the rest to "
        + "pairs.adjudicate, and turns labelled pairs (pairs.labeled) and human verdicts (review.verdicts) into "
        + "verdicts on pairs.curated, pairs.rejected and pairs.review. Exactly-once by default.", "",
        "Exit codes: 0 stopped cleanly; 1 the stream stopped on an error; 2 bad usage.", ""},
    footerHeading = "%nConfiguration keys (--config file, env PREFSTREAM_<KEY>, or --set); any other key is passed "
        + "to Kafka Streams and its clients unchanged:%n",
    modelTransformer = RunConsistencyCommand.ConfigKeysFooter.class)
public final class RunConsistencyCommand implements Callable<Integer> {
    static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
        description = "Java properties file: the keys below and any Kafka Streams/client setting "
            + "(application.id, num.stream.threads, security.protocol, sasl.*, ssl.*).")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
        description = "Overrides one setting; repeatable; wins over the file and the environment.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        ConsistencyConfig config;
        try {
            config = new ConsistencyConfig(ConfigSources.load(configFile, overrides));
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("consistency: invalid configuration: " + e.getMessage());
            return EXIT_USAGE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (ConsistencyService service = new ConsistencyService(config, new SimpleMeterRegistry())) {
            KafkaStreams streams = service.start((now, before) -> {
                spec.commandLine().getErr().println("consistency: " + before + " -> " + now);
                if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                    stopped.countDown();
                }
            });
            Thread hook = new Thread(service::close, "consistency-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            stopped.await();
            return streams.state() == KafkaStreams.State.ERROR ? 1 : 0;
        }
    }

    /** Lists every configuration key, its default and doc, below the options in {@code --help}. */
    static final class ConfigKeysFooter implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec commandSpec) {
            commandSpec.usageMessage().footer(PrefStreamConfig.describe(ConsistencyConfig.definition()).replace("%", "%%"));
            return commandSpec;
        }
    }
}
