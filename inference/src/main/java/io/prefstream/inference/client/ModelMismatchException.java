package io.prefstream.inference.client;

import io.grpc.Status;

/**
 * The deployed model is not the one this client was configured for: it is missing, not ready, or
 * its inputs and outputs differ in name, datatype or shape. Raised by the readiness check at start,
 * with a message naming the model, the tensor, the expected value and the actual one.
 */
public class ModelMismatchException extends InferenceException {
    public ModelMismatchException(String model, String message) {
        super(model, Status.Code.FAILED_PRECONDITION, message);
    }
}
