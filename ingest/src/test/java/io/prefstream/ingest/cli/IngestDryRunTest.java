package io.prefstream.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import io.prefstream.platform.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line without a broker: validation, summary, exit codes and usage errors. */
class IngestDryRunTest {
    record Run(int exitCode, String out, String err) {}

    static Run ingest(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new IngestCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void hhRlhfDryRunListsTheNineRejectedLinesAndExitsOne() {
        Run run = ingest("--format", "hh-rlhf", "--dry-run", "--progress", "off", SharedData.file(SharedData.HH_RLHF).toString());

        assertThat(run.exitCode()).isEqualTo(IngestCommand.EXIT_REJECTED);
        assertThat(run.out()).contains("(dry run: nothing sent)", "read      2312", "valid     2303", "rejected  9");
        assertThat(run.out().lines().filter(l -> l.startsWith("line ")))
            .hasSize(9)
            .anySatisfy(l -> assertThat(l).isEqualTo("line 87: chosen: empty text"))
            .anySatisfy(l -> assertThat(l).startsWith("line 1255: prompt: chosen and rejected differ before their last assistant turn"));
    }

    @Test
    void skipInvalidExitsZeroAndStillListsRejections() {
        Run run = ingest("--format", "hh-rlhf", "--dry-run", "--skip-invalid", "--progress", "off",
            SharedData.file(SharedData.HH_RLHF).toString());

        assertThat(run.exitCode()).isEqualTo(IngestCommand.EXIT_OK);
        assertThat(run.out()).contains("rejected  9", "line 2037: prompt:");
    }

    @Test
    void alpacaEvalDryRunIsAllValidAndShowsProgressLines() {
        Run run = ingest("--format", "generations", "--dry-run", "--progress", "lines", "--progress-interval", "0.001",
            SharedData.file(SharedData.ALPACA_EVAL).toString());

        assertThat(run.exitCode()).isEqualTo(IngestCommand.EXIT_OK);
        assertThat(run.out()).contains("read      4830", "valid     4830", "rejected  0");
        // the final progress line is printed on close, at 100%
        assertThat(run.err().lines().reduce((a, b) -> b)).hasValueSatisfying(last ->
            assertThat(last).startsWith("ingest: 100%  4,830 read  0 sent  0 rejected").contains("rec/s  ETA 0:00"));
    }

    @Test
    void wrongFormatRejectsEveryLineWithItsReason(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pairs.jsonl");
        Files.writeString(file, "{\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\"}\nnot json\n\n{\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"a\"}\n");

        Run trl = ingest("--format", "trl", "--dry-run", "--progress", "off", file.toString());
        assertThat(trl.exitCode()).isEqualTo(IngestCommand.EXIT_REJECTED);
        assertThat(trl.out()).contains("read      3", "valid     1", "rejected  2");
        assertThat(trl.out().lines().filter(l -> l.startsWith("line "))).containsExactly(
            "line 2: record: malformed JSON at column 1: Unrecognized token 'not': was expecting "
                + "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
            "line 4: rejected: identical to chosen");

        Run generations = ingest("--format", "generations", "--dry-run", "--progress", "off", file.toString());
        assertThat(generations.out()).contains("line 1: output|response: required", "line 1: generator|model: required");
    }

    @Test
    void usageErrorsExitTwo(@TempDir Path dir) {
        assertThat(ingest("--format", "csv", "x").exitCode()).isEqualTo(2);
        Run missing = ingest("--format", "trl", "--dry-run", dir.resolve("nope.jsonl").toString());
        assertThat(missing.exitCode()).isEqualTo(IngestCommand.EXIT_FAILED);
        assertThat(missing.err()).contains("cannot read");
        Run badLabel = ingest("--format", "trl", "--dry-run", "--label-source", "oracle", dir.resolve("nope.jsonl").toString());
        assertThat(badLabel.exitCode()).isEqualTo(2);
        assertThat(badLabel.err()).contains("--label-source: unknown value \"oracle\"");
    }

    @Test
    void helpListsOptionsAndConfigurationKeys() {
        Run help = ingest("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--format", "--dry-run", "--skip-invalid", "ingest.max.text.bytes", "bootstrap.servers");
    }
}
