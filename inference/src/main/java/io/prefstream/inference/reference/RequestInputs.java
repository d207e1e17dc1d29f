package io.prefstream.inference.reference;

import java.util.List;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusException;
import io.prefstream.inference.proto.ModelInferRequest;
import io.prefstream.inference.proto.ModelInferRequest.InferInputTensor;
import io.prefstream.inference.tensor.BytesTensor;

/** Server-side reading of request inputs, raw or typed, with INVALID_ARGUMENT for anything off. */
final class RequestInputs {
    private final ModelInferRequest request;

    RequestInputs(ModelInferRequest request) throws StatusException {
        this.request = request;
        int raw = request.getRawInputContentsCount();
        if (raw != 0 && raw != request.getInputsCount()) {
            throw invalid("raw_input_contents has " + raw + " entries for " + request.getInputsCount() + " inputs");
        }
    }

    InferInputTensor tensor(String name, String datatype) throws StatusException {
        for (InferInputTensor input : request.getInputsList()) {
            if (input.getName().equals(name)) {
                if (!input.getDatatype().equals(datatype)) {
                    throw invalid("input '" + name + "' has datatype " + input.getDatatype() + ", expected " + datatype);
                }
                return input;
            }
        }
        return null;
    }

    InferInputTensor required(String name, String datatype) throws StatusException {
        InferInputTensor input = tensor(name, datatype);
        if (input == null) {
            throw invalid("expected input '" + name + "' (" + datatype + ") for model '" + request.getModelName() + "'");
        }
        return input;
    }

    static long elements(InferInputTensor input) throws StatusException {
        long count = 1;
        for (long d : input.getShapeList()) {
            if (d < 0) {
                throw invalid("input '" + input.getName() + "' has a negative dimension in " + input.getShapeList());
            }
            count *= d;
        }
        return count;
    }

    List<ByteString> bytes(InferInputTensor input) throws StatusException {
        int count = (int) elements(input);
        if (request.getRawInputContentsCount() == 0) {
            List<ByteString> typed = input.getContents().getBytesContentsList();
            if (typed.size() != count) {
                throw invalid("input '" + input.getName() + "' holds " + typed.size() + " elements, shape says " + count);
            }
            return typed;
        }
        try {
            return BytesTensor.decode(request.getRawInputContents(request.getInputsList().indexOf(input)), count);
        } catch (IllegalArgumentException e) {
            throw invalid("input '" + input.getName() + "': " + e.getMessage());
        }
    }

    /** A one-element BOOL input, or {@code fallback} when the optional input is absent. */
    boolean bool(String name, boolean fallback) throws StatusException {
        InferInputTensor input = tensor(name, "BOOL");
        if (input == null) {
            return fallback;
        }
        if (elements(input) != 1) {
            throw invalid("input '" + name + "' must hold one element, shape " + input.getShapeList());
        }
        if (request.getRawInputContentsCount() == 0) {
            return input.getContents().getBoolContentsCount() > 0 && input.getContents().getBoolContents(0);
        }
        ByteString raw = request.getRawInputContents(request.getInputsList().indexOf(input));
        if (raw.size() != 1) {
            throw invalid("input '" + name + "': raw BOOL contents must be 1 byte, got " + raw.size());
        }
        return raw.byteAt(0) != 0;
    }

    static StatusException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asException();
    }
}
