package dev.qlanes.reference;

import dev.qlanes.reference.internal.Check;

/**
 * A real multiplier as TFLite's {@code QuantizeMultiplier} encodes it (docs/semantics.md §1.5):
 * {@code real ≈ multiplier / 2^31 * 2^shift}, with {@code multiplier} a Q0.31 significand.
 *
 * @param multiplier Q0.31 significand, in {@code [2^30, 2^31)} for positive reals (negated for negative
 *                   reals), 0 for zero and tiny reals
 * @param shift the frexp exponent: positive means a left shift, negative a right shift
 */
public record QuantizedMultiplier(int multiplier, int shift) {

    /** Below this exponent the multiplier flushes to (0, 0) (§1.5 step 5). */
    private static final int MIN_EXPONENT = -31;
    /** Single-rounding builds saturate exponents above this to {@code (2^31 - 1, 30)} (§1.5 step 6). */
    private static final int SINGLE_ROUNDING_MAX_EXPONENT = 30;

    /** {@code QuantizeMultiplier} of TFLite's default (double-rounding) build; same as {@code of(d, DOUBLE_ROUNDING)}. */
    public static QuantizedMultiplier of(double realMultiplier) {
        return of(realMultiplier, Rounding.DOUBLE_ROUNDING);
    }

    /**
     * {@code QuantizeMultiplier(d)} (§1.5): {@code (q, e) = frexp(d)}, {@code M = round(q * 2^31)} (ties away),
     * renormalized when it rounds up to {@code 2^31}; exponents below -31 flush to {@code (0, 0)}; in
     * {@link Rounding#SINGLE_ROUNDING} builds exponents above 30 saturate to {@code (2^31 - 1, 30)}.
     * Double-rounding builds keep huge exponents (e.g. {@code 1e10 → (1250000000, 34)}), which
     * {@link FixedPoint#multiplyByQuantizedMultiplier(int, int, int)} then rejects.
     *
     * @throws IllegalArgumentException if {@code realMultiplier} is NaN or infinite (TFLite returns garbage)
     * @throws NullPointerException if {@code rounding} is null
     */
    public static QuantizedMultiplier of(double realMultiplier, Rounding rounding) {
        Check.notNull("rounding", rounding);
        if (!Double.isFinite(realMultiplier)) {
            throw new IllegalArgumentException("realMultiplier = " + realMultiplier + ", expected a finite value");
        }
        if (realMultiplier == 0.0 || Math.abs(realMultiplier) < Double.MIN_NORMAL) {
            return new QuantizedMultiplier(0, 0); // zero, and subnormals, which step 5 would flush anyway
        }
        // frexp: d = q * 2^e with 0.5 <= |q| < 1; scaling by a power of two is exact for normal values.
        int exponent = Math.getExponent(realMultiplier) + 1;
        double significand = Math.scalb(realMultiplier, -exponent);
        long fixed = (long) CppMath.round(significand * (1L << 31));
        if (fixed == (1L << 31)) {
            fixed = 1L << 30;
            exponent++;
        }
        if (exponent < MIN_EXPONENT) {
            return new QuantizedMultiplier(0, 0);
        }
        if (rounding == Rounding.SINGLE_ROUNDING && exponent > SINGLE_ROUNDING_MAX_EXPONENT) {
            return new QuantizedMultiplier(Integer.MAX_VALUE, SINGLE_ROUNDING_MAX_EXPONENT);
        }
        return new QuantizedMultiplier((int) fixed, exponent);
    }
}
