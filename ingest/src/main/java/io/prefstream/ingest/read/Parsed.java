package io.prefstream.ingest.read;

import java.util.List;

import io.prefstream.ingest.validate.Problem;

/** One record of an input, by line number: its draft, or the problems that refused it. */
public record Parsed<T>(long line, T value, List<Problem> problems) {
    public static <T> Parsed<T> accepted(long line, T value) {
        return new Parsed<>(line, value, List.of());
    }

    public static <T> Parsed<T> refused(long line, List<Problem> problems) {
        return new Parsed<>(line, null, List.copyOf(problems));
    }

    public boolean isValid() {
        return problems.isEmpty();
    }
}
