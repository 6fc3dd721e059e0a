package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS;
import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.INTS_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.INT_GROUPS;
import static dev.qlanes.internal.vector.VectorShapes.SHORTS_FOR_INTS;
import static dev.qlanes.internal.vector.VectorShapes.SHORTS_FOR_INTS_CLASS;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Exact int16 × int8 dot products with an int64 result, for {@code MatrixBatchVectorMultiply} with an int16
 * hidden state (docs/semantics.md §3.7). Products ({@code |p| <= 2^22}) are summed in int lanes for blocks of
 * {@link #BLOCK} columns, which cannot overflow ({@code 256 · 2^22 = 2^30}), then added in 64 bits.
 */
final class Int16DotKernel {
    private Int16DotKernel() {}

    /** Columns summed in 32 bits before widening: {@code BLOCK · max|int16 · int8| = 256 · 2^22 < 2^31}. */
    static final int BLOCK = 256;

    static long dot(short[] h, int hOff, byte[] w, int wOff, int n) {
        long total = 0;
        for (int start = 0; start < n; start += BLOCK) {
            total += blockDot(h, hOff + start, w, wOff + start, Math.min(BLOCK, n - start));
        }
        return total;
    }

    private static int blockDot(short[] h, int hOff, byte[] w, int wOff, int n) {
        IntVector acc = IntVector.zero(INTS);
        int i = 0;
        for (int bound = BYTES_FOR_INTS.loopBound(n); i < bound; i += IntLanes.STEP) {
            ByteVector weights = ByteVector.fromArray(BYTES_FOR_INTS, w, wOff + i);
            for (int g = 0; g < INT_GROUPS; g++) {
                IntVector hidden = INTS_CLASS.cast(SHORTS_FOR_INTS_CLASS.cast( // exact classes: VectorShapes.INTS_CLASS
                        ShortVector.fromArray(SHORTS_FOR_INTS, h, hOff + i + g * INTS.length()))
                        .convertShape(VectorOperators.S2I, INTS, 0));
                acc = INTS_CLASS.cast(acc).add(hidden.mul(BYTES_FOR_INTS_CLASS.cast(weights) // group g (IntLanes)
                        .convertShape(VectorOperators.B2I, INTS, g)));
            }
        }
        int sum = INTS_CLASS.cast(acc).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += h[hOff + i] * w[wOff + i];
        }
        return sum;
    }
}
