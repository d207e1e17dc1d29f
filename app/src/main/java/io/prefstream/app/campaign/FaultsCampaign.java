package io.prefstream.app.campaign;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.prefstream.app.pipeline.StageProcess;
import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.reference.Malformation;
import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.schemas.topic.TopicsConfig;

/**
 * The inference-faults campaign: the stages start as their own processes while the inference server
 * is not up yet, and must wait for it; it then comes up failing a share of its requests (UNAVAILABLE)
 * and answering another share malformed (every kind, including undecodable judge text) for the whole
 * run; mid-run it goes away for a while, and later answers too slowly for the clients' deadlines for a
 * while. The stages are never restarted.
 */
final class FaultsCampaign {
    /** Per-batch latency of the slow window, well past {@link #CALL_TIMEOUT_MS}: every call in it times out. */
    static final double SLOW_LATENCY_MS = 15_000;
    static final long CALL_TIMEOUT_MS = 10_000;
    /** How long the inference stages may take to start and meet the missing server. */
    private static final Duration STARTUP = Duration.ofMinutes(3);
    /** What a stage logs when its start-up readiness check failed and will be tried again (InferenceClient). */
    private static final Pattern READINESS_RETRY = Pattern.compile("readiness check of model .*; trying again in");
    private static final List<String> INFERENCE_STAGES = List.of("consistency", "labeler");

    /** How hard and how long. */
    record Faults(double errorRate, double malformedRate, double downAt, Duration down, double slowAt, Duration slow) {}

    /**
     * How long the server was missing at start-up, the windows' durations, what the stages' /metrics
     * showed, and what the readers found.
     */
    record Result(double startupWaitSeconds, List<Double> windowSeconds, Map<String, FaultWatch.Seen> metrics,
                  CampaignRun.Outcome outcome) {
        String lastLine() {
            return String.format(Locale.ROOT, "campaign faults startup_wait_s=%.0f windows=%d max_circuit_state=%.0f "
                    + "retries=%.0f dlq=%d %s", startupWaitSeconds, windowSeconds.size(),
                metrics.values().stream().mapToDouble(FaultWatch.Seen::maxCircuitState).max().orElse(0),
                metrics.values().stream().mapToDouble(FaultWatch.Seen::retries).sum(),
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
        try (CampaignStack stack = CampaignStack.start(settings.dataDir(), faulty, topics);
             PipelineProcesses pipeline = startWithoutServer(stack, settings)) {
            progress.println("campaign faults: " + stack.readyLine());
            double startupWait = awaitReadinessRetries(pipeline);
            stack.startInference(faulty);
            progress.printf(Locale.ROOT, "campaign faults: %s retried their readiness check; the inference server "
                + "(errors %s, malformed %s from now on) is up after %.1f s%n", INFERENCE_STAGES, faults.errorRate(),
                faults.malformedRate(), startupWait);
            Outages windows = new Outages(List.of(
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
            return new Result(startupWait, watch.windowSeconds(), watch.seen(), outcome);
        }
    }

    /** The stages, started while the inference server is away (it is up again once they waited for it). */
    private static PipelineProcesses startWithoutServer(CampaignStack stack, CampaignSettings settings)
        throws IOException {
        stack.stopInference();
        return PipelineProcesses.start(settings.dataDir(), clientSettings(stack), settings.stageHeap());
    }

    /** Waits until every inference stage logged a failed readiness check it will try again; the seconds since start. */
    private static double awaitReadinessRetries(PipelineProcesses pipeline) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + STARTUP.toNanos();
        for (String stage : INFERENCE_STAGES) {
            StageProcess process = pipeline.stage(stage);
            while (!READINESS_RETRY.matcher(Files.readString(process.log())).find()) {
                pipeline.checkNoneExited();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the " + stage + " stage did not retry its readiness check within "
                        + STARTUP + "; the end of " + process.log() + ":\n" + process.logTail(30));
                }
                Thread.sleep(200);
            }
        }
        return (System.nanoTime() - start) / 1e9;
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
