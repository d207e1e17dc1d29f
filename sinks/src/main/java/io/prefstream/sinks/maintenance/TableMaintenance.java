package io.prefstream.sinks.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prefstream.sinks.table.TableOffsets;

/**
 * Housekeeping for a verdict table: expiring old snapshots without losing the Kafka offsets the sink
 * resumes from, and deleting orphan files (data files a crashed or out-raced sink wrote but never
 * committed, and metadata nothing refers to any more).
 */
public final class TableMaintenance {
    private static final Logger log = LoggerFactory.getLogger(TableMaintenance.class);
    private static final String VERSION_HINT = "version-hint.text";

    private final Table table;
    private final Clock clock;

    public TableMaintenance(Table table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    /**
     * What {@link #expireSnapshots} did.
     *
     * @param expired snapshots removed
     * @param kept    snapshots left
     */
    public record Expiry(int expired, int kept) {}

    /**
     * Expires snapshots older than {@code olderThan}, always keeping the newest {@code retainLast} and
     * the newest snapshot that records offsets of {@code topic} (the one the sink resumes from), so the
     * offsets read after expiry are the offsets read before.
     */
    public Expiry expireSnapshots(String topic, Duration olderThan, int retainLast) {
        table.refresh();
        if (table.currentSnapshot() == null) {
            return new Expiry(0, 0);
        }
        TableOffsets before = TableOffsets.current(table, topic);
        long cutoff = clock.millis() - olderThan.toMillis();
        if (before.snapshotId() != null) {
            cutoff = Math.min(cutoff, table.snapshot(before.snapshotId()).timestampMillis());
        }
        int count = size(table.snapshots());
        table.expireSnapshots().expireOlderThan(cutoff).retainLast(Math.max(1, retainLast)).cleanExpiredFiles(true)
            .commit();
        table.refresh();
        TableOffsets after = TableOffsets.current(table, topic);
        if (!after.all().equals(before.all())) {
            throw new IllegalStateException("offsets of " + topic + " changed while expiring snapshots of "
                + table.name() + ": " + before + " became " + after);
        }
        int kept = size(table.snapshots());
        log.info("{}: expired {} snapshots, kept {}; offsets {}", table.name(), count - kept, kept, after);
        return new Expiry(count - kept, kept);
    }

    /**
     * Deletes files under the table's location that no snapshot or metadata file refers to and that are
     * older than {@code olderThan} (younger ones may belong to a commit in progress). Returns the
     * locations deleted, or that would be with {@code dryRun}.
     */
    public List<String> removeOrphanFiles(Duration olderThan, boolean dryRun) {
        if (!(table.io() instanceof SupportsPrefixOperations io)) {
            throw new IllegalStateException("the FileIO of " + table.name() + " (" + table.io().getClass().getName()
                + ") cannot list files, so orphans cannot be found");
        }
        table.refresh();
        Set<String> referenced = referencedFiles();
        long cutoff = clock.millis() - olderThan.toMillis();
        List<String> orphans = new ArrayList<>();
        for (FileInfo file : io.listPrefix(table.location())) {
            String path = normalize(file.location());
            if (!referenced.contains(path) && !path.endsWith("/" + VERSION_HINT) && file.createdAtMillis() < cutoff) {
                orphans.add(file.location());
            }
        }
        orphans.sort(null);
        if (!dryRun) {
            orphans.forEach(io::deleteFile);
        }
        log.info("{}: {} {} orphan files", table.name(), dryRun ? "found" : "deleted", orphans.size());
        return orphans;
    }

    private Set<String> referencedFiles() {
        Set<String> referenced = new HashSet<>();
        TableMetadata metadata = ((HasTableOperations) table).operations().current();
        referenced.add(normalize(metadata.metadataFileLocation()));
        metadata.previousFiles().forEach(entry -> referenced.add(normalize(entry.file())));
        metadata.statisticsFiles().forEach(file -> referenced.add(normalize(file.path())));
        metadata.partitionStatisticsFiles().forEach(file -> referenced.add(normalize(file.path())));
        Set<String> manifestsSeen = new HashSet<>();
        for (Snapshot snapshot : table.snapshots()) {
            if (snapshot.manifestListLocation() != null) {
                referenced.add(normalize(snapshot.manifestListLocation()));
            }
            for (ManifestFile manifest : snapshot.allManifests(table.io())) {
                if (!manifestsSeen.add(manifest.path())) {
                    continue;
                }
                referenced.add(normalize(manifest.path()));
                referenced.addAll(filesIn(manifest, table.specs()));
            }
        }
        return referenced;
    }

    private Set<String> filesIn(ManifestFile manifest, Map<Integer, org.apache.iceberg.PartitionSpec> specs) {
        Set<String> files = new HashSet<>();
        try (CloseableIterable<String> paths = manifest.content() == ManifestContent.DATA
            ? ManifestFiles.readPaths(manifest, table.io(), specs)
            : CloseableIterable.transform(ManifestFiles.readDeleteManifest(manifest, table.io(), specs),
                file -> file.location())) {
            paths.forEach(path -> files.add(normalize(path)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifest " + manifest.path(), e);
        }
        return files;
    }

    /** The path part of a location, so "file:/a", "file:///a" and "/a" compare equal. */
    static String normalize(String location) {
        return new org.apache.hadoop.fs.Path(location).toUri().getPath();
    }

    private static int size(Iterable<?> items) {
        int count = 0;
        for (Object ignored : items) {
            count++;
        }
        return count;
    }
}
