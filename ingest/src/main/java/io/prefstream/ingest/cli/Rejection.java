package io.prefstream.ingest.cli;

import java.util.List;

import io.prefstream.ingest.validate.Problem;

/** A line of the input that was not sent, and why: printed as {@code line N: field: reason}, one per problem. */
record Rejection(long line, List<Problem> problems) {
    List<String> describe() {
        return problems.stream().map(p -> "line " + line + ": " + p).toList();
    }
}
