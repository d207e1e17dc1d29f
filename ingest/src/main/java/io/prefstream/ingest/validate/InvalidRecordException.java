package io.prefstream.ingest.validate;

import java.util.List;
import java.util.stream.Collectors;

/** A record was refused; {@link #problems()} names every field at fault and why. */
public class InvalidRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public InvalidRecordException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid record needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public InvalidRecordException(String field, String reason) {
        this(List.of(new Problem(field, reason)));
    }

    public List<Problem> problems() {
        return problems;
    }
}
