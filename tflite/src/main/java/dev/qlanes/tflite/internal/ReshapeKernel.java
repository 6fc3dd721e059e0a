package dev.qlanes.tflite.internal;

import dev.qlanes.tflite.UnsupportedModelException;
import dev.qlanes.tflite.schema.ReshapeOptions;
import dev.qlanes.tflite.schema.TensorInfo;
import dev.qlanes.tflite.schema.TensorType;
import java.util.Arrays;

/**
 * RESHAPE: the new shape from a constant int32 vector input when there is one, else from the options (TFLite's
 * {@code reshape.cc} order), with one {@code -1} dimension inferred from the element count; the data is copied.
 */
final class ReshapeKernel extends OpKernel {
    private final int[] newShape;

    private ReshapeKernel(Operators.Context cx, int[] newShape) {
        super(cx.op);
        this.newShape = newShape;
    }

    static OpKernel of(Operators.Context cx) throws UnsupportedModelException {
        cx.requireInputs(1, 2);
        cx.requireOutputs(1);
        TensorInfo x = cx.input(0);
        cx.requireType(x, "input", TensorType.FLOAT32, TensorType.INT8);
        cx.requireType(cx.output(0), "output", x.type());
        int[] shape = null;
        if (cx.op.inputs().length == 2 && cx.op.inputs()[1] >= 0) {
            TensorInfo s = cx.input(1);
            if (s.type() == TensorType.INT32 && s.shape().length == 1) {
                if (s.data() == null) {
                    throw cx.unsupported("shape tensor " + s.index() + " '" + s.name() + "' is computed at run "
                            + "time; qlanes needs a constant shape");
                }
                shape = Constants.ints(s);
            }
        }
        if (shape == null) {
            ReshapeOptions o = cx.options(ReshapeOptions.class);
            if (o.newShape() == null) {
                throw cx.unsupported("neither a shape tensor nor a new_shape option");
            }
            shape = o.newShape();
            if (shape.length == 1 && shape[0] == 0) {
                shape = new int[0]; // legacy converters wrote [0] for a scalar
            }
        }
        int stretch = -1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1 && stretch < 0) {
                stretch = i;
            } else if (shape[i] < 0) {
                throw cx.unsupported("new shape " + Arrays.toString(shape) + ": dimensions must be >= 0, with at "
                        + "most one -1");
            }
        }
        return new ReshapeKernel(cx, shape);
    }

    @Override
    public int[] outputShape(int[][] shapes) {
        int[] in = shapes[op.inputs()[0]];
        long count = TensorArrays.product(in);
        int[] out = newShape.clone();
        long known = 1;
        int stretch = -1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                stretch = i;
            } else {
                known *= out[i];
                if (known > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(where() + ": new shape " + Arrays.toString(newShape)
                            + " has more than 2^31 - 1 elements");
                }
            }
        }
        if (stretch >= 0 && known != 0 && count % known == 0) {
            out[stretch] = Math.toIntExact(count / known);
            known *= out[stretch];
        }
        if (known != count || (stretch >= 0 && out[stretch] == -1)) {
            throw new IllegalArgumentException(where() + ": cannot reshape " + Arrays.toString(in) + " (" + count
                    + " elements) to " + Arrays.toString(newShape));
        }
        return out;
    }

    @Override
    public Runnable bind(TensorArrays a, Backend backend) {
        int x = op.inputs()[0];
        int y = op.outputs()[0];
        int n = a.count(x);
        Object in = a.floatsOrBytes(x);
        Object out = a.floatsOrBytes(y);
        return () -> System.arraycopy(in, 0, out, 0, n);
    }

    @Override
    public String summary() {
        return "to " + Arrays.toString(newShape);
    }
}
