package io.prefstream.sinks;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import io.prefstream.schemas.topic.Topics;
import io.prefstream.sinks.config.SinkConfig;
import io.prefstream.sinks.iceberg.IcebergSink;
import io.prefstream.sinks.table.Catalogs;

/** A sink in a JVM of its own, for the crash test: {@code key=value} settings as arguments; runs until killed. */
public final class SinkProcessMain {
    private SinkProcessMain() {}

    public static void main(String[] args) {
        Map<String, String> settings = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            settings.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        SinkConfig config = new SinkConfig(settings);
        Topics topics = Topics.from(config);
        try (IcebergSink sink = new IcebergSink(config, topics, topics.pairsCurated(),
            Catalogs.loadOrCreate(Catalogs.open(config), config.getString(SinkConfig.TABLE)), Clock.systemUTC())) {
            sink.run();
        }
    }
}
