package io.prefstream.inference.client;

import java.util.List;

/**
 * What the client expects of one model input or output: its name, datatype and a shape rule.
 * Shapes are rules rather than exact lists because the same contract is legitimately declared in
 * several ways: Triton reports {@code [-1, 1]} for a batching model with {@code dims: [1]}, while
 * the reference server declares {@code [-1]}.
 */
public record TensorSpec(String name, String datatype, ShapeRule shape) {

    public enum ShapeRule {
        /** One element per batch item: {@code [-1]} or {@code [-1, 1]}. */
        BATCH_OF_SCALARS("[-1] or [-1,1]") {
            @Override
            boolean accepts(List<Long> shape) {
                return !shape.isEmpty() && shape.get(0) == -1 && shape.stream().skip(1).allMatch(d -> d == 1);
            }
        },
        /** One element per request: {@code [1]}, {@code [-1]} or {@code [-1, 1]}. */
        SINGLE_ELEMENT("[1], [-1] or [-1,1]") {
            @Override
            boolean accepts(List<Long> shape) {
                return !shape.isEmpty() && shape.stream().allMatch(d -> d == 1 || d == -1)
                    && shape.stream().skip(1).allMatch(d -> d == 1);
            }
        },
        /** Any shape (variable-length outputs such as generated text). */
        ANY("any shape") {
            @Override
            boolean accepts(List<Long> shape) {
                return true;
            }
        };

        private final String description;

        ShapeRule(String description) {
            this.description = description;
        }

        abstract boolean accepts(List<Long> shape);

        @Override
        public String toString() {
            return description;
        }
    }
}
