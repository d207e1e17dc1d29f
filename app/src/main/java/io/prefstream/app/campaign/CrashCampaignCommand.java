package io.prefstream.app.campaign;

import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prefstream campaign crash}: SIGKILL every stage process repeatedly; 0 lost, 0 duplicated. */
@Command(name = "crash", mixinStandardHelpOptions = true,
    description = {
        "Runs the broker, the schema registry and the reference inference server in this process and every stage "
            + "(pairing, consistency, labeler, sink) as its own process ('prefstream run <stage>'), feeds generations, "
            + "SIGKILLs each stage --kills-per-stage times at seeded random points and restarts it at once, then "
            + "checks with read_committed readers and the Iceberg table that every expected pair ended exactly once "
            + "(curated, rejected, review or a dead-letter topic) and that the table holds exactly the curated pairs "
            + "(accepted + flipped).",
        "Last line: 'campaign crash kills=N pairs=N lost=N duplicated=N ...'. Exit code 0 when nothing was lost or "
            + "duplicated, 1 otherwise or on timeout."})
public final class CrashCampaignCommand implements Callable<Integer> {

    @Mixin
    CampaignOptions options;

    @Option(names = "--pairs", defaultValue = "50000", description = "At least this many pairs (default: ${DEFAULT-VALUE}).")
    long pairs;

    @Option(names = "--kills-per-stage", defaultValue = "5",
        description = "SIGKILLs of each stage process (default: ${DEFAULT-VALUE}).")
    int killsPerStage;

    @Option(names = "--min-uptime", defaultValue = "PT20S",
        description = "A restarted stage is not killed again before it has run this long, ISO-8601 "
            + "(default: ${DEFAULT-VALUE}).")
    Duration minUptime;

    @Override
    public Integer call() throws Exception {
        CampaignSettings settings = options.settings("crash", pairs);
        CrashCampaign.Result result = CrashCampaign.run(settings, killsPerStage, minUptime, System.err);
        System.out.println("kills per stage: " + result.kills());
        result.outcome().print(System.out);
        return options.finish(settings, result.outcome().passed(), result.lastLine());
    }
}
