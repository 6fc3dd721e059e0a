package dev.qlanes.reference;

import dev.qlanes.reference.internal.Check;
import dev.qlanes.reference.internal.Validate;

/**
 * TFLite's {@code reference_integer_ops::FullyConnected} and {@code FullyConnectedPerChannel} (docs/semantics.md §4.2):
 * int8 input and filter, optional int32 bias, int8 output, in both requantizations TFLite has had
 * ({@link Requantization}):
 * <ul>
 *   <li>fixed point, {@link #fullyConnected} and {@link #fullyConnectedPerChannel}: the form the reference kernel
 *       used until April 2025 and the one Jacob et al. 2018 describe (§5), in either {@link Rounding} build;</li>
 *   <li>float, {@link #fullyConnectedDoubleFloat} and {@link #fullyConnectedPerChannelDoubleFloat}: the overloads
 *       taking float scales that TFLite's {@code kReference} kernel calls since April 2025.</li>
 * </ul>
 * Offsets follow TFLite's convention: {@code inputOffset = -zp_in}, {@code filterOffset = -zp_w},
 * {@code outputOffset = +zp_out}.
 */
public final class ReferenceIntegerOps {
    private ReferenceIntegerOps() {}

    /** Per-tensor FC, double rounding. */
    public static void fullyConnected(int inputOffset, int filterOffset, int outputOffset, int outputMultiplier,
            int outputShift, int activationMin, int activationMax, byte[] input, int batches, int accumDepth,
            byte[] filter, int outputDepth, int[] bias, byte[] output) {
        fullyConnected(inputOffset, filterOffset, outputOffset, outputMultiplier, outputShift, activationMin,
                activationMax, input, batches, accumDepth, filter, outputDepth, bias, output, Rounding.DOUBLE_ROUNDING);
    }

    /**
     * Per-tensor FC: {@code acc = Σ_d (filter[o][d] + filterOffset) * (input[b][d] + inputOffset)} (int32,
     * wrapping), {@code + bias[o]} when given, then
     * {@code output[b][o] = clamp(MBQM(acc, outputMultiplier, outputShift) + outputOffset, activationMin, activationMax)}.
     *
     * @param outputShift   in {@code [-31, 30]}
     * @param activationMin and {@code activationMax}: {@code -128 <= activationMin <= activationMax <= 127}
     * @param bias          nullable, length ≥ outputDepth
     */
    public static void fullyConnected(int inputOffset, int filterOffset, int outputOffset, int outputMultiplier,
            int outputShift, int activationMin, int activationMax, byte[] input, int batches, int accumDepth,
            byte[] filter, int outputDepth, int[] bias, byte[] output, Rounding rounding) {
        Validate.fullyConnected(input, batches, accumDepth, filter, outputDepth, bias, output, activationMin,
                activationMax, rounding);
        Check.inRange("outputShift", outputShift, FixedPoint.MIN_SHIFT, FixedPoint.MAX_SHIFT);
        for (int b = 0; b < batches; b++) {
            for (int o = 0; o < outputDepth; o++) {
                int acc = 0;
                for (int d = 0; d < accumDepth; d++) {
                    acc += (filter[o * accumDepth + d] + filterOffset) * (input[b * accumDepth + d] + inputOffset);
                }
                output[b * outputDepth + o] = requantize(acc, bias, o, outputMultiplier, outputShift, outputOffset,
                        activationMin, activationMax, rounding);
            }
        }
    }

    /** Per-channel FC, double rounding. */
    public static void fullyConnectedPerChannel(int inputOffset, int outputOffset, int[] outputMultiplier,
            int[] outputShift, int activationMin, int activationMax, byte[] input, int batches, int accumDepth,
            byte[] filter, int outputDepth, int[] bias, byte[] output) {
        fullyConnectedPerChannel(inputOffset, outputOffset, outputMultiplier, outputShift, activationMin, activationMax,
                input, batches, accumDepth, filter, outputDepth, bias, output, Rounding.DOUBLE_ROUNDING);
    }

    /**
     * Per-channel FC: like {@link #fullyConnected(int, int, int, int, int, int, int, byte[], int, int, byte[], int,
     * int[], byte[], Rounding)} with a multiplier and shift per output channel and no filter offset (per-channel
     * weights are symmetric, §4.2).
     *
     * @param outputMultiplier length ≥ outputDepth
     * @param outputShift      length ≥ outputDepth, each in {@code [-31, 30]}
     */
    public static void fullyConnectedPerChannel(int inputOffset, int outputOffset, int[] outputMultiplier,
            int[] outputShift, int activationMin, int activationMax, byte[] input, int batches, int accumDepth,
            byte[] filter, int outputDepth, int[] bias, byte[] output, Rounding rounding) {
        Validate.fullyConnected(input, batches, accumDepth, filter, outputDepth, bias, output, activationMin,
                activationMax, rounding);
        Check.array("outputMultiplier", outputMultiplier, outputDepth, "outputDepth");
        Check.array("outputShift", outputShift, outputDepth, "outputDepth");
        Validate.shifts("outputShift", outputShift, outputDepth);
        for (int b = 0; b < batches; b++) {
            for (int o = 0; o < outputDepth; o++) {
                int acc = 0;
                for (int d = 0; d < accumDepth; d++) {
                    acc += filter[o * accumDepth + d] * (input[b * accumDepth + d] + inputOffset);
                }
                output[b * outputDepth + o] = requantize(acc, bias, o, outputMultiplier[o], outputShift[o],
                        outputOffset, activationMin, activationMax, rounding);
            }
        }
    }

    /**
     * Per-tensor FC with float requantization ({@link Requantization#DOUBLE_FLOAT}): TFLite's
     * {@code reference_integer_ops::FullyConnected} overload taking {@code input_scale, output_scale, filter_scale}.
     * The accumulator is the fixed-point form's, {@code acc = Σ_d (filter[o][d] + filterOffset) * (input[b][d] +
     * inputOffset)} (int32, wrapping), {@code + bias[o]} when given (wrapping); then
     * {@code output[b][o] = clamp(requantizeInDouble(acc, effectiveScale) + outputOffset, activationMin,
     * activationMax)}, the addition wrapping in int32 as x86-64 executes it (so an out-of-range product, which
     * gives {@code INT32_MIN}, plus a negative {@code outputOffset} clamps to {@code activationMax}).
     *
     * @param effectiveScale finite; TFLite computes it as {@link FullyConnectedQuantization#effectiveScale}
     * @param activationMin  and {@code activationMax}: {@code -128 <= activationMin <= activationMax <= 127}
     * @param bias           nullable, length ≥ outputDepth
     * @throws IllegalArgumentException  for a non-finite scale, a negative size or a bad clamp, before writing
     * @throws NullPointerException      for a null array other than {@code bias}
     * @throws IndexOutOfBoundsException for an array too short for its shape
     */
    public static void fullyConnectedDoubleFloat(int inputOffset, int filterOffset, int outputOffset,
            double effectiveScale, int activationMin, int activationMax, byte[] input, int batches, int accumDepth,
            byte[] filter, int outputDepth, int[] bias, byte[] output) {
        Validate.fullyConnected(input, batches, accumDepth, filter, outputDepth, bias, output, activationMin,
                activationMax);
        Check.finite("effectiveScale", effectiveScale);
        for (int b = 0; b < batches; b++) {
            for (int o = 0; o < outputDepth; o++) {
                int acc = 0;
                for (int d = 0; d < accumDepth; d++) {
                    acc += (filter[o * accumDepth + d] + filterOffset) * (input[b * accumDepth + d] + inputOffset);
                }
                if (bias != null) {
                    acc += bias[o];
                }
                int y = requantizeInDouble(acc, effectiveScale) + outputOffset;
                output[b * outputDepth + o] = (byte) Math.min(activationMax, Math.max(activationMin, y));
            }
        }
    }

    /**
     * Per-channel FC with float requantization ({@link Requantization#DOUBLE_FLOAT}): TFLite's
     * {@code reference_integer_ops::FullyConnectedPerChannel} overload taking {@code input_scale, output_scale,
     * filter_scales}. Like {@link #fullyConnectedDoubleFloat} with one effective scale per output channel and no
     * filter offset (per-channel weights are symmetric, §4.2).
     *
     * @param effectiveScales length ≥ outputDepth, each finite; TFLite computes
     *                        {@link FullyConnectedQuantization#effectiveScale} with the channel's filter scale
     */
    public static void fullyConnectedPerChannelDoubleFloat(int inputOffset, int outputOffset,
            double[] effectiveScales, int activationMin, int activationMax, byte[] input, int batches,
            int accumDepth, byte[] filter, int outputDepth, int[] bias, byte[] output) {
        Validate.fullyConnected(input, batches, accumDepth, filter, outputDepth, bias, output, activationMin,
                activationMax);
        Check.array("effectiveScales", effectiveScales, outputDepth, "outputDepth");
        Validate.effectiveScales("effectiveScales", effectiveScales, outputDepth);
        for (int b = 0; b < batches; b++) {
            for (int o = 0; o < outputDepth; o++) {
                int acc = 0;
                for (int d = 0; d < accumDepth; d++) {
                    acc += filter[o * accumDepth + d] * (input[b * accumDepth + d] + inputOffset);
                }
                if (bias != null) {
                    acc += bias[o];
                }
                int y = requantizeInDouble(acc, effectiveScales[o]) + outputOffset;
                output[b * outputDepth + o] = (byte) Math.min(activationMax, Math.max(activationMin, y));
            }
        }
    }

    /**
     * The float requantization of one accumulator (§4.2, {@link Requantization#DOUBLE_FLOAT}):
     * {@code static_cast<int32_t>(round(static_cast<double>(acc) * effectiveScale))} as x86-64 computes it. The
     * conversion of {@code acc} is exact and the product is one binary64 rounding (to nearest even);
     * {@code round} goes to the nearest integer with ties away from zero ({@link CppMath#round(double)}); the
     * conversion truncates ({@link CppMath#truncToInt(double)}), giving {@code INT32_MIN} when the rounded value
     * is outside {@code [-2^31, 2^31)} or NaN (undefined in C++, {@code cvttsd2si}'s result on x86-64). So every
     * product with {@code |acc·eff| >= 2^31 - 0.5} gives {@code INT32_MIN}, whatever its sign.
     */
    public static int requantizeInDouble(int acc, double effectiveScale) {
        return CppMath.truncToInt(CppMath.round((double) acc * effectiveScale));
    }

    private static byte requantize(int acc, int[] bias, int o, int multiplier, int shift, int outputOffset,
            int activationMin, int activationMax, Rounding rounding) {
        if (bias != null) {
            acc += bias[o];
        }
        int y = FixedPoint.multiplyByQuantizedMultiplier(acc, multiplier, shift, rounding) + outputOffset;
        return (byte) Math.min(activationMax, Math.max(activationMin, y));
    }
}
