package io.prefstream.inference.client;

import io.grpc.Status;

/**
 * The server answered, but the answer does not fit the model's contract: missing or extra outputs,
 * the wrong datatype, the wrong number of elements, or BYTES that do not decode. Not retried: the
 * same server would most likely answer the same way. Counts as an endpoint failure for the circuit
 * breaker.
 */
public class MalformedResponseException extends InferenceException {
    public MalformedResponseException(String model, String message) {
        super(model, Status.Code.DATA_LOSS, "malformed response from model '" + model + "': " + message);
    }
}
