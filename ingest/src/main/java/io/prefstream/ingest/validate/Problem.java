package io.prefstream.ingest.validate;

/**
 * Why one field of one record cannot be accepted. Printed as {@code field: reason}. A problem of
 * kind {@link Kind#TOO_LARGE} means a configured size limit was exceeded (HTTP answers 413 for it).
 */
public record Problem(String field, String reason, Kind kind) {
    public enum Kind { INVALID, TOO_LARGE }

    public Problem(String field, String reason) {
        this(field, reason, Kind.INVALID);
    }

    public static Problem tooLarge(String field, String reason) {
        return new Problem(field, reason, Kind.TOO_LARGE);
    }

    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
