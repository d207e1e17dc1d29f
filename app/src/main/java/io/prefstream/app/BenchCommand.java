package io.prefstream.app;

import io.prefstream.app.bench.EconomyBenchmarkCommand;
import io.prefstream.app.bench.LatencyBenchmarkCommand;
import io.prefstream.app.bench.MemoryBenchmarkCommand;
import io.prefstream.app.bench.OverheadBenchmarkCommand;
import io.prefstream.app.bench.PipelineBenchmarkCommand;
import io.prefstream.inference.bench.InferenceBenchmarkCommand;
import io.prefstream.labeler.bench.LabelerBenchmarkCommand;
import picocli.CommandLine.Command;

/** {@code prefstream bench <name>}: benchmarks that measure their baseline in the same run and print ratios. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Runs a benchmark; each prints ratios against a baseline measured in the same run, "
        + "its figures on the last line as 'name key=value ...'."},
    subcommands = {InferenceBenchmarkCommand.class, LabelerBenchmarkCommand.class, PipelineBenchmarkCommand.class,
        EconomyBenchmarkCommand.class, OverheadBenchmarkCommand.class, LatencyBenchmarkCommand.class,
        MemoryBenchmarkCommand.class})
public final class BenchCommand {}
