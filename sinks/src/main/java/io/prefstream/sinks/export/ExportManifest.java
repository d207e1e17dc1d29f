package io.prefstream.sinks.export;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * {@code manifest.json} of an export: which snapshot it is, how many rows, and each shard with its
 * row count, size and SHA-256, so a trainer can verify what it read. Holds no wall-clock time: two
 * exports of one snapshot give byte-identical manifests.
 *
 * @param table          the table exported
 * @param snapshotId     the snapshot the export is pinned to
 * @param snapshotMillis when that snapshot was committed (epoch milliseconds)
 * @param format         {@link ExportFormat#cliName()}
 * @param columns        the exported columns, in order
 * @param rowCount       rows over all shards
 * @param shards         the shard files, in order
 */
@JsonPropertyOrder({"table", "snapshot_id", "snapshot_timestamp_ms", "format", "columns", "row_count", "shards"})
public record ExportManifest(
    @JsonProperty("table") String table,
    @JsonProperty("snapshot_id") long snapshotId,
    @JsonProperty("snapshot_timestamp_ms") long snapshotMillis,
    @JsonProperty("format") String format,
    @JsonProperty("columns") List<String> columns,
    @JsonProperty("row_count") long rowCount,
    @JsonProperty("shards") List<Shard> shards) {

    public static final String FILE_NAME = "manifest.json";

    /**
     * One shard file.
     *
     * @param file   file name, relative to the manifest
     * @param rows   rows in it
     * @param bytes  its size
     * @param sha256 lowercase hex SHA-256 of its bytes
     */
    @JsonPropertyOrder({"file", "rows", "bytes", "sha256"})
    public record Shard(
        @JsonProperty("file") String file,
        @JsonProperty("rows") long rows,
        @JsonProperty("bytes") long bytes,
        @JsonProperty("sha256") String sha256) {}
}
