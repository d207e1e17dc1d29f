package io.prefstream.sinks.table;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.kafka.common.TopicPartition;

import io.prefstream.ops.PositionSource;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.sinks.config.SinkConfig;

/**
 * The sink's position for {@code prefstream lag}: the Kafka offsets recorded in the newest sink snapshot
 * of each table ({@link TableOffsets}), pairs.curated from the dataset table and review.verdicts from the
 * gold-set table. That is what the sink resumes from, so it is its true position; its consumer group only
 * shares partitions. A table that does not exist yet (the sink never ran) contributes nothing.
 *
 * <pre>{@code new LagCommand(SinkPositionSource::sources)}</pre>
 */
public final class SinkPositionSource implements PositionSource {
    /** The stage name {@code lag} shows, and the {@code stage} tag of the sink's lag gauges. */
    public static final String STAGE = "sink";

    private final Catalog catalog;
    /** Topic to the name of the table that records its offsets. */
    private final Map<String, String> tables;
    private final Map<String, Table> loaded = new HashMap<>();

    SinkPositionSource(Catalog catalog, Map<String, String> tables) {
        this.catalog = catalog;
        this.tables = new LinkedHashMap<>(tables);
    }

    /** The sink's position source for the catalog and tables of {@code config} (any PrefStream config). */
    public static List<PositionSource> sources(PrefStreamConfig config) {
        SinkConfig sink = new SinkConfig(config.originals());
        Map<String, String> tables = new LinkedHashMap<>();
        tables.put(sink.topicPrefix() + Topics.PAIRS_CURATED, sink.getString(SinkConfig.TABLE));
        tables.put(sink.topicPrefix() + Topics.REVIEW_VERDICTS, sink.getString(SinkConfig.GOLD_TABLE));
        return List.of(new SinkPositionSource(Catalogs.open(sink), tables));
    }

    @Override
    public Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> positions = new HashMap<>();
        tables.forEach((topic, tableName) -> {
            Table table = table(tableName);
            if (table != null) {
                table.refresh();
                TableOffsets.current(table, topic).all()
                    .forEach((partition, next) -> positions.put(new TopicPartition(topic, partition), next));
            }
        });
        return positions;
    }

    private Table table(String name) {
        Table table = loaded.get(name);
        if (table == null) {
            try {
                table = catalog.loadTable(TableIdentifier.parse(name));
                loaded.put(name, table);
            } catch (NoSuchTableException notYet) {
                return null;
            }
        }
        return table;
    }

    @Override
    public String stage() {
        return STAGE;
    }
}
