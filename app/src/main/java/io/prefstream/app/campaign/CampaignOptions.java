package io.prefstream.app.campaign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import picocli.CommandLine.Option;

/** The options every campaign command shares (picocli mixin). */
final class CampaignOptions {
    @Option(names = "--input", paramLabel = "FILE",
        defaultValue = "${env:PREFSTREAM_SHARED_DATA:-../shared/data}/alpaca-eval-generations.jsonl.gz",
        description = "Generations (JSON lines {instruction, output, generator}, plain or .gz), repeated as prompt "
            + "variants until --pairs (default: ${DEFAULT-VALUE}).")
    Path input;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random points (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout", defaultValue = "PT60M",
        description = "Give up (exit 1) after this long, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--backlog", defaultValue = "3000",
        description = "Pairs fed but not yet ended, at most: the feed follows the pipeline so every stage has work "
            + "in flight when the campaign strikes (default: ${DEFAULT-VALUE}).")
    long backlog;

    @Option(names = "--partitions", defaultValue = "3",
        description = "Partitions of every pipeline topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--stage-heap", defaultValue = "512m",
        description = "-Xmx of each stage process (default: ${DEFAULT-VALUE}).")
    String stageHeap;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Where the broker, the stage state, the table and the stage logs live (default: a new "
            + "temporary directory, deleted after a passing run).")
    Path dataDir;

    /** The settings for {@code pairs} pairs, in --data-dir or a new temporary directory. */
    CampaignSettings settings(String campaign, long pairs) throws IOException {
        Path dir = dataDir == null ? Files.createTempDirectory("prefstream-campaign-" + campaign)
            : dataDir.toAbsolutePath();
        return new CampaignSettings(input, pairs, seed, dir, timeout, backlog, partitions, stageHeap);
    }

    /**
     * Ends a campaign command: prints PASS or FAIL and the campaign's last line, deletes a temporary data
     * directory after a passing run (otherwise says where the evidence is); the exit code, 0 when passed.
     */
    int finish(CampaignSettings settings, boolean passed, String lastLine) {
        System.out.println(passed ? "PASS" : "FAIL");
        System.out.println(lastLine);
        cleanUp(settings, passed);
        return passed ? 0 : 1;
    }

    private void cleanUp(CampaignSettings settings, boolean passed) {
        if (dataDir == null && passed) {
            try (Stream<Path> paths = Files.walk(settings.dataDir())) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory left behind is harmless
            }
        } else {
            System.err.println("campaign: data and stage logs kept in " + settings.dataDir());
        }
    }
}
