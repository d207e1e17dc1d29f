package io.prefstream.sinks.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

import io.prefstream.schemas.topic.Topics;
import io.prefstream.sinks.config.SinkConfig;
import io.prefstream.sinks.maintenance.TableMaintenance;
import io.prefstream.sinks.table.Catalogs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code prefstream maintenance}: expires old snapshots and deletes orphan files of the sink's tables. */
@Command(name = "maintenance", mixinStandardHelpOptions = true,
    description = {"Expires old snapshots of the dataset and gold-set tables (never the one holding the offsets "
        + "the sink resumes from) and deletes orphan files: data files a crashed or out-raced sink wrote but never "
        + "committed, and metadata no snapshot refers to.", "",
        "Exit codes: 0 done; 3 a table could not be maintained.", ""},
    modelTransformer = SinkOptions.ConfigKeysFooter.class)
public final class MaintenanceCommand implements Callable<Integer> {
    /** Which of the sink's tables to maintain. */
    public enum Tables { dataset, gold, both }

    @Spec
    CommandSpec spec;

    @Mixin
    SinkOptions options;

    @Option(names = "--tables", paramLabel = "WHICH", defaultValue = "both",
        description = "dataset (sink.table), gold (sink.gold.table) or both (default: ${DEFAULT-VALUE}).")
    Tables tables;

    @Option(names = "--expire-older-than", paramLabel = "DURATION", defaultValue = "7d", converter = Durations.class,
        description = "Expire snapshots older than this (default: ${DEFAULT-VALUE}).")
    Duration expireOlderThan;

    @Option(names = "--retain-last", paramLabel = "N", defaultValue = "10",
        description = "Always keep the newest N snapshots, however old (default: ${DEFAULT-VALUE}).")
    int retainLast;

    @Option(names = "--orphans-older-than", paramLabel = "DURATION", defaultValue = "1d", converter = Durations.class,
        description = "Delete unreferenced files only past this age, so files of a commit in progress survive "
            + "(default: ${DEFAULT-VALUE}).")
    Duration orphansOlderThan;

    @Option(names = "--dry-run", description = "List the orphan files only; delete and expire nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SinkConfig config = options.config();
        Topics topics = Topics.from(config);
        List<Target> targets = new ArrayList<>();
        if (tables != Tables.gold) {
            targets.add(new Target(config.getString(SinkConfig.TABLE), topics.pairsCurated().name()));
        }
        if (tables != Tables.dataset) {
            targets.add(new Target(config.getString(SinkConfig.GOLD_TABLE), topics.reviewVerdicts().name()));
        }
        Catalog catalog = Catalogs.open(config);
        int status = 0;
        try {
            for (Target target : targets) {
                if (!catalog.tableExists(TableIdentifier.parse(target.table()))) {
                    out.printf("%s: no such table, skipped%n", target.table());
                    continue;
                }
                try {
                    maintain(out, Catalogs.load(catalog, target.table()), target.topic());
                } catch (RuntimeException e) {
                    err.printf("%s: maintenance failed: %s%n", target.table(), e);
                    status = 3;
                }
            }
        } finally {
            Catalogs.closeQuietly(catalog);
        }
        return status;
    }

    /** A table and the topic whose offsets its snapshots record. */
    private record Target(String table, String topic) {}

    private void maintain(PrintWriter out, Table table, String topic) {
        TableMaintenance maintenance = new TableMaintenance(table, Clock.systemUTC());
        if (!dryRun) {
            TableMaintenance.Expiry expiry = maintenance.expireSnapshots(topic, expireOlderThan, retainLast);
            out.printf("%s: expired %d snapshots, %d kept%n", table.name(), expiry.expired(), expiry.kept());
        }
        List<String> orphans = maintenance.removeOrphanFiles(orphansOlderThan, dryRun);
        orphans.forEach(orphan -> out.printf("  %s %s%n", dryRun ? "orphan" : "deleted", orphan));
        out.printf("%s: %s %d orphan files%n", table.name(), dryRun ? "found" : "deleted", orphans.size());
    }
}
