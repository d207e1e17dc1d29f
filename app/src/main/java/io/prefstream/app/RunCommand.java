package io.prefstream.app;

import io.prefstream.consistency.RunConsistencyCommand;
import io.prefstream.ingest.cli.PairingCommand;
import io.prefstream.labeler.RunLabelerCommand;
import io.prefstream.sinks.cli.RunSinkCommand;
import picocli.CommandLine.Command;

/** {@code prefstream run <stage>}: one pipeline stage against any cluster, registry and inference endpoint. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Runs one pipeline stage until SIGINT/SIGTERM; each takes --config FILE and lists its settings in --help."},
    subcommands = {PairingCommand.class, RunConsistencyCommand.class, RunLabelerCommand.class, RunSinkCommand.class})
public final class RunCommand {}
