package io.prefstream.app.campaign;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.model.GenerationDraft;
import io.prefstream.ingest.produce.Accepted;
import io.prefstream.ingest.produce.PrefProducer;
import io.prefstream.ingest.produce.PrefProducers;
import io.prefstream.ingest.validate.InvalidRecordException;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.sinks.config.SinkConfig;

/**
 * The loop every campaign runs around the stage processes: feed generations while the backlog allows,
 * let the {@link Disruption} strike, fail if a stage process exits on its own, and stop once everything
 * is fed, the disruption is over, every expected pair has ended and the table holds every curated pair,
 * or at the deadline. Then compares what the read_committed readers and the table hold with what was fed.
 */
final class CampaignRun {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    /** How often the (costly) comparison with the expected pairs runs once everything is fed. */
    private static final Duration CHECK_EVERY = Duration.ofSeconds(2);
    private static final long ACK_TIMEOUT_S = 180;
    private static final int PROMPTS_PER_FEED = 20;

    /** What the readers found, whether it all ended in time, and how long it took. */
    record Outcome(TerminalAudit.Findings findings, Map<String, Long> deadLetterReasons, boolean completed,
                   double seconds, long generations, long refusedAtIngest) {
        boolean passed() {
            return completed && findings.clean();
        }

        /** The figures every campaign's last line carries. */
        String figures() {
            return String.format("pairs=%d lost=%d duplicated=%d dead_lettered_again=%d ended_twice=%d table_rows=%d "
                    + "seconds=%.0f", findings.pairs(), findings.lost(), findings.duplicated(), findings.deadLetteredAgain(),
                findings.multipleEnds(), findings.tableRows(), seconds);
        }

        void print(PrintStream out) {
            out.printf("generations %,d (refused at ingest %,d)%n", generations, refusedAtIngest);
            out.println(findings.summary());
            deadLetterReasons.forEach((reason, count) -> out.printf("dead letters: %s: %,d%n", reason, count));
            if (!completed) {
                out.println("not done in time");
            }
        }
    }

    private final String name;
    private final CampaignSettings settings;
    private final Map<String, String> common;
    private final PipelineProcesses pipeline;
    private final Disruption disruption;
    private final PrintStream progress;

    CampaignRun(String name, CampaignSettings settings, Map<String, String> common, PipelineProcesses pipeline,
                Disruption disruption, PrintStream progress) {
        this.name = name;
        this.settings = settings;
        this.common = common;
        this.pipeline = pipeline;
        this.disruption = disruption;
        this.progress = progress;
    }

    Outcome run(List<VariantGenerations.Prompt> input) throws Exception {
        long started = System.nanoTime();
        long plannedPairs = input.stream().mapToLong(VariantGenerations.Prompt::pairs).sum();
        long deadline = started + settings.timeout().toNanos();
        int nextPrompt = 0;
        long fedPairs = 0;
        long sentGenerations = 0;
        long refused = 0;
        long nextReport = started + PROGRESS_EVERY.toNanos();
        long nextCheck = 0;
        Set<String> expected = Set.of();
        boolean completed = false;
        try (PrefProducer producer = PrefProducers.create(new IngestConfig(common), new Topics(common));
             TerminalAudit audit = new TerminalAudit(common);
             DatasetTable table = new DatasetTable(new SinkConfig(pipeline.settings("sink")))) {
            while (System.nanoTime() < deadline) {
                audit.update(POLL);
                while (nextPrompt < input.size() && fedPairs - audit.ended() < settings.backlog()) {
                    List<VariantGenerations.Prompt> chunk =
                        input.subList(nextPrompt, Math.min(input.size(), nextPrompt + PROMPTS_PER_FEED));
                    refused += send(producer, chunk);
                    sentGenerations += chunk.stream().mapToLong(p -> p.generations().size()).sum();
                    fedPairs += chunk.stream().mapToLong(VariantGenerations.Prompt::pairs).sum();
                    nextPrompt += chunk.size();
                }
                pipeline.checkNoneExited();
                disruption.onProgress((double) audit.ended() / plannedPairs);
                long now = System.nanoTime();
                if (now >= nextReport) {
                    progress.printf("[%4.0fs] fed %,d of %,d pairs | raw %,d | ended %,d | curated %,d | table %,d rows"
                            + " | %s%n", (now - started) / 1e9, fedPairs, plannedPairs, audit.rawPairs(), audit.ended(),
                        audit.curatedPairs(), table.rows(), disruption.status());
                    nextReport = now + PROGRESS_EVERY.toNanos();
                }
                boolean allFed = nextPrompt == input.size() && audit.generations() >= sentGenerations - refused;
                if (allFed && disruption.done() && now >= nextCheck && table.rows() == audit.curatedPairs()) {
                    nextCheck = now + CHECK_EVERY.toNanos();
                    expected = audit.expectedPairs();
                    if (audit.allEnded(expected)) {
                        completed = true;
                        break;
                    }
                }
            }
            if (!completed) {
                expected = audit.expectedPairs();
                progress.printf("campaign %s: not done within %s; see the stage logs in %s%n", name, settings.timeout(),
                    settings.dataDir());
            }
            return new Outcome(audit.findings(expected, table.rowsPerPair()), audit.deadLetterReasons(), completed,
                (System.nanoTime() - started) / 1e9, audit.generations(), refused);
        }
    }

    /** Sends the prompts' generations and waits for every acknowledgement; returns how many ingest refused. */
    private static int send(PrefProducer producer, List<VariantGenerations.Prompt> prompts) throws Exception {
        List<CompletableFuture<Accepted>> acks = new ArrayList<>();
        int refused = 0;
        for (VariantGenerations.Prompt prompt : prompts) {
            for (GenerationDraft generation : prompt.generations()) {
                try {
                    acks.add(producer.send(generation, "alpaca-eval-campaign", Map.of()));
                } catch (InvalidRecordException e) {
                    refused++;
                }
            }
        }
        producer.flush();
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(ACK_TIMEOUT_S, TimeUnit.SECONDS);
        return refused;
    }
}
