package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.BYTES_HALF;
import static dev.qlanes.internal.vector.VectorShapes.BYTES_HALF_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.INTS_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.SHORTS;
import static dev.qlanes.internal.vector.VectorShapes.SHORTS_CLASS;
import static dev.qlanes.reference.internal.Validate.SPARSE_BLOCK;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The arithmetic of qlanes' exact int8 dot products, whose loops are generated from
 * {@code kernels/src/template/DotLoops.java.template} ({@link ArrayDotLoops}, {@link NativeDotLoops}),
 * and the one dot product outside that family ({@link #dotBlock}). Half-width byte vectors are widened lane for lane to 16 bits ({@code B2S}, a
 * fixed-width expansion, not a slow {@code part} conversion) and multiplied in 16 bits. Two such product
 * vectors are added in 16 bits as well, and only their sum is split into 32-bit lanes. Integer sums may be
 * reordered freely: int32 addition wraps, exactly like the reference's.
 *
 * <h2>The biased split (why a pair of int8 products may be summed in 16 bits)</h2>
 * An int8 product lies in {@code [-16256, 16384]}, so a sum of two lies in {@code [-32512, 32768]}. Only
 * {@code 32768 = 2·(-128)²} leaves int16, and it wraps to {@code -32768}, which no other sum produces: every
 * 16-bit lane therefore holds its true value {@code v} if read in the range {@code [-32767, 32768]}. Add, lane
 * for lane in 16 bits (so no carry crosses lanes), {@code 32767} to each even lane and {@code -1} to each odd one
 * ({@link #SPLIT_BIAS}): an even lane then holds {@code v_lo + 32767}, in {@code [255, 65535]}, read unsigned, and an
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
public final class BiasedSplit {
    private BiasedSplit() {}

    /** Bytes consumed per vector step. */
    static final int STEP = BYTES_HALF.length();
    /** Lanes of a sparse 16-byte block when a half-width byte vector is wider than the block (512-bit shapes). */
    private static final VectorMask<Byte> BLOCK_MASK = BYTES_HALF.indexInRange(0, SPARSE_BLOCK);

    /** The 16-bit lane pair {@code (32767, -1)} as one int (little-endian lanes): see the class comment. */
    private static final int SPLIT_BIAS_PAIR = 0xFFFF_7FFF;
    /**
     * {@code (32767, -1)} in every pair of 16-bit lanes, added to 16-bit sums before they are split into ints. A
     * constant, not a method: C2 may leave a method that returns a vector as a call (compiled on its own, or past
     * its node-count cutoff), and the vector it returns is then allocated at every call (seen in CI at 128 bits).
     */
    static final ShortVector SPLIT_BIAS =
            SHORTS_CLASS.cast(INTS_CLASS.cast(IntVector.broadcast(INTS, SPLIT_BIAS_PAIR)).reinterpretAsShorts());
    /** The bias each split int lane leaves in {@code Y - 65535·H}: see the class comment. */
    static final int SPLIT_RESIDUE = 32766;
    /** {@code 2^16 - 1}: {@code Y - 65535·H} counts each high half once (see the class comment). */
    static final int HIGH_WEIGHT = 65535;

    /**
     * The dot product of two sparse blocks of {@code Validate.SPARSE_BLOCK} bytes, one vector step (masked when the
     * vector is wider than a block).
     */
    public static int dotBlock(byte[] a, int aOff, byte[] b, int bOff) {
        if (STEP <= SPARSE_BLOCK) {
            return ArrayDotLoops.dot(a, aOff, b, bOff, SPARSE_BLOCK);
        }
        ShortVector wa = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, a, aOff, BLOCK_MASK))
                .convertShape(VectorOperators.B2S, SHORTS, 0));
        ShortVector wb = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, b, bOff, BLOCK_MASK))
                .convertShape(VectorOperators.B2S, SHORTS, 0));
        IntVector y = INTS_CLASS.cast(SHORTS_CLASS.cast(wa.mul(wb).add(SPLIT_BIAS)).reinterpretAsInts());
        return y.sub(y.lanewise(VectorOperators.ASHR, 16).mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD)
                - SPLIT_RESIDUE * INTS.length();
    }
}
