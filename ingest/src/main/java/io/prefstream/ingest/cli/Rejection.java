package io.prefstream.ingest.cli;

import java.util.List;

import io.prefstream.ingest.validate.Problem;

/**
 * A record of the input that was not sent, and why: printed as {@code line N: field: reason} (or
 * {@code row N} for Parquet), one per problem.
 */
record Rejection(String unit, long position, List<Problem> problems) {
    List<String> describe() {
        return problems.stream().map(p -> unit + " " + position + ": " + p).toList();
    }
}
