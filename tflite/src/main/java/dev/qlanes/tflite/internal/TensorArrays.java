package dev.qlanes.tflite.internal;

import dev.qlanes.tflite.schema.TensorInfo;
import dev.qlanes.tflite.schema.TensorType;
import java.util.Arrays;
import java.util.List;

/**
 * The tensors of one runner: every tensor's shape after the batch resize, and one Java array per tensor that the
 * graph reads or writes at run time ({@code float[]} for FLOAT32, {@code byte[]} for INT8). Constant tensors that
 * an operator consumes at open (weights, biases, shape vectors) have no array.
 */
public final class TensorArrays {
    private final List<TensorInfo> tensors;
    private final int[][] shapes;
    private final Object[] arrays;

    public TensorArrays(List<TensorInfo> tensors, int[][] shapes) {
        this.tensors = tensors;
        this.shapes = shapes;
        this.arrays = new Object[tensors.size()];
    }

    /** The shape of tensor {@code t} in this runner. */
    public int[] shape(int t) {
        return shapes[t];
    }

    /** The number of elements of tensor {@code t} in this runner. */
    public int count(int t) {
        return elementCount(shapes[t]);
    }

    /** Tensor {@code t}'s float array; allocated (or filled from constant data) on first use. */
    public float[] floats(int t) {
        requireType(t, TensorType.FLOAT32);
        if (arrays[t] == null) {
            float[] a = new float[count(t)];
            TensorInfo info = tensors.get(t);
            if (info.data() != null) {
                Constants.copyFloats(info, a);
            }
            arrays[t] = a;
        }
        return (float[]) arrays[t];
    }

    /** Tensor {@code t}'s int8 array; allocated (or filled from constant data) on first use. */
    public byte[] bytes(int t) {
        requireType(t, TensorType.INT8);
        if (arrays[t] == null) {
            byte[] a = new byte[count(t)];
            TensorInfo info = tensors.get(t);
            if (info.data() != null) {
                Constants.copyBytes(info, a);
            }
            arrays[t] = a;
        }
        return (byte[]) arrays[t];
    }

    /** Tensor {@code t}'s array, whichever of the two types it has. */
    public Object floatsOrBytes(int t) {
        return tensors.get(t).type() == TensorType.FLOAT32 ? floats(t) : bytes(t);
    }

    private void requireType(int t, TensorType type) {
        TensorInfo info = tensors.get(t);
        if (info.type() != type) {
            // The planner checks every type at open; reaching this is a bug in qlanes, not in the model.
            throw new IllegalStateException("tensor " + t + " '" + info.name() + "' is " + info.type() + ", not " + type);
        }
    }

    /** The product of the dimensions; the planner guarantees it fits an int. */
    static int elementCount(int[] shape) {
        return Math.toIntExact(product(shape));
    }

    /** The product of the dimensions in {@code long}: exact for any shape the reader or planner lets through. */
    static long product(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return Arrays.deepToString(shapes);
    }
}
