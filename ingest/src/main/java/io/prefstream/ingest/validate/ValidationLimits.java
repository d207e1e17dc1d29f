package io.prefstream.ingest.validate;

/**
 * Size limits, in UTF-8 bytes: of any one text (a prompt message, a response, a generator name),
 * and of one whole record (a file line or one item of an HTTP request).
 */
public record ValidationLimits(int maxTextBytes, int maxRecordBytes) {
    public static final int DEFAULT_MAX_TEXT_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_RECORD_BYTES = 4 << 20;
    public static final ValidationLimits DEFAULTS = new ValidationLimits(DEFAULT_MAX_TEXT_BYTES, DEFAULT_MAX_RECORD_BYTES);

    public ValidationLimits {
        if (maxTextBytes <= 0 || maxRecordBytes <= 0) {
            throw new IllegalArgumentException("size limits must be positive");
        }
    }
}
