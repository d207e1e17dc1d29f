package io.prefstream.sinks.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;

import org.apache.iceberg.catalog.Catalog;

import io.prefstream.schemas.topic.Topics;
import io.prefstream.sinks.config.SinkConfig;
import io.prefstream.sinks.iceberg.IcebergSink;
import io.prefstream.sinks.review.ReviewFile;
import io.prefstream.sinks.review.ReviewImporter;
import io.prefstream.sinks.review.ReviewQueue;
import io.prefstream.sinks.table.Catalogs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code prefstream review}: the human review loop over pairs.review. */
@Command(name = "review", mixinStandardHelpOptions = true,
    description = "Human review of the pairs the policy could not decide: export what waits in pairs.review, "
        + "then import the reviewers' verdicts as final decisions.",
    subcommands = {ReviewCommand.Export.class, ReviewCommand.Import.class})
public final class ReviewCommand implements Callable<Integer> {
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** {@code review export --out FILE.jsonl}. */
    @Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes every pair waiting in pairs.review as one JSON line (prompt, response_1, "
            + "response_2, their ids, the reason, and verdict/reviewer/note set to null for the reviewer to fill).",
            "", "Exit codes: 0 written; 3 Kafka or the file failed.", ""},
        modelTransformer = SinkOptions.ConfigKeysFooter.class)
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        SinkOptions options;

        @Option(names = "--out", required = true, paramLabel = "FILE.jsonl", description = "File to write (replaced).")
        Path out;

        @Override
        public Integer call() {
            SinkConfig config = options.config();
            Topics topics = Topics.from(config);
            try {
                SortedMap<String, ReviewQueue.Waiting> waiting = ReviewQueue.read(config, topics.pairsReview(),
                    READ_TIMEOUT);
                int lines = ReviewFile.write(out, waiting.values());
                spec.commandLine().getOut().printf("%d pairs waiting for review written to %s%n", lines, out);
                return 0;
            } catch (IOException | RuntimeException e) {
                spec.commandLine().getErr().println("review export failed: " + e);
                return 3;
            }
        }
    }

    /** {@code review import FILE.jsonl}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Imports reviewed lines (verdict \"1\", \"2\" or \"discard\") as final decisions, path HUMAN: "
            + "all to review.verdicts, accepted ones also to pairs.curated, and closes each pair's item in "
            + "pairs.review, in one transaction. The file is validated first; if any line is invalid nothing is "
            + "imported and every error is listed with its line number. Lines with verdict null stay waiting.", "",
            "Exit codes: 0 imported; 1 invalid lines, nothing imported; 3 Kafka or the gold table failed.", ""},
        modelTransformer = SinkOptions.ConfigKeysFooter.class)
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        SinkOptions options;

        @Parameters(paramLabel = "FILE.jsonl", description = "A file written by review export, with verdicts filled in.")
        Path file;

        @Option(names = "--sync-gold", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Write review.verdicts into the gold-set table before exiting; --no-sync-gold leaves that "
                + "to a running sink (default: ${DEFAULT-VALUE}).")
        boolean syncGold;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isRegularFile(file)) {
                err.println("cannot read " + file + ": no such file");
                return 3;
            }
            SinkConfig config = options.config();
            Topics topics = Topics.from(config);
            try {
                ReviewFile.Parsed parsed = ReviewFile.read(file,
                    ReviewQueue.read(config, topics.pairsReview(), READ_TIMEOUT));
                if (!parsed.errors().isEmpty()) {
                    parsed.errors().forEach(err::println);
                    err.printf("%d invalid lines in %s: nothing imported%n", parsed.errors().size(), file);
                    return 1;
                }
                int accepted = new ReviewImporter(config, topics, Clock.systemUTC()).importAll(parsed.decisions());
                out.printf("imported %d verdicts (%d accepted into %s, %d discarded); %d lines left unanswered%n",
                    parsed.decisions().size(), accepted, topics.pairsCurated(), parsed.decisions().size() - accepted,
                    parsed.unanswered());
                if (syncGold && !parsed.decisions().isEmpty()) {
                    return syncGoldTable(config, topics, out, err);
                }
                return 0;
            } catch (IOException | RuntimeException e) {
                err.println("review import failed: " + e);
                return 3;
            }
        }

        private static int syncGoldTable(SinkConfig config, Topics topics, PrintWriter out, PrintWriter err) {
            SinkConfig manual = new SinkConfig(withAllPartitions(config));
            Catalog catalog = Catalogs.open(manual);
            try (IcebergSink gold = new IcebergSink(manual, topics, topics.reviewVerdicts(),
                Catalogs.loadOrCreate(catalog, manual.getString(SinkConfig.GOLD_TABLE)), Clock.systemUTC())) {
                if (!gold.runUntilCaughtUp(READ_TIMEOUT)) {
                    err.println("the gold-set table did not catch up with review.verdicts within " + READ_TIMEOUT);
                    return 3;
                }
                out.printf("gold-set table %s: %d new rows, snapshot %d%n", gold.table().name(),
                    gold.stats().rowsCommitted(), gold.stats().lastSnapshotId());
                return 0;
            } finally {
                Catalogs.closeQuietly(catalog);
            }
        }

        /** Reads every partition without joining the sink's consumer group (no rebalance of a running sink). */
        private static Map<String, Object> withAllPartitions(SinkConfig config) {
            Map<String, Object> settings = new java.util.HashMap<>(config.originals());
            settings.put(SinkConfig.PARTITIONS, "all");
            return settings;
        }
    }
}
