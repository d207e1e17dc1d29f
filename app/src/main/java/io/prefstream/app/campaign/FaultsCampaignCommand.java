package io.prefstream.app.campaign;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prefstream campaign faults}: inference errors, malformed answers, an outage and timeouts; 0 lost. */
@Command(name = "faults", mixinStandardHelpOptions = true,
    description = {
        "Runs the broker, the schema registry and a reference inference server in this process and every "
            + "stage as its own process. The stages start while the server is still away and must wait for it "
            + "(their readiness check retries); it then comes up failing --error-rate of its requests (UNAVAILABLE) "
            + "and answering --malformed-rate malformed (missing output, wrong count, wrong datatype, undecodable "
            + "text), goes away for --down at --down-at of the pairs ended, and answers slower than the clients' "
            + "10 s call deadline (15 s per batch) for --slow at --slow-at. The stages are never restarted. Prints "
            + "what their /metrics showed (circuit state, retries, failed calls) and the dead letters by stage, error "
            + "and attempts, then checks as the crash campaign does that every expected pair ended exactly once.",
        "Last line: 'campaign faults startup_wait_s=N windows=N max_circuit_state=N retries=N dlq=N pairs=N lost=N duplicated=N "
            + "...'. Exit code 0 when nothing was lost or duplicated, 1 otherwise or on timeout."})
public final class FaultsCampaignCommand implements Callable<Integer> {

    @Mixin
    CampaignOptions options;

    @Option(names = "--pairs", defaultValue = "20000", description = "At least this many pairs (default: ${DEFAULT-VALUE}).")
    long pairs;

    @Option(names = "--error-rate", defaultValue = "0.10",
        description = "Share of inference requests failed with UNAVAILABLE (default: ${DEFAULT-VALUE}).")
    double errorRate;

    @Option(names = "--malformed-rate", defaultValue = "0.02",
        description = "Share of inference requests answered malformed (default: ${DEFAULT-VALUE}).")
    double malformedRate;

    @Option(names = "--down-at", defaultValue = "0.3",
        description = "Share of the pairs ended at which the server goes away (default: ${DEFAULT-VALUE}).")
    double downAt;

    @Option(names = "--down", defaultValue = "PT30S", description = "How long it stays away (default: ${DEFAULT-VALUE}).")
    Duration down;

    @Option(names = "--slow-at", defaultValue = "0.6",
        description = "Share of the pairs ended at which it turns too slow (default: ${DEFAULT-VALUE}).")
    double slowAt;

    @Option(names = "--slow", defaultValue = "PT20S", description = "How long it stays too slow (default: ${DEFAULT-VALUE}).")
    Duration slow;

    @Override
    public Integer call() throws Exception {
        CampaignSettings settings = options.settings("faults", pairs);
        FaultsCampaign.Result result = FaultsCampaign.run(settings,
            new FaultsCampaign.Faults(errorRate, malformedRate, downAt, down, slowAt, slow), System.err);
        System.out.printf(Locale.ROOT, "server missing at start-up (s): %.1f%n", result.startupWaitSeconds());
        System.out.println("fault windows (s): " + result.windowSeconds());
        result.metrics().forEach((stage, seen) -> System.out.println(stage + " /metrics: " + seen));
        result.outcome().print(System.out);
        return options.finish(settings, result.outcome().passed(), result.lastLine());
    }
}
