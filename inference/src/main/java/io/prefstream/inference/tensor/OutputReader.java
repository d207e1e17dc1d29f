package io.prefstream.inference.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;

import io.prefstream.inference.client.MalformedResponseException;
import io.prefstream.inference.proto.InferTensorContents;
import io.prefstream.inference.proto.ModelInferResponse;
import io.prefstream.inference.proto.ModelInferResponse.InferOutputTensor;

/**
 * Reads one named output of a {@link ModelInferResponse}, from {@code raw_output_contents} when the
 * server used it (Triton does) and from the typed {@code contents} otherwise, checking datatype and
 * element count. Every mismatch is a {@link MalformedResponseException} naming model, tensor,
 * expected and actual.
 */
public final class OutputReader {
    private final ModelInferResponse response;
    private final String model;

    public OutputReader(ModelInferResponse response, String model) {
        this.response = response;
        this.model = model;
        int raw = response.getRawOutputContentsCount();
        if (raw != 0 && raw != response.getOutputsCount()) {
            throw malformed("raw_output_contents has " + raw + " entries for " + response.getOutputsCount()
                + " outputs");
        }
    }

    /** FP32 output with exactly {@code expectedCount} elements. */
    public float[] fp32(String name, int expectedCount) {
        int index = indexOf(name, "FP32");
        checkCount(name, index, expectedCount);
        float[] values = new float[expectedCount];
        if (response.getRawOutputContentsCount() > 0) {
            ByteString raw = response.getRawOutputContents(index);
            if (raw.size() != 4L * expectedCount) {
                throw malformed("output '" + name + "': raw FP32 contents have " + raw.size() + " bytes, expected "
                    + 4L * expectedCount);
            }
            ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < expectedCount; i++) {
                values[i] = buffer.getFloat();
            }
        } else {
            InferTensorContents contents = response.getOutputs(index).getContents();
            if (contents.getFp32ContentsCount() != expectedCount) {
                throw malformed("output '" + name + "': typed contents hold " + contents.getFp32ContentsCount()
                    + " FP32 values, expected " + expectedCount);
            }
            for (int i = 0; i < expectedCount; i++) {
                values[i] = contents.getFp32Contents(i);
            }
        }
        return values;
    }

    /** BYTES output decoded as UTF-8 strings, as many as its shape says. */
    public List<String> strings(String name) {
        int index = indexOf(name, "BYTES");
        int count = elementCount(response.getOutputs(index));
        List<ByteString> elements;
        if (response.getRawOutputContentsCount() > 0) {
            try {
                elements = BytesTensor.decode(response.getRawOutputContents(index), count);
            } catch (IllegalArgumentException e) {
                throw malformed("output '" + name + "': " + e.getMessage());
            }
        } else {
            elements = response.getOutputs(index).getContents().getBytesContentsList();
            if (elements.size() != count) {
                throw malformed("output '" + name + "': typed contents hold " + elements.size()
                    + " BYTES elements, shape says " + count);
            }
        }
        List<String> strings = new ArrayList<>(elements.size());
        for (ByteString element : elements) {
            try {
                strings.add(BytesTensor.utf8(element));
            } catch (IllegalArgumentException e) {
                throw malformed("output '" + name + "': " + e.getMessage());
            }
        }
        return strings;
    }

    private int indexOf(String name, String datatype) {
        List<String> present = new ArrayList<>();
        for (int i = 0; i < response.getOutputsCount(); i++) {
            InferOutputTensor output = response.getOutputs(i);
            if (output.getName().equals(name)) {
                if (!output.getDatatype().equals(datatype)) {
                    throw malformed("output '" + name + "': expected datatype " + datatype + ", actual "
                        + output.getDatatype());
                }
                return i;
            }
            present.add(output.getName());
        }
        throw malformed("output '" + name + "' missing; outputs present: " + present);
    }

    private void checkCount(String name, int index, int expectedCount) {
        int actual = elementCount(response.getOutputs(index));
        if (actual != expectedCount) {
            throw malformed("output '" + name + "': expected " + expectedCount + " elements, actual " + actual
                + " (shape " + response.getOutputs(index).getShapeList() + ")");
        }
    }

    private int elementCount(InferOutputTensor output) {
        long count = 1;
        for (long dim : output.getShapeList()) {
            if (dim < 0) {
                throw malformed("output '" + output.getName() + "' has a negative dimension in shape "
                    + output.getShapeList());
            }
            count *= dim;
        }
        if (count > Integer.MAX_VALUE) {
            throw malformed("output '" + output.getName() + "' shape " + output.getShapeList() + " is too large");
        }
        return (int) count;
    }

    private MalformedResponseException malformed(String message) {
        return new MalformedResponseException(model, message);
    }
}
