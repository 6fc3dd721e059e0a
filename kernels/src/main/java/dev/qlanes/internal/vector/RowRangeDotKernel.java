package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.BYTES_HALF;
import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.SHORTS;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link WideningDotKernel}'s arithmetic over a row range of a heap {@code byte[]} matrix that starts at an offset
 * (a prepared copy, or the array behind a heap segment), so that layers can split rows across threads: half-width
 * byte vectors widened lane for lane to 16 bits ({@code B2S}), 16-bit products (an int8 product always fits), and
 * adjacent product pairs summed into int lanes ({@code low = (x << 16) >> 16}, {@code high = x >> 16}); rows in
 * tiles of {@link #ROW_TILE}. Same exact, wrapping int32 results.
 *
 * <p>Every loop body is written out in one method, with no helper that takes or returns a vector: a helper that
 * C2 compiles on its own before its caller (as happens during warm-up) is then too big to inline, and every
 * vector crossing that call is boxed, i.e. allocated, on every iteration.
 */
public final class RowRangeDotKernel {
    private RowRangeDotKernel() {}

    /** Bytes consumed per vector step. */
    static final int STEP = BYTES_HALF.length();
    /** Rows processed together, each activation chunk widened once for all of them. */
    static final int ROW_TILE = 4;

    /**
     * {@code dots[dotsOffset + (r - rowFrom)] = Σ_c w[r][c] · x[xOffset + c]} for {@code rowFrom <= r < rowTo},
     * {@code w[r][c]} at {@code weights[weightsOffset + r·cols + c]}; int32, wrapping.
     */
    public static void dots(byte[] weights, int weightsOffset, int cols, int rowFrom, int rowTo, byte[] x,
            int xOffset, int[] dots, int dotsOffset) {
        int r = rowFrom;
        for (; r + ROW_TILE <= rowTo; r += ROW_TILE) {
            rowTile(weights, weightsOffset + r * cols, cols, x, xOffset, dots, dotsOffset + r - rowFrom);
        }
        for (; r < rowTo; r++) {
            dots[dotsOffset + r - rowFrom] = dot(weights, weightsOffset + r * cols, x, xOffset, cols);
        }
    }

    private static int dot(byte[] w, int offset, byte[] x, int xOffset, int n) {
        IntVector acc = IntVector.zero(INTS);
        int c = 0;
        for (int bound = BYTES_HALF.loopBound(n); c < bound; c += STEP) {
            ShortVector v = (ShortVector) ByteVector.fromArray(BYTES_HALF, x, xOffset + c)
                    .convertShape(VectorOperators.B2S, SHORTS, 0);
            IntVector p = ((ShortVector) ByteVector.fromArray(BYTES_HALF, w, offset + c)
                    .convertShape(VectorOperators.B2S, SHORTS, 0)).mul(v).reinterpretAsInts();
            acc = acc.add(p.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .add(p.lanewise(VectorOperators.ASHR, 16));
        }
        int sum = acc.reduceLanes(VectorOperators.ADD);
        for (; c < n; c++) {
            sum += w[offset + c] * x[xOffset + c];
        }
        return sum;
    }

    private static void rowTile(byte[] w, int m0, int cols, byte[] x, int xOffset, int[] dots, int out) {
        int m1 = m0 + cols;
        int m2 = m1 + cols;
        int m3 = m2 + cols;
        IntVector acc0 = IntVector.zero(INTS);
        IntVector acc1 = IntVector.zero(INTS);
        IntVector acc2 = IntVector.zero(INTS);
        IntVector acc3 = IntVector.zero(INTS);
        int c = 0;
        for (int bound = BYTES_HALF.loopBound(cols); c < bound; c += STEP) {
            ShortVector v = (ShortVector) ByteVector.fromArray(BYTES_HALF, x, xOffset + c)
                    .convertShape(VectorOperators.B2S, SHORTS, 0);
            IntVector p0 = ((ShortVector) ByteVector.fromArray(BYTES_HALF, w, m0 + c)
                    .convertShape(VectorOperators.B2S, SHORTS, 0)).mul(v).reinterpretAsInts();
            IntVector p1 = ((ShortVector) ByteVector.fromArray(BYTES_HALF, w, m1 + c)
                    .convertShape(VectorOperators.B2S, SHORTS, 0)).mul(v).reinterpretAsInts();
            IntVector p2 = ((ShortVector) ByteVector.fromArray(BYTES_HALF, w, m2 + c)
                    .convertShape(VectorOperators.B2S, SHORTS, 0)).mul(v).reinterpretAsInts();
            IntVector p3 = ((ShortVector) ByteVector.fromArray(BYTES_HALF, w, m3 + c)
                    .convertShape(VectorOperators.B2S, SHORTS, 0)).mul(v).reinterpretAsInts();
            acc0 = acc0.add(p0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .add(p0.lanewise(VectorOperators.ASHR, 16));
            acc1 = acc1.add(p1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .add(p1.lanewise(VectorOperators.ASHR, 16));
            acc2 = acc2.add(p2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .add(p2.lanewise(VectorOperators.ASHR, 16));
            acc3 = acc3.add(p3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .add(p3.lanewise(VectorOperators.ASHR, 16));
        }
        int s0 = acc0.reduceLanes(VectorOperators.ADD);
        int s1 = acc1.reduceLanes(VectorOperators.ADD);
        int s2 = acc2.reduceLanes(VectorOperators.ADD);
        int s3 = acc3.reduceLanes(VectorOperators.ADD);
        for (; c < cols; c++) {
            int v = x[xOffset + c];
            s0 += w[m0 + c] * v;
            s1 += w[m1 + c] * v;
            s2 += w[m2 + c] * v;
            s3 += w[m3 + c] * v;
        }
        dots[out] = s0;
        dots[out + 1] = s1;
        dots[out + 2] = s2;
        dots[out + 3] = s3;
    }

    /** {@code sums[r] = Σ_c w[r][c]} for {@code r < rows}; int32, wrapping. */
    public static void rowSums(byte[] weights, int weightsOffset, int rows, int cols, int[] sums) {
        for (int r = 0; r < rows; r++) {
            int offset = weightsOffset + r * cols;
            IntVector acc = IntVector.zero(INTS);
            int c = 0;
            for (int bound = BYTES_HALF.loopBound(cols); c < bound; c += STEP) {
                IntVector p = ((ShortVector) ByteVector.fromArray(BYTES_HALF, weights, offset + c)
                        .convertShape(VectorOperators.B2S, SHORTS, 0)).reinterpretAsInts();
                acc = acc.add(p.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                        .add(p.lanewise(VectorOperators.ASHR, 16));
            }
            int sum = acc.reduceLanes(VectorOperators.ADD);
            for (; c < cols; c++) {
                sum += weights[offset + c];
            }
            sums[r] = sum;
        }
    }

    /** Whether {@code -128} occurs in {@code weights[offset .. offset + n)}. */
    public static boolean containsMinus128(byte[] weights, int offset, int n) {
        int i = 0;
        for (int bound = BYTES_HALF.loopBound(n); i < bound; i += STEP) {
            if (ByteVector.fromArray(BYTES_HALF, weights, offset + i).eq(Byte.MIN_VALUE).anyTrue()) {
                return true;
            }
        }
        for (; i < n; i++) {
            if (weights[offset + i] == Byte.MIN_VALUE) {
                return true;
            }
        }
        return false;
    }
}
