package io.prefstream.ingest.dedup;

import io.prefstream.ingest.cli.PairingCommand;
import picocli.CommandLine;

/** {@code run pairing} as its own process, for the crash test to SIGKILL. */
public final class PairingChild {
    private PairingChild() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new PairingCommand()).execute(args));
    }
}
