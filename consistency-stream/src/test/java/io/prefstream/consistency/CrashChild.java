package io.prefstream.consistency;

import picocli.CommandLine;

/** The stage as the crash test's child process runs it: the real command, with the arguments given. */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RunConsistencyCommand()).execute(args));
    }
}
