package dev.qlanes.reference;

import dev.qlanes.reference.internal.Check;

/**
 * How TFLite's full-integer int8 FULLY_CONNECTED turns the int32 accumulator {@code acc} (bias included) into an
 * output before the output zero point and the clamp are applied (docs/semantics.md §1.3, §4.2). TFLite chooses by build
 * macro and kernel; here it is a value.
 *
 * <ul>
 *   <li>The two fixed-point forms apply {@code MultiplyByQuantizedMultiplier(acc, M, shift)}, with
 *       {@code (M, shift) = QuantizeMultiplier(real)} derived by {@code Prepare} (§1.5, §1.6), in one of the two
 *       {@link Rounding} builds.</li>
 *   <li>{@link #DOUBLE_FLOAT} multiplies in binary64 by an effective scale and rounds once, with no fixed-point
 *       multiplier at all.</li>
 * </ul>
 *
 * <p>The three disagree only where a rounding decides (ties and near-ties), but there they disagree, so the choice
 * must match the TFLite build whose outputs are to be reproduced.
 */
public enum Requantization {
    /**
     * {@code MBQM} in {@link Rounding#DOUBLE_ROUNDING}: {@code reference_integer_ops::FullyConnected[PerChannel]}
     * with {@code (output_multiplier, output_shift)} in TFLite's default build (no {@code TFLITE_SINGLE_ROUNDING}).
     * This is what TFLite's {@code kReference} FULLY_CONNECTED kernel computed until April 2025, and what
     * integer-only inference (Jacob et al. 2018) describes.
     */
    FIXED_POINT_DOUBLE_ROUNDING(Rounding.DOUBLE_ROUNDING),
    /**
     * {@code MBQM} in {@link Rounding#SINGLE_ROUNDING}: the same fixed-point reference kernel in a
     * {@code TFLITE_SINGLE_ROUNDING=1} build; also what ruy's ARM64 kernels (TFLite's default optimized kernel on
     * ARM64) compute.
     */
    FIXED_POINT_SINGLE_ROUNDING(Rounding.SINGLE_ROUNDING),
    /**
     * Requantization in double-precision floating point, TFLite's {@code kReference} FULLY_CONNECTED kernel since
     * LiteRT 9213607 / TF 7743831 (2025-04-14, "Make the fully_connected ref kernel do requant in float"): the
     * overloads of {@code reference_integer_ops::FullyConnected[PerChannel]} that take the float scales. With
     * {@code eff = fl64((double) S_in · (double) S_w / (double) S_out)} ({@code S_w} of the output channel when per
     * channel), {@code y = trunc_i32(round(fl64((double) acc · eff)))}, where {@code round} is {@code std::round}
     * (ties away from zero, in double) and {@code trunc_i32} is {@code static_cast<int32_t>} as x86-64 computes it
     * ({@code INT32_MIN} when the rounded value is outside the int32 range). No {@code QuantizeMultiplier}, so no
     * limit on the size of the scale.
     */
    DOUBLE_FLOAT(null);

    private final Rounding rounding;

    Requantization(Rounding rounding) {
        this.rounding = rounding;
    }

    /**
     * The fixed-point requantization in {@code rounding}: {@link #FIXED_POINT_DOUBLE_ROUNDING} or
     * {@link #FIXED_POINT_SINGLE_ROUNDING}.
     *
     * @throws NullPointerException if {@code rounding} is null
     */
    public static Requantization fixedPoint(Rounding rounding) {
        return switch (Check.notNull("rounding", rounding)) {
            case DOUBLE_ROUNDING -> FIXED_POINT_DOUBLE_ROUNDING;
            case SINGLE_ROUNDING -> FIXED_POINT_SINGLE_ROUNDING;
        };
    }

    /** Whether this applies a fixed-point multiplier ({@code MultiplyByQuantizedMultiplier}). */
    public boolean isFixedPoint() {
        return rounding != null;
    }

    /**
     * The build mode of a fixed-point requantization.
     *
     * @throws IllegalStateException for {@link #DOUBLE_FLOAT}, which has no fixed-point multiplier
     */
    public Rounding rounding() {
        if (rounding == null) {
            throw new IllegalStateException(this + " has no fixed-point rounding; check isFixedPoint() first");
        }
        return rounding;
    }
}
