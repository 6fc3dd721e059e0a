package dev.qlanes.reference;

import dev.qlanes.reference.internal.Check;
import java.util.Arrays;

/**
 * NumPy-style broadcasting of two tensors, as TFLite's {@code CalculateShapeForBroadcast} (Prepare) and
 * {@code BroadcastBinaryOpSimple} / {@code NdArrayDescsForElementwiseBroadcast} (Eval) define it: shapes are
 * aligned at their last dimension, missing leading dimensions count as 1, and each pair of dimensions must be
 * equal or contain a 1, the output taking the other. A dimension of 1 facing a larger one is read with stride 0.
 * The order in which TFLite's loops visit the elements does not matter: each output element is computed alone.
 */
final class Broadcast {
    private Broadcast() {}

    /** Receives one output element's flat index and the flat indices of the two input elements it combines. */
    @FunctionalInterface
    interface Element {
        void at(int out, int a, int b);
    }

    /** Number of elements of {@code shape}, in long so that overflowing shapes are reported, not wrapped. */
    static long elements(int[] shape) {
        for (int d : shape) {
            if (d == 0) {
                return 0;
            }
        }
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE) {
                return Long.MAX_VALUE; // reported by the array-length check as far too large
            }
        }
        return n;
    }

    /** Requires a non-null shape of non-negative dimensions. */
    static void checkShape(String name, int[] shape) {
        Check.notNull(name, shape);
        for (int i = 0; i < shape.length; i++) {
            Check.nonNegative(name + "[" + i + "]", shape[i]);
        }
    }

    /**
     * The broadcast shape of {@code shapeA} and {@code shapeB} ({@code CalculateShapeForBroadcast}).
     *
     * @throws IllegalArgumentException if a pair of aligned dimensions differs and neither is 1
     */
    static int[] shape(int[] shapeA, String nameA, int[] shapeB, String nameB) {
        int rank = Math.max(shapeA.length, shapeB.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = dim(shapeA, rank, i);
            int db = dim(shapeB, rank, i);
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(nameA + " = " + Arrays.toString(shapeA) + " and " + nameB + " = "
                        + Arrays.toString(shapeB) + " do not broadcast: dimensions " + da + " and " + db
                        + " (aligned at the last dimension) must be equal or one of them 1");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * Validates two input arrays and an output array against their shapes: the shapes are non-negative, the
     * inputs broadcast, {@code outShape} equals the broadcast shape (as TFLite's Prepare resizes the output to
     * it; leading 1s may be left out or added), and every array holds its shape's elements.
     *
     * @return the number of output elements
     */
    static int check(String nameA, int aLength, int[] shapeA, String nameB, int bLength, int[] shapeB,
            String nameOut, int outLength, int[] outShape) {
        checkShape("shape" + capitalize(nameA), shapeA);
        checkShape("shape" + capitalize(nameB), shapeB);
        checkShape("outShape", outShape);
        int[] expected = shape(shapeA, "shape" + capitalize(nameA), shapeB, "shape" + capitalize(nameB));
        int rank = Math.max(expected.length, outShape.length);
        for (int i = 0; i < rank; i++) {
            if (dim(expected, rank, i) != dim(outShape, rank, i)) {
                throw new IllegalArgumentException("outShape = " + Arrays.toString(outShape)
                        + ", expected the broadcast shape " + Arrays.toString(expected));
            }
        }
        Check.length(nameA, aLength, elements(shapeA), "elements of shape" + capitalize(nameA));
        Check.length(nameB, bLength, elements(shapeB), "elements of shape" + capitalize(nameB));
        long n = elements(outShape);
        Check.length(nameOut, outLength, n, "elements of outShape");
        return (int) n;
    }

    /**
     * Visits every output element in row-major order with the flat indices of its two inputs. The shapes must
     * have passed {@link #check}.
     */
    static void forEach(int[] shapeA, int[] shapeB, int[] outShape, Element element) {
        int rank = Math.max(outShape.length, Math.max(shapeA.length, shapeB.length));
        int[] outDims = new int[rank];
        long[] strideA = new long[rank];
        long[] strideB = new long[rank];
        long sa = 1;
        long sb = 1;
        for (int i = rank - 1; i >= 0; i--) {
            int da = dim(shapeA, rank, i);
            int db = dim(shapeB, rank, i);
            outDims[i] = dim(outShape, rank, i);
            // A dimension of 1 is read again for every output coordinate along it.
            strideA[i] = da == 1 ? 0 : sa;
            strideB[i] = db == 1 ? 0 : sb;
            sa *= da;
            sb *= db;
        }
        long total = elements(outShape);
        int[] coordinate = new int[rank];
        long ia = 0;
        long ib = 0;
        for (int out = 0; out < total; out++) {
            element.at(out, (int) ia, (int) ib);
            // Odometer step: increase the last coordinate, carrying into earlier ones.
            for (int i = rank - 1; i >= 0; i--) {
                coordinate[i]++;
                ia += strideA[i];
                ib += strideB[i];
                if (coordinate[i] < outDims[i]) {
                    break;
                }
                ia -= strideA[i] * coordinate[i];
                ib -= strideB[i] * coordinate[i];
                coordinate[i] = 0;
            }
        }
    }

    /** Dimension {@code i} of {@code shape} extended on the left with 1s to {@code rank} dimensions. */
    private static int dim(int[] shape, int rank, int i) {
        int j = i - (rank - shape.length);
        return j < 0 ? 1 : shape[j];
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
