package io.prefstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import io.prefstream.sinks.cli.Durations;
import io.prefstream.sinks.cli.ExportCommand;
import io.prefstream.sinks.cli.MaintenanceCommand;
import io.prefstream.sinks.cli.ReviewCommand;
import io.prefstream.sinks.cli.RunSinkCommand;
import io.prefstream.sinks.config.SinkConfig;
import picocli.CommandLine;

/** Every command renders its help with its options, defaults and the configuration keys; bad usage exits 2. */
class CommandHelpTest {
    @Test
    void helpListsOptionsDefaultsAndConfigKeys() {
        assertThat(help(new RunSinkCommand())).contains("--until-caught-up", "--[no-]gold", "(default: true)",
            SinkConfig.COMMIT_RECORDS, SinkConfig.COMMIT_INTERVAL_MS, "bootstrap.servers",
            "metrics.port (int, default 9400)", "metrics.host (string, default 0.0.0.0)");
        assertThat(help(new MaintenanceCommand())).contains("--expire-older-than", "(default: 7d)",
            "--orphans-older-than", "(default: 1d)", "--retain-last", "--dry-run", SinkConfig.CATALOG_TYPE);
        assertThat(help(new ExportCommand())).contains("--format", "trl-parquet or trl-jsonl", "--snapshot",
            "(default: latest)", "--out", "--rows-per-shard", "(default: 100000)").doesNotContain("metrics.port");
        assertThat(help(new ReviewCommand())).contains("export", "import");
        assertThat(help(new CommandLine(new ReviewCommand()).getSubcommands().get("import").getCommand()))
            .contains("FILE.jsonl", "--[no-]sync-gold", "line number");
    }

    @Test
    void badUsageNamesTheProblem() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ExportCommand());
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("--format", "csv", "--out", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown export format 'csv' (known: trl-parquet, trl-jsonl)");
        assertThat(Durations.parse("90s")).hasSeconds(90);
        assertThat(Durations.parse("PT2M")).hasMinutes(2);
        assertThat(Durations.parse("7d")).hasDays(7);
        CommandLine maintenance = new CommandLine(new MaintenanceCommand());
        maintenance.setErr(new PrintWriter(err, true));
        assertThat(maintenance.execute("--expire-older-than", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");
    }

    private static String help(Object command) {
        return new CommandLine(command).getUsageMessage();
    }
}
