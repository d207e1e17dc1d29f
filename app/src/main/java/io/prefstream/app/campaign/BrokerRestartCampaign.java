package io.prefstream.app.campaign;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.schemas.topic.TopicsConfig;

/**
 * The broker-restart campaign: the stages run as their own processes, untouched, while the in-process
 * broker is shut down cleanly mid-run, stays away for a while, and comes back on the same data and port.
 */
final class BrokerRestartCampaign {

    /** Seconds each outage lasted and what the readers found. */
    record Result(List<Double> secondsDown, CampaignRun.Outcome outcome) {
        String lastLine() {
            return String.format("campaign broker-restart restarts=%d down_s=%.0f %s", secondsDown.size(),
                secondsDown.stream().mapToDouble(Double::doubleValue).sum(), outcome.figures());
        }
    }

    private BrokerRestartCampaign() {
    }

    static Result run(CampaignSettings settings, List<Double> atShares, Duration downtime, PrintStream progress)
        throws Exception {
        List<VariantGenerations.Prompt> input = VariantGenerations.atLeast(settings.input(), settings.pairs());
        progress.printf("campaign broker-restart: %,d prompts making %,d pairs; broker restarts at %s of the pairs "
                + "ended, %s down each%n", input.size(), input.stream().mapToLong(VariantGenerations.Prompt::pairs).sum(),
            atShares, downtime);
        Map<String, String> topics = Map.of(TopicsConfig.PARTITIONS, Integer.toString(settings.partitions()));
        try (CampaignStack stack = CampaignStack.start(settings.dataDir(), ReferenceServerSettings.defaults(), topics);
             PipelineProcesses pipeline = PipelineProcesses.start(settings.dataDir(), stack.settings(),
                 settings.stageHeap())) {
            progress.println("campaign broker-restart: " + stack.readyLine());
            Outages restarts = new Outages(atShares.stream().map(share -> new Outages.Window("broker shut down", share,
                downtime, stack::stopBroker, stack::startBroker)).toList(), progress);
            CampaignRun.Outcome outcome = new CampaignRun("broker-restart", settings, stack.settings(), pipeline,
                restarts, progress).run(input);
            return new Result(restarts.secondsDown(), outcome);
        }
    }
}
