package io.prefstream.ingest.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether standard error is an interactive terminal, where a redrawn progress bar makes sense. */
final class Terminal {
    private static final Path STDERR_LINK = Path.of("/proc/self/fd/2");

    private Terminal() {}

    /**
     * On Linux, from what file descriptor 2 points to (a tty or pseudo-tty device); elsewhere Java 17
     * cannot tell stderr apart, so it falls back to whether the JVM has a console at all.
     */
    static boolean stderrIsTerminal() {
        if (Files.isSymbolicLink(STDERR_LINK)) {
            try {
                String target = Files.readSymbolicLink(STDERR_LINK).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return System.console() != null;
    }
}
