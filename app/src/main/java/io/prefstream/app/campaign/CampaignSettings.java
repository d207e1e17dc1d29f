package io.prefstream.app.campaign;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What every campaign shares: the input and its size, the seed, where it runs, how long it may take,
 * how far the feed may run ahead of the pipeline, the topics' partitions and each stage's heap.
 *
 * @param backlog pairs fed but not yet ended, at most: the feed follows the pipeline so every stage
 *                has work in flight whenever the campaign strikes
 */
record CampaignSettings(Path input, long pairs, long seed, Path dataDir, Duration timeout, long backlog,
                        int partitions, String stageHeap) {
    /** The small size the tests run: a short backlog, small heaps, minutes not hours. */
    static CampaignSettings ci(Path input, long pairs, Path dataDir) {
        return new CampaignSettings(input, pairs, 7, dataDir, Duration.ofMinutes(10), 500, 3, "384m");
    }
}
