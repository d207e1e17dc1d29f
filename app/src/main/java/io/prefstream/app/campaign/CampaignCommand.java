package io.prefstream.app.campaign;

import picocli.CommandLine.Command;

/** {@code prefstream campaign <name>}: the resilience campaigns (issue 9); each prints its figures last. */
@Command(name = "campaign", mixinStandardHelpOptions = true,
    description = {"Resilience campaigns: scripted, bounded in time; each prints its counts and a last line "
        + "'campaign <name> key=value ...', and exits 0 only if nothing was lost or duplicated.",
        "See docs/RESILIENCE.md for the sizes run in CI and by hand."},
    subcommands = {CrashCampaignCommand.class, BrokerRestartCampaignCommand.class, FaultsCampaignCommand.class,
        BadInputCampaignCommand.class})
public final class CampaignCommand {}
