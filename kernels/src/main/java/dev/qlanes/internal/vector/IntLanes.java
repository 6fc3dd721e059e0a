package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS;

/**
 * The layout of int8 data moved into {@link VectorShapes#INTS} lanes and back. One {@link VectorShapes#BYTES_FOR_INTS}
 * vector holds {@link VectorShapes#INT_GROUPS} int vectors' worth of bytes (2 at 128 bits, where a quarter
 * width would be below the smallest 64-bit shape, else 1); group {@code g} is lanes {@code g·L .. g·L+L-1}.
 *
 * <p>The conversions themselves ({@code convertShape(B2I, INTS, g)} from a byte vector, {@code convertShape(I2B,
 * BYTES_FOR_INTS, -g)} into one) are written out where they are used, not in helpers here: C2 compiles a small helper
 * on its own during warm-up, and at a call site it then deems cold it calls that compiled code instead of inlining
 * it, which boxes every vector passed; seen at 128 bits in the C2-only fork once {@code ProfilePollution} had made
 * the helpers' own code polymorphic (8.8 KB per int8 MBVMA call of the test's shape).
 */
final class IntLanes {
    private IntLanes() {}

    /** Bytes per {@link VectorShapes#BYTES_FOR_INTS} step, i.e. {@code INT_GROUPS × INTS.length()}. */
    static final int STEP = BYTES_FOR_INTS.length();
}
