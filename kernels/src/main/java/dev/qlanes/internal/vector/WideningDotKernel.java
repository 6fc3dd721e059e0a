package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.BYTES_HALF;
import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.SHORTS;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Exact int8 dot products: half-width byte vectors are widened lane for lane to 16 bits ({@code B2S}, a
 * fixed-width expansion, not a slow {@code part} conversion), multiplied in 16 bits (an int8 product,
 * at most {@code (-128)·(-128) = 16384}, always fits), and adjacent product pairs are summed into 32-bit
 * lanes by reinterpreting each pair as one int: {@code low = (x << 16) >> 16}, {@code high = x >> 16}.
 * Integer sums may be reordered freely: int32 addition wraps, exactly like the reference's.
 */
public final class WideningDotKernel {
    private WideningDotKernel() {}

    /** Bytes consumed per vector step. */
    static final int STEP = BYTES_HALF.length();
    /** Rows processed together by {@link #dots}, each activation chunk loaded once for all of them. */
    static final int ROW_TILE = 4;
    /** The bytes of one sparse 1x16 block (SEMANTICS.md §3.8). */
    static final int BLOCK = 16;
    /** Lanes of a 16-byte block when a half-width byte vector is wider than the block (512-bit shapes). */
    private static final VectorMask<Byte> BLOCK_MASK = BYTES_HALF.indexInRange(0, BLOCK);

    static ShortVector widen(byte[] a, int offset) {
        return (ShortVector) ByteVector.fromArray(BYTES_HALF, a, offset).convertShape(VectorOperators.B2S, SHORTS, 0);
    }

    /** Sums adjacent pairs of 16-bit products into 32-bit lanes. */
    static IntVector pairSums(ShortVector products) {
        IntVector pairs = products.reinterpretAsInts();
        return pairs.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(pairs.lanewise(VectorOperators.ASHR, 16));
    }

    /** {@code Σ a[aOff + i] * b[bOff + i]} for {@code i < n}, wrapping like int32. */
    public static int dot(byte[] a, int aOff, byte[] b, int bOff, int n) {
        // two independent accumulators keep two chains of widen-multiply-add in flight
        IntVector acc0 = IntVector.zero(INTS);
        IntVector acc1 = IntVector.zero(INTS);
        int i = 0;
        for (int bound = n - 2 * STEP; i <= bound; i += 2 * STEP) {
            acc0 = acc0.add(pairSums(widen(a, aOff + i).mul(widen(b, bOff + i))));
            acc1 = acc1.add(pairSums(widen(a, aOff + i + STEP).mul(widen(b, bOff + i + STEP))));
        }
        for (int bound = BYTES_HALF.loopBound(n); i < bound; i += STEP) {
            acc0 = acc0.add(pairSums(widen(a, aOff + i).mul(widen(b, bOff + i))));
        }
        int sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    /** The dot product of two 16-byte blocks, one vector step (masked when the vector is wider than a block). */
    public static int dotBlock(byte[] a, int aOff, byte[] b, int bOff) {
        if (STEP <= BLOCK) {
            return dot(a, aOff, b, bOff, BLOCK);
        }
        ShortVector wa = (ShortVector) ByteVector.fromArray(BYTES_HALF, a, aOff, BLOCK_MASK)
                .convertShape(VectorOperators.B2S, SHORTS, 0);
        ShortVector wb = (ShortVector) ByteVector.fromArray(BYTES_HALF, b, bOff, BLOCK_MASK)
                .convertShape(VectorOperators.B2S, SHORTS, 0);
        return pairSums(wa.mul(wb)).reduceLanes(VectorOperators.ADD);
    }

    /** {@code Σ a[off + i]} for {@code i < n}, exact int32. */
    public static int sum(byte[] a, int off, int n) {
        IntVector acc = IntVector.zero(INTS);
        ShortVector ones = ShortVector.broadcast(SHORTS, (short) 1);
        int i = 0;
        for (int bound = BYTES_HALF.loopBound(n); i < bound; i += STEP) {
            acc = acc.add(pairSums(widen(a, off + i).mul(ones)));
        }
        int sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a[off + i];
        }
        return sum;
    }

    /**
     * All row-by-vector dot products of a matrix batch product: {@code dots[b * mRows + r] = Σ_c
     * matrix[r][c] * vectors[b][c]}. Rows go in tiles of {@link #ROW_TILE}, so each widened activation
     * chunk serves four rows. (A 4-row × 2-batch tile with 8 accumulators was tried: C2 left it boxed,
     * allocating ~50 MB per 16×1024×1024 product, so batch vectors go one at a time.)
     */
    public static void dots(byte[] matrix, int mRows, int mCols, byte[] vectors, int nBatch, int[] dots) {
        for (int b = 0; b < nBatch; b++) {
            int v = b * mCols;
            int r = 0;
            for (; r + ROW_TILE <= mRows; r += ROW_TILE) {
                dotsRowTile(matrix, r, mCols, vectors, v, dots, b * mRows + r);
            }
            for (; r < mRows; r++) {
                dots[b * mRows + r] = dot(matrix, r * mCols, vectors, v, mCols);
            }
        }
    }

    private static void dotsRowTile(byte[] matrix, int row, int mCols, byte[] vectors, int v, int[] dots, int out) {
        int m0 = row * mCols;
        int m1 = m0 + mCols;
        int m2 = m1 + mCols;
        int m3 = m2 + mCols;
        IntVector acc0 = IntVector.zero(INTS);
        IntVector acc1 = IntVector.zero(INTS);
        IntVector acc2 = IntVector.zero(INTS);
        IntVector acc3 = IntVector.zero(INTS);
        int c = 0;
        for (int bound = BYTES_HALF.loopBound(mCols); c < bound; c += STEP) {
            ShortVector x = widen(vectors, v + c);
            acc0 = acc0.add(pairSums(widen(matrix, m0 + c).mul(x)));
            acc1 = acc1.add(pairSums(widen(matrix, m1 + c).mul(x)));
            acc2 = acc2.add(pairSums(widen(matrix, m2 + c).mul(x)));
            acc3 = acc3.add(pairSums(widen(matrix, m3 + c).mul(x)));
        }
        int s0 = acc0.reduceLanes(VectorOperators.ADD);
        int s1 = acc1.reduceLanes(VectorOperators.ADD);
        int s2 = acc2.reduceLanes(VectorOperators.ADD);
        int s3 = acc3.reduceLanes(VectorOperators.ADD);
        for (; c < mCols; c++) {
            int x = vectors[v + c];
            s0 += matrix[m0 + c] * x;
            s1 += matrix[m1 + c] * x;
            s2 += matrix[m2 + c] * x;
            s3 += matrix[m3 + c] * x;
        }
        dots[out] = s0;
        dots[out + 1] = s1;
        dots[out + 2] = s2;
        dots[out + 3] = s3;
    }

    /** {@code rowSums[r] = Σ_c matrix[r][c]} for {@code r < mRows}. */
    public static void rowSums(byte[] matrix, int mRows, int mCols, int[] rowSums) {
        for (int r = 0; r < mRows; r++) {
            rowSums[r] = sum(matrix, r * mCols, mCols);
        }
    }
}
