package io.prefstream.sinks.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.Catalog;

import io.prefstream.sinks.config.SinkConfig;
import io.prefstream.sinks.export.ExportFormat;
import io.prefstream.sinks.export.ExportManifest;
import io.prefstream.sinks.export.TrlExporter;
import io.prefstream.sinks.table.Catalogs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code prefstream export}: TRL-format shards of one snapshot of the dataset (or gold-set) table. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Writes one snapshot of the dataset table as TRL preference shards (prompt, chosen, rejected as "
        + "message lists, then the metadata columns) plus manifest.json with the snapshot id, the row count and a "
        + "SHA-256 per shard. Deterministic: the same snapshot always gives byte-identical files.", "",
        "Exit codes: 0 exported; 2 bad usage (unknown snapshot, non-empty --out); 3 the export failed.", ""},
    modelTransformer = SinkOptions.ConfigKeysFooter.class)
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SinkOptions options;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", converter = FormatConverter.class,
        description = "trl-parquet or trl-jsonl.")
    ExportFormat format;

    @Option(names = "--snapshot", paramLabel = "ID", defaultValue = "latest",
        description = "Snapshot id to export, or latest (default: ${DEFAULT-VALUE}).")
    String snapshot;

    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "Directory for the shards and manifest.json; must not exist or be empty.")
    Path out;

    @Option(names = "--rows-per-shard", paramLabel = "N", defaultValue = "100000",
        description = "Rows per shard file (default: ${DEFAULT-VALUE}).")
    int rowsPerShard;

    @Option(names = "--trl-only", description = "Export only prompt, chosen and rejected.")
    boolean trlOnly;

    @Option(names = "--gold", description = "Export the gold-set table (sink.gold.table) instead of the dataset.")
    boolean gold;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SinkConfig config = options.config();
        Catalog catalog = Catalogs.open(config);
        try {
            TrlExporter exporter = new TrlExporter(Catalogs.load(catalog,
                config.getString(gold ? SinkConfig.GOLD_TABLE : SinkConfig.TABLE)));
            Snapshot pinned = exporter.resolve(snapshot);
            ExportManifest manifest = exporter.export(pinned, format, this.out, rowsPerShard, trlOnly);
            out.printf("exported snapshot %d of %s: %d rows in %d %s shards to %s%n", manifest.snapshotId(),
                manifest.table(), manifest.rowCount(), manifest.shards().size(), manifest.format(), this.out);
            return 0;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (IOException | IllegalStateException e) {
            spec.commandLine().getErr().println("export failed: " + e);
            return 3;
        } finally {
            Catalogs.closeQuietly(catalog);
        }
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<ExportFormat> {
        @Override
        public ExportFormat convert(String value) {
            try {
                return ExportFormat.of(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
