package io.prefstream.sinks.export;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Shard formats trainers read: TRL's preference columns plus metadata, as Parquet or JSON lines. */
public enum ExportFormat {
    TRL_PARQUET("trl-parquet", ".parquet"),
    TRL_JSONL("trl-jsonl", ".jsonl");

    private final String cliName;
    private final String extension;

    ExportFormat(String cliName, String extension) {
        this.cliName = cliName;
        this.extension = extension;
    }

    public String cliName() {
        return cliName;
    }

    public String extension() {
        return extension;
    }

    public static ExportFormat of(String name) {
        return Arrays.stream(values()).filter(f -> f.cliName.equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown export format '" + name + "' (known: "
                + Arrays.stream(values()).map(ExportFormat::cliName).collect(Collectors.joining(", ")) + ")"));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
