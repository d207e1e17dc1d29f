package io.prefstream.app;

import io.prefstream.app.demo.DemoCommand;
import io.prefstream.inference.reference.InferServerCommand;
import io.prefstream.ingest.cli.IngestCommand;
import io.prefstream.ingest.cli.IngestServerCommand;
import io.prefstream.ops.LagCommand;
import io.prefstream.registry.RegistryCommand;
import io.prefstream.sinks.cli.ExportCommand;
import io.prefstream.sinks.cli.MaintenanceCommand;
import io.prefstream.sinks.cli.ReviewCommand;
import io.prefstream.sinks.table.SinkPositionSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code prefstream} launcher: one entry point, one subcommand per job. */
@Command(
    name = "prefstream",
    mixinStandardHelpOptions = true,
    versionProvider = PrefStreamCli.Version.class,
    description = "Streaming curation of LLM preference data on Kafka.",
    subcommands = {
        DemoCommand.class,
        LocalCommand.class,
        RegistryCommand.class,
        InferServerCommand.class,
        IngestCommand.class,
        IngestServerCommand.class,
        RunCommand.class,
        ExportCommand.class,
        ReviewCommand.class,
        MaintenanceCommand.class,
        BenchCommand.class,
        io.prefstream.app.campaign.CampaignCommand.class,
        CommandLine.HelpCommand.class
    })
public final class PrefStreamCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PrefStreamCli());
        // the sink's position lives in the table's snapshots, not in a consumer group
        cli.addSubcommand("lag", new LagCommand(SinkPositionSource::sources));
        cli.getCommandSpec().usageMessage().sortOptions(false);
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = PrefStreamCli.class.getPackage().getImplementationVersion();
            return new String[] {"prefstream " + (version == null ? "dev" : version)};
        }
    }
}
