package dev.qlanes.reference;

import dev.qlanes.reference.internal.Check;
import dev.qlanes.reference.internal.Validate;

/**
 * TFLite's {@code reference_integer_ops::FullyConnected} and {@code FullyConnectedPerChannel} in their
 * fixed-point form (SEMANTICS.md §4.2): int8 input and filter, optional int32 bias, int8 output. This is
 * the form the reference kernel used until April 2025 and the one Jacob et al. 2018 describe (§5);
 * offsets follow TFLite's convention: {@code inputOffset = -zp_in}, {@code filterOffset = -zp_w},
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

    private static byte requantize(int acc, int[] bias, int o, int multiplier, int shift, int outputOffset,
            int activationMin, int activationMax, Rounding rounding) {
        if (bias != null) {
            acc += bias[o];
        }
        int y = FixedPoint.multiplyByQuantizedMultiplier(acc, multiplier, shift, rounding) + outputOffset;
        return (byte) Math.min(activationMax, Math.max(activationMin, y));
    }
}
