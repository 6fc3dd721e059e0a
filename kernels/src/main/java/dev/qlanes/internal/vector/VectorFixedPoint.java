package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.INTS;

import dev.qlanes.reference.FixedPoint;
import dev.qlanes.reference.Rounding;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code dev.qlanes.reference.FixedPoint}, method by method, on {@link VectorShapes#INTS} lanes (docs/semantics.md
 * §1.1–§1.4). 64-bit intermediates are formed in two halves of long lanes of the same shape. Each method is
 * tested lane by lane against its scalar twin. Shifts are per lane, so per-channel multipliers need no
 * special path; arguments are assumed valid (the facade checked them).
 */
public final class VectorFixedPoint {
    private VectorFixedPoint() {}

    /** {@code 2^30}, SRDHM's rounding term: {@code (a*b + 2^30) >> 31} is SRDHM except at {@code MIN*MIN}. */
    private static final long SRDHM_ROUND = 1L << 30;

    /** SaturatingRoundingDoublingHighMul (§1.1): {@code floor((a*b + 2^30) / 2^31)}, {@code MIN*MIN → MAX}. */
    public static IntVector saturatingRoundingDoublingHighMul(IntVector a, IntVector b) {
        LongVector low = highMul((LongVector) a.convert(VectorOperators.I2L, 0),
                (LongVector) b.convert(VectorOperators.I2L, 0));
        LongVector high = highMul((LongVector) a.convert(VectorOperators.I2L, 1),
                (LongVector) b.convert(VectorOperators.I2L, 1));
        IntVector result = narrow(low, high);
        VectorMask<Integer> saturated = a.eq(Integer.MIN_VALUE).and(b.eq(Integer.MIN_VALUE));
        return result.blend(Integer.MAX_VALUE, saturated);
    }

    private static LongVector highMul(LongVector a, LongVector b) {
        return a.mul(b).add(SRDHM_ROUND).lanewise(VectorOperators.ASHR, 31);
    }

    /** Joins two half-lane long vectors back into int lanes, truncating each to its low 32 bits. */
    private static IntVector narrow(LongVector low, LongVector high) {
        return ((IntVector) low.convert(VectorOperators.L2I, 0)).or((IntVector) high.convert(VectorOperators.L2I, -1));
    }

    /**
     * RoundingDivideByPOT (§1.2): {@code x / 2^e} rounded to nearest, ties away from zero; {@code e} per lane
     * in {@code [0, 31]}.
     */
    public static IntVector roundingDivideByPOT(IntVector x, IntVector exponent) {
        IntVector mask = IntVector.broadcast(INTS, 1).lanewise(VectorOperators.LSHL, exponent).sub(1);
        IntVector remainder = x.and(mask);
        // threshold = (mask >> 1) + (x < 0 ? 1 : 0); x >>> 31 is that 0 or 1
        IntVector threshold = mask.lanewise(VectorOperators.ASHR, 1).add(x.lanewise(VectorOperators.LSHR, 31));
        VectorMask<Integer> roundUp = remainder.compare(VectorOperators.GT, threshold);
        // a set mask lane is -1 as a vector, so subtracting it adds one
        return x.lanewise(VectorOperators.ASHR, exponent).sub((IntVector) roundUp.toVector());
    }

    /** MultiplyByQuantizedMultiplier, int32 (§1.3), per-lane multiplier and shift in {@code [-31, 30]}. */
    public static IntVector multiplyByQuantizedMultiplier(IntVector x, IntVector multiplier, IntVector shift,
            Rounding rounding) {
        if (rounding == Rounding.SINGLE_ROUNDING) {
            IntVector total = IntVector.broadcast(INTS, 31).sub(shift);
            return narrow(singleRounding(x, multiplier, total, 0), singleRounding(x, multiplier, total, 1));
        }
        IntVector zero = IntVector.zero(INTS);
        IntVector left = shift.max(zero);
        IntVector right = shift.neg().max(zero);
        // x * (1 << left), wrapping like the C++ int32 multiplication
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x.lanewise(VectorOperators.LSHL, left),
                multiplier), right);
    }

    /** {@code (x*M + 2^(T-1)) >> T} in 64 bits for one half of the lanes. */
    private static LongVector singleRounding(IntVector x, IntVector multiplier, IntVector total, int part) {
        LongVector t = (LongVector) total.convert(VectorOperators.I2L, part);
        LongVector round = LongVector.broadcast(VectorShapes.LONGS, 1L)
                .lanewise(VectorOperators.LSHL, t.sub(1));
        return ((LongVector) x.convert(VectorOperators.I2L, part))
                .mul((LongVector) multiplier.convert(VectorOperators.I2L, part))
                .add(round).lanewise(VectorOperators.ASHR, t);
    }

    /**
     * MultiplyByQuantizedMultiplier with int64 accumulators (§1.4) on {@link VectorShapes#LONGS} lanes: the
     * 15-bit significand, one rounding, then truncation to int32 (returned sign-extended in long lanes).
     *
     * @param multiplier in {@code [0, 2^31)}; {@code shift} in {@code [-31, 7]}
     */
    public static LongVector multiplyByQuantizedMultiplier(LongVector x, int multiplier, int shift) {
        long reduced = FixedPoint.int64FormSignificand(multiplier);
        int total = 15 - shift;
        return x.mul(reduced).add(1L << (total - 1)).lanewise(VectorOperators.ASHR, total)
                .lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.ASHR, 32);
    }
}
