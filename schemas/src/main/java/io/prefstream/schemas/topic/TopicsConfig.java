package io.prefstream.schemas.topic;

import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

import io.prefstream.platform.config.PrefStreamConfig;

/**
 * How the pipeline's topics are created and serialized. Extends the shared settings (topic.prefix,
 * schema.registry.url, schema.registry.basic.auth.user.info) with the keys below; stage configs add
 * them to their own definition with {@link #addTo(ConfigDef)}. Registry TLS and retry keys
 * ({@code schema.registry.ssl.truststore.*}, {@code schema.registry.max.retries}, ...) are read by the
 * registry client from the same properties.
 */
public class TopicsConfig extends PrefStreamConfig {
    public static final String PARTITIONS = "topic.partitions";
    private static final String PARTITIONS_DOC = "Partitions of each pipeline topic when PrefStream creates it. "
        + "Bounds the parallelism of every stage: one stream task per partition.";
    public static final int DEFAULT_PARTITIONS = 6;

    public static final String DLQ_PARTITIONS = "topic.dlq.partitions";
    private static final String DLQ_PARTITIONS_DOC = "Partitions of each dead-letter (.dlq) topic when PrefStream "
        + "creates it; dead letters are rare and read by people, so one is enough.";

    public static final String REPLICATION_FACTOR = "topic.replication.factor";
    private static final String REPLICATION_FACTOR_DOC = "Replication factor of the topics PrefStream creates; -1 "
        + "uses the broker's default.replication.factor.";

    public static final String RETENTION_MS = "topic.retention.ms";
    private static final String RETENTION_MS_DOC = "retention.ms of the work topics (generations, pairs.raw, "
        + "pairs.adjudicate, pairs.labeled); compacted topics keep the latest record per key forever.";
    public static final long DEFAULT_RETENTION_MS = 7L * 24 * 3600 * 1000;

    public static final String DLQ_RETENTION_MS = "topic.dlq.retention.ms";
    private static final String DLQ_RETENTION_MS_DOC = "retention.ms of the dead-letter topics and pairs.rejected.";
    public static final long DEFAULT_DLQ_RETENTION_MS = 30L * 24 * 3600 * 1000;

    public static final String AUTO_REGISTER_SCHEMAS = "schema.registry.auto.register.schemas";
    private static final String AUTO_REGISTER_SCHEMAS_DOC = "Register record schemas under <topic>-value when "
        + "producing; switch off where schemas are registered by a release process.";

    public static final String USE_LATEST_VERSION = "schema.registry.use.latest.version";
    private static final String USE_LATEST_VERSION_DOC = "With auto-registration off: write with the latest "
        + "registered schema of the subject instead of looking up the record's own schema.";

    /** Adds the topic keys to a definition that already has {@link PrefStreamConfig#baseDefinition()}'s keys. */
    public static ConfigDef addTo(ConfigDef definition) {
        return definition
            .define(PARTITIONS, Type.INT, DEFAULT_PARTITIONS, Range.atLeast(1), Importance.MEDIUM, PARTITIONS_DOC)
            .define(DLQ_PARTITIONS, Type.INT, 1, Range.atLeast(1), Importance.LOW, DLQ_PARTITIONS_DOC)
            .define(REPLICATION_FACTOR, Type.SHORT, (short) -1, Importance.MEDIUM, REPLICATION_FACTOR_DOC)
            .define(RETENTION_MS, Type.LONG, DEFAULT_RETENTION_MS, Range.atLeast(-1), Importance.LOW, RETENTION_MS_DOC)
            .define(DLQ_RETENTION_MS, Type.LONG, DEFAULT_DLQ_RETENTION_MS, Range.atLeast(-1), Importance.LOW,
                DLQ_RETENTION_MS_DOC)
            .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.LOW, AUTO_REGISTER_SCHEMAS_DOC)
            .define(USE_LATEST_VERSION, Type.BOOLEAN, false, Importance.LOW, USE_LATEST_VERSION_DOC);
    }

    public static ConfigDef definition() {
        return addTo(baseDefinition());
    }

    public TopicsConfig(Map<String, ?> originals) {
        super(definition(), originals);
    }
}
