package io.prefstream.inference.reference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;

import io.prefstream.inference.proto.InferTensorContents;
import io.prefstream.inference.proto.ModelInferResponse;
import io.prefstream.inference.proto.ModelInferResponse.InferOutputTensor;

/** Ways the reference server can break a correct response, to test that clients notice. */
public enum Malformation {
    /** No outputs at all. */
    MISSING_OUTPUT {
        @Override
        ModelInferResponse apply(ModelInferResponse response) {
            return response.toBuilder().clearOutputs().clearRawOutputContents().build();
        }
    },
    /** The first output holds one element fewer than the batch. */
    WRONG_COUNT {
        @Override
        ModelInferResponse apply(ModelInferResponse response) {
            ModelInferResponse.Builder b = response.toBuilder();
            InferOutputTensor out = response.getOutputs(0);
            InferOutputTensor.Builder o = out.toBuilder().setShape(0, Math.max(0, out.getShape(0) - 1));
            if (response.getRawOutputContentsCount() > 0) {
                ByteString raw = response.getRawOutputContents(0);
                int cut = "BYTES".equals(out.getDatatype()) ? lastElementStart(raw) : raw.size() - 4;
                b.setRawOutputContents(0, raw.substring(0, Math.max(0, cut)));
            } else {
                InferTensorContents c = out.getContents();
                InferTensorContents.Builder shorter = InferTensorContents.newBuilder();
                shorter.addAllFp32Contents(c.getFp32ContentsList().subList(0, Math.max(0, c.getFp32ContentsCount() - 1)));
                shorter.addAllBytesContents(c.getBytesContentsList().subList(0, Math.max(0, c.getBytesContentsCount() - 1)));
                o.setContents(shorter);
            }
            return b.setOutputs(0, o).build();
        }
    },
    /** The first output claims another datatype (FP64 for FP32, FP32 for BYTES). */
    WRONG_DATATYPE {
        @Override
        ModelInferResponse apply(ModelInferResponse response) {
            InferOutputTensor out = response.getOutputs(0);
            String other = "FP32".equals(out.getDatatype()) ? "FP64" : "FP32";
            return response.toBuilder().setOutputs(0, out.toBuilder().setDatatype(other)).build();
        }
    },
    /** Contents that cannot be decoded: raw bytes cut short mid-element, or BYTES that are not UTF-8. */
    UNDECODABLE {
        @Override
        ModelInferResponse apply(ModelInferResponse response) {
            if (response.getRawOutputContentsCount() > 0) {
                ByteString raw = response.getRawOutputContents(0);
                return response.toBuilder().setRawOutputContents(0, raw.substring(0, Math.max(0, raw.size() - 2))).build();
            }
            InferOutputTensor out = response.getOutputs(0);
            List<ByteString> garbage = new ArrayList<>();
            out.getContents().getBytesContentsList().forEach(e -> garbage.add(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xfe})));
            InferTensorContents.Builder c = out.getContents().toBuilder().clearBytesContents().addAllBytesContents(garbage);
            if (garbage.isEmpty()) {
                c.clearFp32Contents().addFp32Contents(Float.NaN);
            }
            return response.toBuilder().setOutputs(0, out.toBuilder().setContents(c)).build();
        }
    };

    abstract ModelInferResponse apply(ModelInferResponse response);

    private static int lastElementStart(ByteString raw) {
        ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int last = 0;
        while (buffer.remaining() >= 4) {
            last = buffer.position();
            int length = buffer.getInt();
            buffer.position(Math.min(buffer.limit(), buffer.position() + length));
        }
        return last;
    }
}
