package dev.qlanes.internal.vector;

import dev.qlanes.reference.FixedPoint;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code dev.qlanes.reference.FixedPoint}'s int64 form (docs/semantics.md §1.4) on {@link VectorShapes#LONGS} lanes,
 * for the LSTM projection's 64-bit accumulators. The int32 forms run inside {@link IntegerRequantizer}'s loops,
 * written out there (a vector crossing a call C2 does not inline is boxed). Tested lane by lane against the scalar
 * twin ({@code RequantizerLaneTest}); arguments are assumed valid (the facade checked them).
 */
public final class VectorFixedPoint {
    private VectorFixedPoint() {}

    /**
     * MultiplyByQuantizedMultiplier with int64 accumulators (§1.4) on {@link VectorShapes#LONGS} lanes: the
     * 15-bit significand, one rounding, then truncation to int32 (returned sign-extended in long lanes).
     *
     * @param multiplier in {@code [0, 2^31)}; {@code shift} in {@code [-31, 7]}
     */
    public static LongVector multiplyByQuantizedMultiplier(LongVector x, int multiplier, int shift) {
        long reduced = FixedPoint.int64FormSignificand(multiplier);
        int total = 15 - shift;
        // the parameter cast to its exact class before a call on it: see VectorShapes' *_CLASS constants
        return VectorShapes.LONGS_CLASS.cast(x).mul(reduced).add(1L << (total - 1)).lanewise(VectorOperators.ASHR, total)
                .lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.ASHR, 32);
    }
}
