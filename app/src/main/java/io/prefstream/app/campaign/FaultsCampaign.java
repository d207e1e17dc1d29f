package io.prefstream.app.campaign;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.reference.Malformation;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.schemas.topic.TopicsConfig;

/**
 * The inference-faults campaign: the stages run as their own processes against a reference server
 * that fails a share of its requests (UNAVAILABLE) and answers another share malformed (every kind,
 * including undecodable judge text) for the whole run; mid-run the server goes away for a while, and
 * later answers too slowly for the clients' deadlines for a while. The stages are never restarted.
 */
final class FaultsCampaign {
    /** Per-batch latency of the slow window, well past {@link #CALL_TIMEOUT_MS}: every call in it times out. */
    static final double SLOW_LATENCY_MS = 15_000;
    static final long CALL_TIMEOUT_MS = 10_000;
    /**
     * The faults begin once this share of the pairs ended, so every stage is past its start-up and has shown
     * its healthy figures first; the start-up readiness check itself is tested against a late server in
     * {@code inference} (it retries transient failures for {@code inference.ready.timeout.ms}).
     */
    static final double FAULTS_FROM = 0.02;

    /** How hard and how long. */
    record Faults(double errorRate, double malformedRate, double downAt, Duration down, double slowAt, Duration slow) {}

    /** The windows' durations, what the stages' /metrics showed, and what the readers found. */
    record Result(List<Double> windowSeconds, Map<String, FaultWatch.Seen> metrics, CampaignRun.Outcome outcome) {
        String lastLine() {
            return String.format("campaign faults windows=%d max_circuit_state=%.0f retries=%.0f dlq=%d %s",
                windowSeconds.size(), metrics.values().stream().mapToDouble(FaultWatch.Seen::maxCircuitState).max()
                    .orElse(0), metrics.values().stream().mapToDouble(FaultWatch.Seen::retries).sum(),
                outcome.findings().deadLettered(), outcome.figures());
        }
    }

    private FaultsCampaign() {
    }

    static Result run(CampaignSettings settings, Faults faults, PrintStream progress) throws Exception {
        List<VariantGenerations.Prompt> input = VariantGenerations.atLeast(settings.input(), settings.pairs());
        progress.printf("campaign faults: %,d prompts making %,d pairs; %s%n", input.size(),
            input.stream().mapToLong(VariantGenerations.Prompt::pairs).sum(), faults);
        ReferenceServerSettings faulty = ReferenceServerSettings.defaults().withErrorRate(faults.errorRate())
            .withMalformed(faults.malformedRate(), List.of(Malformation.values()));
        Map<String, String> topics = Map.of(TopicsConfig.PARTITIONS, Integer.toString(settings.partitions()));
        try (CampaignStack stack = CampaignStack.start(settings.dataDir(), ReferenceServerSettings.defaults(), topics);
             PipelineProcesses pipeline = PipelineProcesses.start(settings.dataDir(), clientSettings(stack),
                 settings.stageHeap())) {
            progress.println("campaign faults: " + stack.readyLine());
            Outages windows = new Outages(List.of(
                new Outages.Window("inference errors " + faults.errorRate() + " and malformed answers "
                    + faults.malformedRate() + " from now on", FAULTS_FROM, Duration.ZERO, () -> restart(stack, faulty),
                    () -> { }),
                new Outages.Window("inference server down", faults.downAt(), faults.down(), stack::stopInference,
                    () -> stack.startInference(faulty)),
                new Outages.Window("inference answers after " + SLOW_LATENCY_MS + " ms (call deadline "
                    + CALL_TIMEOUT_MS + " ms)", faults.slowAt(), faults.slow(),
                    () -> restart(stack, faulty.withLatency(SLOW_LATENCY_MS, 0)), () -> restart(stack, faulty))),
                progress);
            FaultWatch watch = new FaultWatch(windows, pipeline);
            CampaignRun.Outcome outcome = new CampaignRun("faults", settings, stack.settings(), pipeline, watch, progress)
                .run(input);
            watch.scrape();
            return new Result(watch.windowSeconds(), watch.seen(), outcome);
        }
    }

    /** The stack's addresses plus call deadlines the slow window exceeds, yet long enough for a loaded start-up. */
    private static Map<String, String> clientSettings(CampaignStack stack) {
        Map<String, String> settings = new TreeMap<>(stack.settings());
        settings.put(InferenceConfig.REQUEST_TIMEOUT_MS, Long.toString(CALL_TIMEOUT_MS));
        settings.put(InferenceConfig.JUDGE_TIMEOUT_MS, Long.toString(CALL_TIMEOUT_MS));
        return settings;
    }

    private static void restart(CampaignStack stack, ReferenceServerSettings settings) {
        stack.stopInference();
        stack.startInference(settings);
    }
}
