package io.prefstream.inference.client;

import io.grpc.Status;

/**
 * An inference call that did not produce a result. Always names the model and carries the gRPC
 * status code that ended it, so callers (and the retry policy) can tell a sick endpoint from a bad
 * request.
 */
public class InferenceException extends RuntimeException {
    private final String model;
    private final Status.Code code;

    public InferenceException(String model, Status.Code code, String message, Throwable cause) {
        super(message, cause);
        this.model = model;
        this.code = code;
    }

    public InferenceException(String model, Status.Code code, String message) {
        this(model, code, message, null);
    }

    public String model() {
        return model;
    }

    public Status.Code code() {
        return code;
    }
}
