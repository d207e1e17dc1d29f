package io.prefstream.ingest.read;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The file formats {@code ingest} reads, by their command-line names. */
public enum InputFormat {
    HH_RLHF("hh-rlhf", Kind.PAIRS),
    TRL("trl", Kind.PAIRS),
    GENERATIONS("generations", Kind.GENERATIONS),
    /** TRL columns (prompt, chosen, rejected) in a Parquet file. */
    PARQUET("parquet", Kind.PAIRS);

    /** Whether a format carries preference pairs or single generations. */
    public enum Kind { PAIRS, GENERATIONS }

    private final String cliName;
    private final Kind kind;

    InputFormat(String cliName, Kind kind) {
        this.cliName = cliName;
        this.kind = kind;
    }

    public String cliName() {
        return cliName;
    }

    public Kind kind() {
        return kind;
    }

    public static InputFormat ofCliName(String name) {
        return Arrays.stream(values()).filter(f -> f.cliName.equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown format \"" + name + "\" (known: " + names() + ")"));
    }

    public static String names() {
        return Arrays.stream(values()).map(InputFormat::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
