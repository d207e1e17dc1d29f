package io.prefstream.app;

import io.prefstream.consistency.RunConsistencyCommand;
import io.prefstream.ingest.cli.PairingCommand;
import picocli.CommandLine.Command;

/** {@code prefstream run <stage>}: one pipeline stage against any cluster, registry and inference endpoint. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Runs one pipeline stage until SIGINT/SIGTERM; each takes --config FILE and lists its settings in --help."},
    subcommands = {PairingCommand.class, RunConsistencyCommand.class})
public final class RunCommand {}
