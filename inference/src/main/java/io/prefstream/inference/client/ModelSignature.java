package io.prefstream.inference.client;

import java.util.ArrayList;
import java.util.List;

import io.prefstream.inference.proto.ModelMetadataResponse;
import io.prefstream.inference.proto.ModelMetadataResponse.TensorMetadata;

/**
 * The inputs and outputs a facade relies on. {@link #check} compares them with what the server
 * reports through ModelMetadata and names the model, the tensor, the expected value and the actual
 * one for the first difference. Extra tensors on the server are fine (Triton's vLLM backend has
 * optional inputs PrefStream does not use).
 */
public record ModelSignature(ModelRef model, List<TensorSpec> inputs, List<TensorSpec> outputs) {

    public void check(ModelMetadataResponse metadata) {
        List<String> problems = new ArrayList<>();
        checkAll("input", inputs, metadata.getInputsList(), problems);
        checkAll("output", outputs, metadata.getOutputsList(), problems);
        if (!problems.isEmpty()) {
            throw new ModelMismatchException(model.name(), "model " + model + " does not match: "
                + String.join("; ", problems));
        }
    }

    /** The declared shape of a checked input, for callers that adapt to {@code [-1]} vs {@code [-1,1]}. */
    public static List<Long> shapeOf(ModelMetadataResponse metadata, String input) {
        return metadata.getInputsList().stream().filter(t -> t.getName().equals(input)).findFirst()
            .map(TensorMetadata::getShapeList).orElseThrow();
    }

    private void checkAll(String kind, List<TensorSpec> expected, List<TensorMetadata> actual, List<String> problems) {
        for (TensorSpec spec : expected) {
            TensorMetadata found = actual.stream().filter(t -> t.getName().equals(spec.name())).findFirst().orElse(null);
            if (found == null) {
                problems.add(kind + " '" + spec.name() + "': expected " + spec.datatype() + " " + spec.shape()
                    + ", actual: no such " + kind + " (server declares " + describe(actual) + ")");
                continue;
            }
            if (!found.getDatatype().equals(spec.datatype())) {
                problems.add(kind + " '" + spec.name() + "': expected datatype " + spec.datatype() + ", actual "
                    + found.getDatatype());
            }
            if (!spec.shape().accepts(found.getShapeList())) {
                problems.add(kind + " '" + spec.name() + "': expected shape " + spec.shape() + ", actual "
                    + found.getShapeList());
            }
        }
    }

    private static String describe(List<TensorMetadata> tensors) {
        List<String> parts = new ArrayList<>();
        for (TensorMetadata t : tensors) {
            parts.add(t.getName() + " " + t.getDatatype() + " " + t.getShapeList());
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
