package io.prefstream.ingest.validate;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a record, so one pass reports them all rather than the first only. */
public final class Problems {
    private final List<Problem> found = new ArrayList<>();

    public void add(String field, String reason) {
        found.add(new Problem(field, reason));
    }

    public void add(Problem problem) {
        found.add(problem);
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public List<Problem> list() {
        return List.copyOf(found);
    }

    /** Throws if anything was found. */
    public void throwIfAny() throws InvalidRecordException {
        if (!found.isEmpty()) {
            throw new InvalidRecordException(found);
        }
    }
}
