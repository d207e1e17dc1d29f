package io.prefstream.ingest.http;

import java.util.Map;

/** Ends a request with {@code status} and a JSON body {@code {"error": message, ...details}}. */
final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;

    final int status;
    final transient Map<String, Object> details;
    final transient Map<String, String> headers;

    HttpError(int status, String message) {
        this(status, message, Map.of(), Map.of());
    }

    HttpError(int status, String message, Map<String, Object> details, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.details = details;
        this.headers = headers;
    }
}
