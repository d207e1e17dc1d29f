package io.prefstream.app.campaign;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prefstream campaign broker-restart}: restart the broker under running stages; 0 lost, 0 duplicated. */
@Command(name = "broker-restart", mixinStandardHelpOptions = true,
    description = {
        "Runs the broker, the schema registry and the reference inference server in this process and every stage "
            + "as its own process, feeds generations, and at each --at share of the pairs ended shuts the broker "
            + "down cleanly, keeps it away for --downtime and starts it again on the same data and port; the stages "
            + "are left running. Then checks, as the crash campaign does, that every expected pair ended exactly once "
            + "and that the table holds exactly the curated pairs.",
        "Last line: 'campaign broker-restart restarts=N down_s=N pairs=N lost=N duplicated=N ...'. Exit code 0 when "
            + "nothing was lost or duplicated, 1 otherwise or on timeout."})
public final class BrokerRestartCampaignCommand implements Callable<Integer> {

    @Mixin
    CampaignOptions options;

    @Option(names = "--pairs", defaultValue = "20000", description = "At least this many pairs (default: ${DEFAULT-VALUE}).")
    long pairs;

    @Option(names = "--at", split = ",", defaultValue = "0.3,0.6",
        description = "Shares of the pairs ended at which the broker restarts (default: ${DEFAULT-VALUE}).")
    List<Double> at;

    @Option(names = "--downtime", defaultValue = "PT20S",
        description = "How long the broker stays away each time, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration downtime;

    @Override
    public Integer call() throws Exception {
        CampaignSettings settings = options.settings("broker-restart", pairs);
        BrokerRestartCampaign.Result result = BrokerRestartCampaign.run(settings, at, downtime, System.err);
        System.out.println("broker outages (s): " + result.secondsDown());
        result.outcome().print(System.out);
        return options.finish(settings, result.outcome().passed(), result.lastLine());
    }
}
