package io.prefstream.app.campaign;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.schemas.topic.TopicsConfig;

/**
 * The crash campaign. The broker, the registry and the reference inference server run in this process
 * and are never killed; each stage runs as its own process and is SIGKILLed {@code killsPerStage} times
 * at seeded random points, restarted at once over the same state each time.
 */
final class CrashCampaign {

    /** Kills per stage and what the readers found. */
    record Result(Map<String, Integer> kills, CampaignRun.Outcome outcome) {
        int totalKills() {
            return kills.values().stream().mapToInt(Integer::intValue).sum();
        }

        String lastLine() {
            return "campaign crash kills=" + totalKills() + " " + outcome.figures();
        }
    }

    private CrashCampaign() {
    }

    static Result run(CampaignSettings settings, int killsPerStage, Duration minUptime, PrintStream progress)
        throws Exception {
        List<VariantGenerations.Prompt> input = VariantGenerations.atLeast(settings.input(), settings.pairs());
        progress.printf("campaign crash: %,d prompts making %,d pairs from %s; %d SIGKILLs per stage (seed %d)%n",
            input.size(), input.stream().mapToLong(VariantGenerations.Prompt::pairs).sum(), settings.input(),
            killsPerStage, settings.seed());
        Map<String, String> topics = Map.of(TopicsConfig.PARTITIONS, Integer.toString(settings.partitions()));
        try (CampaignStack stack = CampaignStack.start(settings.dataDir(), ReferenceServerSettings.defaults(), topics);
             PipelineProcesses pipeline = PipelineProcesses.start(settings.dataDir(), stack.settings(),
                 settings.stageHeap())) {
            progress.println("campaign crash: " + stack.readyLine());
            StageKills kills = new StageKills(pipeline, killsPerStage, settings.seed(), minUptime, progress);
            CampaignRun.Outcome outcome = new CampaignRun("crash", settings, stack.settings(), pipeline, kills, progress)
                .run(input);
            return new Result(pipeline.kills(), outcome);
        }
    }
}
