package io.prefstream.inference.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import io.prefstream.inference.bench.InferenceBenchmarkCommand;
import picocli.CommandLine;

/** The commands the launcher mounts document every switch with its default. */
class CommandsTest {
    @Test
    void inferServerHelpListsEverySwitchWithDefaults() {
        String usage = new CommandLine(new InferServerCommand()).getUsageMessage();
        assertThat(usage).startsWith("Usage: infer-server").contains("--port", "--latency-ms-per-batch",
            "--latency-ms-per-item", "--max-batch", "--instances", "--judge-queue-delay-ms", "--error-rate", "--malformed-rate", "--seed",
            "--tls-certificate", "--require-header", "(default: 8001)", "(default: 64)");
    }

    @Test
    void benchmarkHelpNamesItsLastLine() {
        String usage = new CommandLine(new InferenceBenchmarkCommand()).getUsageMessage();
        assertThat(usage).startsWith("Usage: inference").contains("capacity_share", "--latency-ms-per-batch",
            "(default: 20)", "--instances", "(default: 2)");
    }

    @Test
    void badSwitchValuesAreRejectedWithTheirName() {
        CommandLine cli = new CommandLine(new InferServerCommand());
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("--max-batch", "many")).isNotZero();
        assertThat(err.toString()).contains("--max-batch").contains("many");
    }
}
