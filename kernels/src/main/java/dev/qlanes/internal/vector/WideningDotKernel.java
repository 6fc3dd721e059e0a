package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.BYTES_HALF;
import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.SHORTS;
import static dev.qlanes.reference.internal.Validate.SPARSE_BLOCK;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Exact int8 dot products. Half-width byte vectors are widened lane for lane to 16 bits ({@code B2S}, a
 * fixed-width expansion, not a slow {@code part} conversion) and multiplied in 16 bits. Two such product
 * vectors are added in 16 bits as well, and only their sum is split into 32-bit lanes. Integer sums may be
 * reordered freely: int32 addition wraps, exactly like the reference's.
 *
 * <h2>The biased split (why a pair of int8 products may be summed in 16 bits)</h2>
 * An int8 product lies in {@code [-16256, 16384]}, so a sum of two lies in {@code [-32512, 32768]}. Only
 * {@code 32768 = 2·(-128)²} leaves int16, and it wraps to {@code -32768}, which no other sum produces: every
 * 16-bit lane therefore holds its true value {@code v} if read in the range {@code [-32767, 32768]}. Add, lane
 * for lane in 16 bits (so no carry crosses lanes), {@code 32767} to each even lane and {@code -1} to each odd one
 * ({@link #splitBias}): an even lane then holds {@code v_lo + 32767}, in {@code [255, 65535]}, read unsigned, and an
 * odd lane {@code v_hi - 1}, in {@code [-32513, 32767]}, read signed. Taken together as one int, {@code y = (v_hi -
 * 1)·2^16 + (v_lo + 32767)} exactly, so {@code y >> 16 = v_hi - 1}; and with {@code Y = Σ y} and
 * {@code H = Σ (y >> 16)} over {@code N} int lanes, {@code Σ (v_lo + v_hi) = Y - 65535·H - 32766·N} in wrapping
 * int32. Being linear, {@code Y - 65535·H} is formed lane-wise and reduced once per dot product.
 *
 * <p>Per 16 products that is one add, one arithmetic shift and two accumulating adds instead of the three
 * shifts of the plain split {@code (x << 16 >> 16) + (x >> 16)}; shifts and the {@code B2S} widenings share
 * the same two execution ports on x86, which is what bounds these loops. It holds for every int8 operand,
 * {@code -128} included: no precondition on the weights.
 */
public final class WideningDotKernel {
    private WideningDotKernel() {}

    /** Bytes consumed per vector step. */
    static final int STEP = BYTES_HALF.length();
    /** Lanes of a sparse 16-byte block when a half-width byte vector is wider than the block (512-bit shapes). */
    private static final VectorMask<Byte> BLOCK_MASK = BYTES_HALF.indexInRange(0, SPARSE_BLOCK);

    static ShortVector widen(byte[] a, int offset) {
        return (ShortVector) ByteVector.fromArray(BYTES_HALF, a, offset).convertShape(VectorOperators.B2S, SHORTS, 0);
    }

    /** The 16-bit lane pair {@code (32767, -1)} as one int (little-endian lanes): see the class comment. */
    private static final int SPLIT_BIAS = 0xFFFF_7FFF;
    // The closing formula sums.sub(highs.mul(HIGH_WEIGHT)).reduceLanes(ADD) - SPLIT_RESIDUE * lanes is written out at
    // each of its sites here and in RowRangeDotKernel / SegmentDotKernel on purpose: as a shared helper, C2 declined
    // to inline it into the larger kernels (node-count cutoff) and boxed both vectors on every call, 32 KB per layer
    // call in LayerAllocationTest.
    /** The bias each split int lane leaves in {@code Y - 65535·H}: see the class comment. */
    static final int SPLIT_RESIDUE = 32766;
    /** {@code 2^16 - 1}: {@code Y - 65535·H} counts each high half once (see the class comment). */
    static final int HIGH_WEIGHT = 65535;

    /** {@code (32767, -1)} in every pair of 16-bit lanes, added to 16-bit sums before they are split into ints. */
    static ShortVector splitBias() {
        return IntVector.broadcast(INTS, SPLIT_BIAS).reinterpretAsShorts();
    }

    /** {@code Σ a[aOff + i] * b[bOff + i]} for {@code i < n}, wrapping like int32. */
    public static int dot(byte[] a, int aOff, byte[] b, int bOff, int n) {
        // two independent (sums, highs) pairs, each fed by a 16-bit sum of two products
        IntVector sums0 = IntVector.zero(INTS);
        IntVector highs0 = IntVector.zero(INTS);
        IntVector sums1 = IntVector.zero(INTS);
        IntVector highs1 = IntVector.zero(INTS);
        ShortVector bias = splitBias();
        // One index per operand, operands named before use: indexed as aOff + i and bOff + i, C2 kept both
        // offsets on the stack and re-added them every iteration (seen in the generated code), and the loop ran
        // 12-15% slower at n = 1024 and 4096 on AVX2.
        int ia = aOff;
        int ib = bOff;
        for (int end = aOff + n - 4 * STEP; ia <= end; ia += 4 * STEP, ib += 4 * STEP) {
            ShortVector a0 = widen(a, ia);
            ShortVector a1 = widen(a, ia + STEP);
            ShortVector a2 = widen(a, ia + 2 * STEP);
            ShortVector a3 = widen(a, ia + 3 * STEP);
            ShortVector b0 = widen(b, ib);
            ShortVector b1 = widen(b, ib + STEP);
            ShortVector b2 = widen(b, ib + 2 * STEP);
            ShortVector b3 = widen(b, ib + 3 * STEP);
            IntVector y0 = a0.mul(b0).add(a1.mul(b1)).add(bias).reinterpretAsInts();
            IntVector y1 = a2.mul(b2).add(a3.mul(b3)).add(bias).reinterpretAsInts();
            sums0 = sums0.add(y0);
            highs0 = highs0.add(y0.lanewise(VectorOperators.ASHR, 16));
            sums1 = sums1.add(y1);
            highs1 = highs1.add(y1.lanewise(VectorOperators.ASHR, 16));
        }
        int i = ia - aOff;
        int splits = i / (2 * STEP);
        for (int bound = n - STEP; i <= bound; i += STEP, splits++) {
            IntVector y = widen(a, aOff + i).mul(widen(b, bOff + i)).add(bias).reinterpretAsInts();
            sums0 = sums0.add(y);
            highs0 = highs0.add(y.lanewise(VectorOperators.ASHR, 16));
        }
        int sum = sums0.add(sums1).sub(highs0.add(highs1).mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD)
                - SPLIT_RESIDUE * (splits * INTS.length());
        for (; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    /**
     * The dot product of two sparse blocks of {@code Validate.SPARSE_BLOCK} bytes, one vector step (masked when the
     * vector is wider than a block).
     */
    public static int dotBlock(byte[] a, int aOff, byte[] b, int bOff) {
        if (STEP <= SPARSE_BLOCK) {
            return dot(a, aOff, b, bOff, SPARSE_BLOCK);
        }
        ShortVector wa = (ShortVector) ByteVector.fromArray(BYTES_HALF, a, aOff, BLOCK_MASK)
                .convertShape(VectorOperators.B2S, SHORTS, 0);
        ShortVector wb = (ShortVector) ByteVector.fromArray(BYTES_HALF, b, bOff, BLOCK_MASK)
                .convertShape(VectorOperators.B2S, SHORTS, 0);
        IntVector y = wa.mul(wb).add(splitBias()).reinterpretAsInts();
        return y.sub(y.lanewise(VectorOperators.ASHR, 16).mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD)
                - SPLIT_RESIDUE * INTS.length();
    }

    /** {@code Σ a[off + i]} for {@code i < n}, exact int32: the widened bytes through the biased split. */
    public static int sum(byte[] a, int off, int n) {
        ShortVector bias = splitBias();
        IntVector sums = IntVector.zero(INTS);
        IntVector highs = IntVector.zero(INTS);
        int i = 0;
        for (int bound = BYTES_HALF.loopBound(n); i < bound; i += STEP) {
            IntVector y = widen(a, off + i).add(bias).reinterpretAsInts();
            sums = sums.add(y);
            highs = highs.add(y.lanewise(VectorOperators.ASHR, 16));
        }
        int sum = sums.sub(highs.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD)
                - SPLIT_RESIDUE * (i / STEP * INTS.length());
        for (; i < n; i++) {
            sum += a[off + i];
        }
        return sum;
    }

    /**
     * All row-by-vector dot products of a matrix batch product: {@code dots[b * mRows + r] = Σ_c
     * matrix[r][c] * vectors[b][c]}. Batch vectors are widened once each into {@code scratch} and go through
     * {@link RowRangeDotKernel} four at a time, the rest one at a time.
     */
    static void dots(byte[] matrix, int mRows, int mCols, byte[] vectors, int nBatch, int[] dots, Scratch scratch) {
        int b = 0;
        if (nBatch >= RowRangeDotKernel.BATCH_TILE) {
            short[] packed = scratch.widened(1, RowRangeDotKernel.packedLength(mCols));
            for (; b + RowRangeDotKernel.BATCH_TILE <= nBatch; b += RowRangeDotKernel.BATCH_TILE) {
                RowRangeDotKernel.widenRows4(vectors, b * mCols, mCols, packed);
                RowRangeDotKernel.dots4(matrix, 0, mCols, 0, mRows, packed, dots, b * mRows, mRows);
            }
        }
        short[] x = scratch.widened(0, mCols);
        for (; b < nBatch; b++) {
            RowRangeDotKernel.widenRow(vectors, b * mCols, mCols, x);
            RowRangeDotKernel.dots(matrix, 0, mCols, 0, mRows, x, dots, b * mRows);
        }
    }

}
