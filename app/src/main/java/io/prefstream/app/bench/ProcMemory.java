package io.prefstream.app.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A process's resident memory as Linux reports it in {@code /proc/<pid>/status}: VmRSS (resident now)
 * and VmHWM (the peak resident set since the process started, the "high water mark"), in KiB. Both
 * count everything resident: Java heap, metaspace, thread stacks, code cache, direct buffers and
 * native allocations such as RocksDB's.
 */
record ProcMemory(long rssKb, long peakRssKb) {

    /** The figures of a running process; fails with a clear message where there is no /proc. */
    static ProcMemory of(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        List<String> lines;
        try {
            lines = Files.readAllLines(status);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + status + " (Linux only; has the process exited?)", e);
        }
        return new ProcMemory(kilobytes(lines, "VmRSS:", status), kilobytes(lines, "VmHWM:", status));
    }

    private static long kilobytes(List<String> lines, String field, Path status) {
        for (String line : lines) {
            if (line.startsWith(field)) {
                // "VmHWM:\t  123456 kB"
                return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
            }
        }
        throw new IllegalStateException(status + " has no " + field + " line");
    }

    static long megabytes(long kb) {
        return Math.round(kb / 1024.0);
    }
}
