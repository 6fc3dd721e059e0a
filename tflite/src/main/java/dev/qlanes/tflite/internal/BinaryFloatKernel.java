package dev.qlanes.tflite.internal;

import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.ReferenceFloatOps;
import dev.qlanes.tflite.UnsupportedModelException;
import dev.qlanes.tflite.schema.AddOptions;
import dev.qlanes.tflite.schema.BuiltinOperator;
import dev.qlanes.tflite.schema.MulOptions;
import dev.qlanes.tflite.schema.TensorType;
import java.util.Arrays;

/**
 * Float ADD and MUL with a fused activation and TFLite's broadcasting (shapes aligned at the last dimension, a
 * dimension of 1 stretched), through the reference operations on both backends. Either operand may be constant.
 */
final class BinaryFloatKernel extends OpKernel {
    private final FusedActivation activation;

    private BinaryFloatKernel(Operators.Context cx, FusedActivation activation) {
        super(cx.op);
        this.activation = activation;
    }

    static OpKernel of(Operators.Context cx) throws UnsupportedModelException {
        cx.requireInputs(2, 2);
        cx.requireOutputs(1);
        for (int i = 0; i < 2; i++) {
            if (cx.input(i).type() != TensorType.FLOAT32) {
                throw cx.unsupported("input " + i + " is " + cx.input(i).type()
                        + "; qlanes runs this operator on FLOAT32 tensors only");
            }
        }
        cx.requireOutputType(0, TensorType.FLOAT32);
        var f = cx.op.op() == BuiltinOperator.ADD ? cx.options(AddOptions.class).activation()
                : cx.options(MulOptions.class).activation();
        return new BinaryFloatKernel(cx, cx.activation(f));
    }

    @Override
    public int[] outputShape(int[][] shapes) {
        int[] a = shapes[op.inputs()[0]];
        int[] b = shapes[op.inputs()[1]];
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(where() + ": shapes " + Arrays.toString(a) + " and "
                        + Arrays.toString(b) + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    @Override
    public Runnable bind(TensorArrays t, Backend backend) {
        int ia = op.inputs()[0];
        int ib = op.inputs()[1];
        int iy = op.outputs()[0];
        float[] a = t.floats(ia);
        float[] b = t.floats(ib);
        float[] y = t.floats(iy);
        int[] sa = t.shape(ia);
        int[] sb = t.shape(ib);
        int[] sy = t.shape(iy);
        return op.op() == BuiltinOperator.ADD
                ? () -> ReferenceFloatOps.add(a, sa, b, sb, y, sy, activation)
                : () -> ReferenceFloatOps.mul(a, sa, b, sb, y, sy, activation);
    }

    @Override
    public String summary() {
        return "float, " + activation;
    }
}
