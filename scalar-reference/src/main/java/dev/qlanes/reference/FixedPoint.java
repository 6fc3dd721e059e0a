package dev.qlanes.reference;

import dev.qlanes.reference.internal.Check;

/**
 * gemmlowp/TFLite fixed-point requantization primitives (docs/semantics.md §1.1–§1.4), written as the
 * C++ source states them. Vector kernels mirror these method by method.
 */
public final class FixedPoint {
    private FixedPoint() {}

    /** {@code 2^30}: the rounding nudge of SRDHM, half of the {@code 2^31} divisor. */
    private static final long SRDHM_NUDGE = 1L << 30;
    /** Smallest shift a quantized multiplier may carry: {@code QuantizeMultiplier} flushes anything smaller to 0. */
    public static final int MIN_SHIFT = -31;
    /** Largest shift of the int32 forms: {@code x * (1 << 31)} would be undefined in C++. */
    public static final int MAX_SHIFT = 30;
    /** Largest shift of the int64 form, whose contract is {@code shift < 8} (§1.4). */
    public static final int MAX_SHIFT_INT64 = 7;
    /** The int64 form's 15-bit significand saturates here, so that {@code M >= 0x7FFF0000} becomes 32767 (§1.4). */
    private static final int INT64_FORM_SATURATION = 0x7FFF0000;

    /**
     * SaturatingRoundingDoublingHighMul (§1.1): {@code a*b / 2^31} rounded to nearest, ties toward
     * +infinity; {@code INT32_MIN * INT32_MIN} saturates to {@code INT32_MAX}, the only case that can
     * overflow. The scalar model of ARM {@code SQRDMULH}.
     */
    public static int saturatingRoundingDoublingHighMul(int a, int b) {
        if (a == b && a == Integer.MIN_VALUE) {
            return Integer.MAX_VALUE;
        }
        long ab = (long) a * (long) b;
        long nudge = ab >= 0 ? SRDHM_NUDGE : 1 - SRDHM_NUDGE;
        // Java's long division truncates toward zero, exactly like the C++ source.
        return (int) ((ab + nudge) / (1L << 31));
    }

    /**
     * RoundingDivideByPOT (§1.2): {@code x / 2^exponent} rounded to nearest, ties away from zero.
     *
     * @param exponent in {@code [0, 31]}
     * @throws IllegalArgumentException if {@code exponent} is outside {@code [0, 31]}
     */
    public static int roundingDivideByPOT(int x, int exponent) {
        Check.inRange("exponent", exponent, 0, 31);
        int mask = (int) ((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /**
     * MultiplyByQuantizedMultiplier with int32 {@code x}, TFLite's default double-rounding build (§1.3).
     *
     * @param quantizedMultiplier Q0.31 significand, normally in {@code [2^30, 2^31)} or 0
     * @param shift power-of-two exponent in {@code [-31, 30]}; positive shifts left (wrapping), negative right
     */
    public static int multiplyByQuantizedMultiplier(int x, int quantizedMultiplier, int shift) {
        return multiplyByQuantizedMultiplier(x, quantizedMultiplier, shift, Rounding.DOUBLE_ROUNDING);
    }

    /**
     * MultiplyByQuantizedMultiplier with int32 {@code x} in the given build mode (§1.3).
     * <ul>
     *   <li>{@link Rounding#DOUBLE_ROUNDING}: {@code RDBPOT(SRDHM(x * 2^max(shift,0), M), max(-shift,0))};
     *       the left shift is an int32 multiplication that wraps on overflow.</li>
     *   <li>{@link Rounding#SINGLE_ROUNDING}: {@code (int)((x*M + 2^(T-1)) >> T)} with {@code T = 31 - shift},
     *       in 64 bits; the final narrowing wraps like the C++ cast.</li>
     * </ul>
     *
     * @param shift in {@code [-31, 30]}
     * @throws IllegalArgumentException if {@code shift} is out of range
     * @throws NullPointerException if {@code rounding} is null
     */
    public static int multiplyByQuantizedMultiplier(int x, int quantizedMultiplier, int shift, Rounding rounding) {
        Check.notNull("rounding", rounding);
        Check.inRange("shift", shift, MIN_SHIFT, MAX_SHIFT);
        if (rounding == Rounding.SINGLE_ROUNDING) {
            int total = 31 - shift;
            long round = 1L << (total - 1);
            return (int) (((long) x * quantizedMultiplier + round) >> total);
        }
        int leftShift = Math.max(shift, 0);
        int rightShift = Math.max(-shift, 0);
        return roundingDivideByPOT(
                saturatingRoundingDoublingHighMul(x * (1 << leftShift), quantizedMultiplier), rightShift);
    }

    /**
     * The 15-bit significand the int64 form multiplies by (§1.4): {@code (M + 2^15) >> 16}, rounded half up,
     * saturating at 32767 for {@code M >= 0x7FFF0000}.
     *
     * @param quantizedMultiplier in {@code [0, 2^31)}
     */
    public static int int64FormSignificand(int quantizedMultiplier) {
        return quantizedMultiplier < INT64_FORM_SATURATION ? (quantizedMultiplier + (1 << 15)) >> 16 : 0x7FFF;
    }

    /**
     * MultiplyByQuantizedMultiplier with an int64 accumulator (§1.4), identical in both build modes: the
     * multiplier is reduced to a 15-bit significand {@code M16} (rounded half up, saturating at 32767),
     * then {@code (int)((x*M16 + 2^(T-1)) >> T)} with {@code T = 15 - shift}; the narrowing truncates
     * without saturation. The contract's {@code -2^47 <= x < 2^47} is not checked: outside it the 64-bit
     * product wraps deterministically.
     *
     * @param quantizedMultiplier in {@code [0, 2^31)}
     * @param shift in {@code [-31, 7]}
     * @throws IllegalArgumentException if the multiplier is negative or the shift out of range
     */
    public static int multiplyByQuantizedMultiplier(long x, int quantizedMultiplier, int shift) {
        Check.inRange("quantizedMultiplier", quantizedMultiplier, 0, Integer.MAX_VALUE);
        Check.inRange("shift", shift, MIN_SHIFT, MAX_SHIFT_INT64);
        int reduced = int64FormSignificand(quantizedMultiplier);
        int total = 15 - shift;
        long round = 1L << (total - 1);
        return (int) ((x * reduced + round) >> total);
    }
}
