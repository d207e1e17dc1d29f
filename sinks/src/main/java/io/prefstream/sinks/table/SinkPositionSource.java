package io.prefstream.sinks.table;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.prefstream.ops.PositionSource;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.sinks.config.SinkConfig;

/**
 * The sink's position for {@code prefstream lag}: the Kafka offsets recorded in the newest sink snapshot
 * of each table ({@link TableOffsets}), pairs.curated from the dataset table and review.verdicts from the
 * gold-set table, moved past trailing transaction markers by the hints the sink commits to its consumer
 * groups ({@link SettledPosition}). The table is what the sink resumes from, so it is its true position;
 * its consumer groups are not shown as stages of their own. A table that does not exist yet (the sink never
 * ran) contributes nothing.
 *
 * <pre>{@code new LagCommand(SinkPositionSource::sources)}</pre>
 */
public final class SinkPositionSource implements PositionSource {
    /** The stage name {@code lag} shows, and the {@code stage} tag of the sink's lag gauges. */
    public static final String STAGE = "sink";

    private final Catalog catalog;
    private final List<Source> sources;
    private final Map<String, Table> loaded = new HashMap<>();

    /** One topic the sink reads: the table recording its offsets and the group the sink shares it in. */
    record Source(String topic, String table, String group) {}

    SinkPositionSource(Catalog catalog, List<Source> sources) {
        this.catalog = catalog;
        this.sources = List.copyOf(sources);
    }

    /** The sink's position source for the catalog and tables of {@code config} (any PrefStream config). */
    public static List<PositionSource> sources(PrefStreamConfig config) {
        SinkConfig sink = new SinkConfig(config.originals());
        String curated = sink.topicPrefix() + Topics.PAIRS_CURATED;
        String verdicts = sink.topicPrefix() + Topics.REVIEW_VERDICTS;
        return List.of(new SinkPositionSource(Catalogs.open(sink), List.of(
            new Source(curated, sink.getString(SinkConfig.TABLE), sink.groupId(curated)),
            new Source(verdicts, sink.getString(SinkConfig.GOLD_TABLE), sink.groupId(verdicts)))));
    }

    @Override
    public Set<String> groups() {
        return sources.stream().map(Source::group).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public Map<TopicPartition, Long> positions(Map<String, Map<TopicPartition, OffsetAndMetadata>> committed) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (Source source : sources) {
            Map<Integer, Long> tableNext = new HashMap<>();
            Table table = table(source.table());
            if (table != null) {
                table.refresh();
                tableNext.putAll(TableOffsets.current(table, source.topic()).all());
            }
            Map<TopicPartition, OffsetAndMetadata> hints = committed.getOrDefault(source.group(), Map.of());
            Set<Integer> partitions = new TreeSet<>(tableNext.keySet());
            hints.keySet().stream().filter(tp -> tp.topic().equals(source.topic()))
                .forEach(tp -> partitions.add(tp.partition()));
            for (int partition : partitions) {
                TopicPartition tp = new TopicPartition(source.topic(), partition);
                Long position = SettledPosition.resolve(tableNext.get(partition), hints.get(tp));
                if (position != null) {
                    positions.put(tp, position);
                }
            }
        }
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
