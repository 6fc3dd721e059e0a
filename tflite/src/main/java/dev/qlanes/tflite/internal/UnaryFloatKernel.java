package dev.qlanes.tflite.internal;

import dev.qlanes.reference.ReferenceFloatOps;
import dev.qlanes.tflite.UnsupportedModelException;
import dev.qlanes.tflite.schema.SoftmaxOptions;
import dev.qlanes.tflite.schema.TensorInfo;
import dev.qlanes.tflite.schema.TensorType;

/**
 * The float activations a small FULLY_CONNECTED model carries as operators of their own: RELU, RELU6, LOGISTIC,
 * TANH and SOFTMAX (over the last dimension, with its {@code beta}), through the reference operations on both
 * backends. Their int8 forms are refused: qlanes does not reproduce TFLite's int8 lookup tables.
 */
final class UnaryFloatKernel extends OpKernel {
    private final float beta;

    private UnaryFloatKernel(Operators.Context cx, float beta) {
        super(cx.op);
        this.beta = beta;
    }

    static OpKernel of(Operators.Context cx) throws UnsupportedModelException {
        cx.requireInputs(1, 1);
        cx.requireOutputs(1);
        TensorInfo x = cx.input(0);
        if (x.type() != TensorType.FLOAT32) {
            throw cx.unsupported("input " + x.type() + "; qlanes runs this operator on FLOAT32 tensors only");
        }
        cx.requireOutputType(0, TensorType.FLOAT32);
        float beta = 0;
        if (cx.op.op() == dev.qlanes.tflite.schema.BuiltinOperator.SOFTMAX) {
            beta = cx.options(SoftmaxOptions.class).beta();
            if (x.shape().length == 0) {
                throw cx.unsupported("a scalar input; SOFTMAX needs at least one dimension");
            }
        }
        return new UnaryFloatKernel(cx, beta);
    }

    @Override
    public int[] outputShape(int[][] shapes) {
        int[] in = shapes[op.inputs()[0]];
        if (op.op() == dev.qlanes.tflite.schema.BuiltinOperator.SOFTMAX && in.length == 0) {
            // TFLite's Prepare checks the rank of the shape the input has at run time, e.g. after a RESHAPE to [].
            throw new IllegalArgumentException(where() + ": the input is a scalar in this runner; SOFTMAX needs at "
                    + "least one dimension");
        }
        return in.clone();
    }

    @Override
    public Runnable bind(TensorArrays a, Backend backend) {
        int x = op.inputs()[0];
        float[] in = a.floats(x);
        float[] out = a.floats(op.outputs()[0]);
        int n = a.count(x);
        return switch (op.op()) {
            case RELU -> () -> ReferenceFloatOps.relu(in, out, n);
            case RELU6 -> () -> ReferenceFloatOps.relu6(in, out, n);
            case LOGISTIC -> () -> ReferenceFloatOps.logistic(in, out, n);
            case TANH -> () -> ReferenceFloatOps.tanh(in, out, n);
            case SOFTMAX -> {
                int[] shape = a.shape(x);
                int depth = shape[shape.length - 1];
                int outer = depth == 0 ? 0 : n / depth;
                yield () -> ReferenceFloatOps.softmax(in, outer, depth, beta, out);
            }
            default -> throw new AssertionError(op.op());
        };
    }

    @Override
    public String summary() {
        return op.op() == dev.qlanes.tflite.schema.BuiltinOperator.SOFTMAX ? "float, beta " + beta : "float";
    }
}
