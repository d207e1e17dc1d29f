package io.prefstream.sinks.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.schemas.topic.TopicsConfig;

/**
 * Settings of the dataset sink, the maintenance and export commands and the review loop: where the
 * Iceberg catalog and tables are, and when the sink commits. Extends the shared and topic settings
 * ({@link TopicsConfig}).
 * Any {@code sink.catalog.<key>} is handed to the Iceberg catalog as {@code <key>} (for example
 * {@code sink.catalog.uri}, {@code sink.catalog.io-impl}), so every catalog Iceberg ships can be used.
 */
public class SinkConfig extends PrefStreamConfig {
    public static final String DATA_DIR = "sink.data.dir";
    private static final String DATA_DIR_DOC = "Local data directory; the default Hadoop catalog keeps its warehouse "
        + "in <sink.data.dir>/warehouse.";

    public static final String CATALOG_PREFIX = "sink.catalog.";

    public static final String CATALOG_NAME = "sink.catalog.name";
    private static final String CATALOG_NAME_DOC = "Name of the Iceberg catalog (appears in logs and metrics).";

    public static final String CATALOG_TYPE = "sink.catalog.type";
    private static final String CATALOG_TYPE_DOC = "Iceberg catalog type: hadoop (a warehouse directory; commits are "
        + "atomic within one JVM only), rest, or jdbc (with a JDBC driver on the classpath); hive, glue and nessie "
        + "need their Iceberg modules added. Other sink.catalog.* keys are passed to the catalog.";

    public static final String CATALOG_WAREHOUSE = "sink.catalog.warehouse";
    private static final String CATALOG_WAREHOUSE_DOC = "Warehouse location of the catalog; empty means "
        + "<sink.data.dir>/warehouse.";

    public static final String TABLE = "sink.table";
    private static final String TABLE_DOC = "The dataset table (namespace.name) that pairs.curated is written to.";

    public static final String GOLD_TABLE = "sink.gold.table";
    private static final String GOLD_TABLE_DOC = "The gold-set table (namespace.name) that human verdicts "
        + "(review.verdicts) are written to: the human-verified pairs a gold reward model is trained on.";

    public static final String COMMIT_RECORDS = "sink.commit.records";
    private static final String COMMIT_RECORDS_DOC = "Commit a snapshot once this many records were read since the "
        + "last commit (or after sink.commit.interval.ms, whichever comes first).";

    public static final String COMMIT_INTERVAL_MS = "sink.commit.interval.ms";
    private static final String COMMIT_INTERVAL_MS_DOC = "Commit a snapshot at most this long after the first record "
        + "read since the last commit (or after sink.commit.records, whichever comes first).";

    public static final String COMMIT_MAX_ATTEMPTS = "sink.commit.max.attempts";
    private static final String COMMIT_MAX_ATTEMPTS_DOC = "How often one commit is retried when another writer "
        + "committed first (optimistic concurrency) before the sink gives up.";

    public static final String PARTITIONS = "sink.partitions";
    private static final String PARTITIONS_DOC = "Empty: join the consumer group sink.group.id and let Kafka share "
        + "the partitions among instances. Otherwise the partitions to read ('all' or a list such as 0,1,2), "
        + "assigned manually; instances may overlap. Positions always come from the table, never from the group.";

    public static final String GROUP_ID = "sink.group.id";
    private static final String GROUP_ID_DOC = "Prefix of the sink's consumer groups: the sink of topic T uses "
        + "<sink.group.id>.<T>, so the dataset and gold sinks never share a group. When sink.partitions is empty "
        + "the instances share partitions through it. The sink commits there only hints for 'prefstream lag' "
        + "(its position past transaction markers once everything before is in the table); it never resumes "
        + "from them: positions always come from the table.";

    public static final String TARGET_FILE_SIZE_BYTES = "sink.target.file.size.bytes";
    private static final String TARGET_FILE_SIZE_BYTES_DOC = "Roll to a new Parquet file past this size.";

    public static final String INSTANCE_ID = "sink.instance.id";
    private static final String INSTANCE_ID_DOC = "Name of this sink instance, recorded in every snapshot it commits; "
        + "empty: host name and process id.";

    public static ConfigDef definition() {
        return TopicsConfig.addTo(baseDefinition())
            .define(DATA_DIR, Type.STRING, "data", Importance.HIGH, DATA_DIR_DOC)
            .define(CATALOG_NAME, Type.STRING, "prefstream", Importance.LOW, CATALOG_NAME_DOC)
            .define(CATALOG_TYPE, Type.STRING, "hadoop", Importance.HIGH, CATALOG_TYPE_DOC)
            .define(CATALOG_WAREHOUSE, Type.STRING, "", Importance.HIGH, CATALOG_WAREHOUSE_DOC)
            .define(TABLE, Type.STRING, "prefstream.curated_pairs", Importance.HIGH, TABLE_DOC)
            .define(GOLD_TABLE, Type.STRING, "prefstream.gold_pairs", Importance.MEDIUM, GOLD_TABLE_DOC)
            .define(COMMIT_RECORDS, Type.INT, 10_000, Range.atLeast(1), Importance.MEDIUM, COMMIT_RECORDS_DOC)
            .define(COMMIT_INTERVAL_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.MEDIUM, COMMIT_INTERVAL_MS_DOC)
            .define(COMMIT_MAX_ATTEMPTS, Type.INT, 20, Range.atLeast(1), Importance.LOW, COMMIT_MAX_ATTEMPTS_DOC)
            .define(PARTITIONS, Type.LIST, "", Importance.MEDIUM, PARTITIONS_DOC)
            .define(GROUP_ID, Type.STRING, "prefstream-sink", Importance.MEDIUM, GROUP_ID_DOC)
            .define(TARGET_FILE_SIZE_BYTES, Type.LONG, 128L * 1024 * 1024, Range.atLeast(1024), Importance.LOW,
                TARGET_FILE_SIZE_BYTES_DOC)
            .define(INSTANCE_ID, Type.STRING, "", Importance.LOW, INSTANCE_ID_DOC);
    }

    public SinkConfig(Map<String, ?> originals) {
        super(definition(), originals);
    }

    /** The catalog properties: every {@code sink.catalog.*} key without its prefix, warehouse defaulted. */
    public Map<String, String> catalogProperties() {
        Map<String, String> properties = new HashMap<>();
        originalsWithPrefix(CATALOG_PREFIX).forEach((key, value) -> properties.put(key, String.valueOf(value)));
        properties.remove("name");
        properties.put("type", getString(CATALOG_TYPE));
        String warehouse = getString(CATALOG_WAREHOUSE);
        properties.put("warehouse", warehouse.isEmpty()
            ? Path.of(getString(DATA_DIR), "warehouse").toAbsolutePath().toString() : warehouse);
        return properties;
    }

    public String catalogName() {
        return getString(CATALOG_NAME);
    }

    public int commitRecords() {
        return getInt(COMMIT_RECORDS);
    }

    public Duration commitInterval() {
        return Duration.ofMillis(getLong(COMMIT_INTERVAL_MS));
    }

    public int commitMaxAttempts() {
        return getInt(COMMIT_MAX_ATTEMPTS);
    }

    /** Empty when the sink should join {@link #GROUP_ID}; else the partitions to assign ({@code all} allowed). */
    public List<String> partitions() {
        return getList(PARTITIONS);
    }

    /** The consumer group of the sink reading {@code topic}. */
    public String groupId(String topic) {
        return getString(GROUP_ID) + "." + topic;
    }

    public long targetFileSizeBytes() {
        return getLong(TARGET_FILE_SIZE_BYTES);
    }

    public String instanceId() {
        String configured = getString(INSTANCE_ID);
        if (!configured.isEmpty()) {
            return configured;
        }
        ProcessHandle self = ProcessHandle.current();
        String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        return host + "-" + self.pid();
    }
}
