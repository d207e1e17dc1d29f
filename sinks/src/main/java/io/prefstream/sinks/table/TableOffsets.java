package io.prefstream.sinks.table;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * The Kafka positions a table's data covers, as recorded in snapshot summaries: key
 * {@code prefstream.offsets.<topic>.<partition>}, value the next offset to read. Every snapshot the
 * sink commits carries the complete map (every partition ever written, not just those in the
 * commit), so the newest sink snapshot alone tells where to resume. Snapshots written by other tools
 * (compaction, say) carry none and are looked through to their parent.
 */
public final class TableOffsets {
    public static final String PREFIX = "prefstream.offsets.";

    private final String topic;
    private final Long snapshotId;
    private final Map<Integer, Long> nextOffsets;

    private TableOffsets(String topic, Long snapshotId, Map<Integer, Long> nextOffsets) {
        this.topic = topic;
        this.snapshotId = snapshotId;
        this.nextOffsets = Collections.unmodifiableMap(new TreeMap<>(nextOffsets));
    }

    /**
     * The offsets of {@code topic} in the table's current state (call {@code table.refresh()} first for
     * the latest). Empty when no snapshot ever recorded offsets of the topic.
     *
     * @throws IllegalStateException when the table has data but no snapshot left in its history records
     *                               offsets (they were expired): resuming from the beginning would
     *                               duplicate rows, so the sink refuses.
     */
    public static TableOffsets current(Table table, String topic) {
        Snapshot head = table.currentSnapshot();
        String prefix = prefix(topic);
        for (Snapshot snapshot = head; snapshot != null;
             snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId())) {
            Map<Integer, Long> found = parse(snapshot.summary(), prefix);
            if (!found.isEmpty()) {
                return new TableOffsets(topic, snapshot.snapshotId(), found);
            }
        }
        if (head != null && !"0".equals(head.summary().getOrDefault("total-records", "0"))) {
            throw new IllegalStateException("table " + table.name() + " has rows but no snapshot in its history "
                + "records offsets of " + topic + "; refusing to re-read the topic from the beginning");
        }
        return new TableOffsets(topic, null, Map.of());
    }

    /** The offsets of {@code topic} recorded in one snapshot's summary (empty if it records none). */
    public static Map<Integer, Long> recordedIn(Snapshot snapshot, String topic) {
        return parse(snapshot.summary(), prefix(topic));
    }

    private static Map<Integer, Long> parse(Map<String, String> summary, String prefix) {
        Map<Integer, Long> offsets = new TreeMap<>();
        summary.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                offsets.put(Integer.parseInt(key.substring(prefix.length())), Long.parseLong(value));
            }
        });
        return offsets;
    }

    static String prefix(String topic) {
        return PREFIX + topic + ".";
    }

    /** The summary key recording {@code partition}'s next offset. */
    public static String key(String topic, int partition) {
        return prefix(topic) + partition;
    }

    /** The next offset to read from {@code partition}, or empty if the table holds nothing from it yet. */
    public OptionalLong next(int partition) {
        Long next = nextOffsets.get(partition);
        return next == null ? OptionalLong.empty() : OptionalLong.of(next);
    }

    /** Every recorded partition and its next offset. */
    public Map<Integer, Long> all() {
        return nextOffsets;
    }

    /** The snapshot the offsets were read from; null when none recorded any. */
    public Long snapshotId() {
        return snapshotId;
    }

    public String topic() {
        return topic;
    }

    /** The summary entries of a commit that moves {@code advanced} partitions on from these offsets. */
    public Map<String, String> summaryWith(Map<Integer, Long> advanced) {
        Map<Integer, Long> merged = new TreeMap<>(nextOffsets);
        merged.putAll(advanced);
        Map<String, String> summary = new TreeMap<>();
        merged.forEach((partition, next) -> summary.put(key(topic, partition), Long.toString(next)));
        return summary;
    }

    @Override
    public String toString() {
        return topic + nextOffsets + (snapshotId == null ? "" : "@" + snapshotId);
    }
}
