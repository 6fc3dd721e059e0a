package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS;
import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.INTS_CLASS;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Moving int8 data into {@link VectorShapes#INTS} lanes and back. One {@link VectorShapes#BYTES_FOR_INTS}
 * vector holds {@link VectorShapes#INT_GROUPS} int vectors' worth of bytes (2 at 128 bits, where a quarter
 * width would be below the smallest 64-bit shape, else 1); group {@code g} is lanes {@code g·L .. g·L+L-1}.
 */
final class IntLanes {
    private IntLanes() {}

    /** Bytes per {@link VectorShapes#BYTES_FOR_INTS} step, i.e. {@code INT_GROUPS × INTS.length()}. */
    static final int STEP = BYTES_FOR_INTS.length();

    /** Group {@code g} of {@code bytes}, sign-extended to int lanes. */
    static IntVector unpack(ByteVector bytes, int group) {
        // the argument and the result cast to their exact classes: see VectorShapes.INTS_CLASS
        return INTS_CLASS.cast(BYTES_FOR_INTS_CLASS.cast(bytes).convertShape(VectorOperators.B2I, INTS, group));
    }

    /**
     * {@code (byte)} of each int lane, placed as group {@code group} of a byte vector whose other lanes are zero:
     * the inverse of {@link #unpack} for lanes in int8. As small as {@link #unpack} on purpose: C2 inlines it even
     * at a call site its profile calls cold (right after a deoptimization), and a vector passed to a call that is not
     * inlined is boxed.
     */
    static ByteVector pack(IntVector lanes, int group) {
        return BYTES_FOR_INTS_CLASS.cast(INTS_CLASS.cast(lanes).convertShape(VectorOperators.I2B, BYTES_FOR_INTS, -group));
    }
}
