package io.prefstream.ingest.read;

import io.prefstream.ingest.validate.Problem;

/**
 * One line of an input file: its 1-based number and its text, or the problem that kept it from
 * being read (invalid UTF-8, over the size limit); exactly one of {@code text} and {@code problem} is set.
 */
public record SourceLine(long number, String text, Problem problem) {
    public boolean isReadable() {
        return problem == null;
    }
}
