package dev.qlanes.tflite.fuzz;

import dev.qlanes.tflite.UnsupportedModelException;
import dev.qlanes.tflite.schema.ModelFile;
import dev.qlanes.tflite.schema.ModelFormatException;
import dev.qlanes.tflite.schema.OperatorInfo;
import dev.qlanes.tflite.schema.Quantization;
import dev.qlanes.tflite.schema.TensorInfo;
import java.lang.foreign.MemorySegment;

/**
 * What the fuzz targets check besides "no other exception": the documented outcome of each call. A violation throws
 * {@link AssertionError}, which Jazzer reports as a finding with the input that caused it.
 */
final class ModelInvariants {
    private ModelInvariants() {}

    /**
     * A rejection by the reader: a {@link ModelFormatException} without a cause (the reader wraps its own
     * {@code RuntimeException}s as the cause, so a cause is a reader defect) and with a message.
     */
    static void checkRejection(ModelFormatException e) {
        if (e.getCause() != null) {
            throw new AssertionError("reader defect (an exception inside the reader): " + e.getMessage(), e);
        }
        requireMessage(e);
    }

    /** A well-formed model the runner refuses: a message, no cause. */
    static void checkUnsupported(UnsupportedModelException e) {
        if (e.getCause() != null) {
            throw new AssertionError("UnsupportedModelException with a cause: " + e.getMessage(), e);
        }
        requireMessage(e);
    }

    static void requireMessage(Throwable e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError(e.getClass().getSimpleName() + " without a message", e);
        }
    }

    /** What every model the reader accepts must satisfy, whatever its bytes (ModelFile's documented contract). */
    static void checkConsistent(ModelFile model, MemorySegment file) {
        int tensorCount = model.tensors().size();
        for (int i = 0; i < tensorCount; i++) {
            TensorInfo t = model.tensors().get(i);
            check(t.index() == i, "tensor " + i + " has index " + t.index());
            for (int d : t.shape()) {
                check(d >= 0, "tensor " + i + ": negative dimension");
            }
            check(t.elementCount() >= 0, "tensor " + i + ": element count overflows");
            if (t.data() != null) {
                long start = t.data().address() - file.address();
                check(start >= 0 && start + t.data().byteSize() <= file.byteSize(),
                        "tensor " + i + ": data outside the file");
                check(t.data().byteSize() > 0, "tensor " + i + ": empty data is not null");
                check(t.data().isReadOnly(), "tensor " + i + ": data slice is writable");
                if (t.type().hasFixedSize()) {
                    check(t.type().byteSize(t.elementCount()) == t.data().byteSize(),
                            "tensor " + i + ": data size differs from what shape and type need");
                }
                check(!t.isVariable(), "tensor " + i + ": variable with constant data");
            }
            Quantization q = t.quantization();
            if (q != null) {
                check(q.scales().length > 0 && q.scales().length == q.zeroPoints().length,
                        "tensor " + i + ": scales and zero points");
                check(q.quantizedDimension() >= 0 && (q.scales().length == 1
                        || q.quantizedDimension() < t.rank() && q.scales().length == t.dim(q.quantizedDimension())),
                        "tensor " + i + ": quantized dimension / channel count");
                for (float s : q.scales()) {
                    check(s > 0 && Float.isFinite(s), "tensor " + i + ": scale " + s);
                }
            }
        }
        for (OperatorInfo op : model.operators()) {
            for (int k = 0; k < op.inputCount(); k++) {
                check(op.input(k) >= -1 && op.input(k) < tensorCount, "operator " + op.index() + ": input index");
            }
            for (int k = 0; k < op.outputCount(); k++) {
                check(op.output(k) >= 0 && op.output(k) < tensorCount, "operator " + op.index() + ": output index");
            }
        }
        for (int t : model.inputs()) {
            check(t >= 0 && t < tensorCount, "model input index " + t);
        }
        for (int t : model.outputs()) {
            check(t >= 0 && t < tensorCount, "model output index " + t);
        }
        check(model.version() == 3, "schema version " + model.version());
        check(model.subgraphCount() >= 1, "subgraph count " + model.subgraphCount());
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("accepted model violates the reader's contract: " + what);
        }
    }
}
