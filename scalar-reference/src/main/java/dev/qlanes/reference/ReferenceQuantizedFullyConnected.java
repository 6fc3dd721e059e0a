package dev.qlanes.reference;

import dev.qlanes.reference.internal.Check;

/**
 * TFLite's full-integer int8 FULLY_CONNECTED as one call (docs/semantics.md §1.6, §4.2): the derivation of multipliers
 * and clamp from real scales and zero points ({@link QuantizedFullyConnectedParameters}), then, by
 * {@link Requantization}, {@link ReferenceIntegerOps#fullyConnected} (per-tensor weights) or
 * {@link ReferenceIntegerOps#fullyConnectedPerChannel} (per-channel weights) in fixed point, or
 * {@link ReferenceIntegerOps#fullyConnectedDoubleFloat} / {@link ReferenceIntegerOps#fullyConnectedPerChannelDoubleFloat}
 * in double. The reference twin of {@code dev.qlanes.QuantizedFullyConnected}.
 */
public final class ReferenceQuantizedFullyConnected {
    private ReferenceQuantizedFullyConnected() {}

    /**
     * Derives the fixed-point parameters and evaluates the layer:
     * {@code output[b][u] = clamp(MBQM(Σ_c filter[u][c]·(input[b][c] − inputZeroPoint) + bias[u], M_u, shift_u)
     * + outputZeroPoint, activationMin, activationMax)}; the same as
     * {@link #eval(byte[], int, int, float, int, byte[], int, float, float[], int[], float, int, FusedActivation,
     * Requantization, byte[])} with {@link Requantization#fixedPoint(Rounding)}.
     *
     * @param input           {@code [batch][inputSize]} int8
     * @param inputScale      finite, {@code > 0}
     * @param inputZeroPoint  in {@code [-128, 127]}
     * @param filter          {@code [units][inputSize]} int8, symmetric (zero point 0)
     * @param filterScale     the per-tensor weight scale; ignored when {@code perChannelScale} is given
     * @param perChannelScale nullable; {@code [units]} weight scales, one per output channel
     * @param bias            nullable, {@code [units]} int32 with scale {@code inputScale × filterScale}
     * @param outputScale     finite, {@code > 0}
     * @param outputZeroPoint in {@code [-128, 127]}
     * @param output          {@code [batch][units]}, overwritten
     * @throws IllegalArgumentException  for invalid parameters ({@link QuantizedFullyConnectedParameters}) or
     *                                   negative sizes, before anything is written
     * @throws NullPointerException      for a null array that is not documented as nullable
     * @throws IndexOutOfBoundsException for an array too short for its shape
     */
    public static void eval(byte[] input, int batch, int inputSize, float inputScale, int inputZeroPoint,
            byte[] filter, int units, float filterScale, float[] perChannelScale, int[] bias, float outputScale,
            int outputZeroPoint, FusedActivation activation, Rounding rounding, byte[] output) {
        eval(input, batch, inputSize, inputScale, inputZeroPoint, filter, units, filterScale, perChannelScale, bias,
                outputScale, outputZeroPoint, activation, Requantization.fixedPoint(rounding), output);
    }

    /**
     * Derives the parameters of {@code requantization} and evaluates the layer. With
     * {@code acc[b][u] = Σ_c filter[u][c]·(input[b][c] − inputZeroPoint) + bias[u]} (int32, wrapping):
     * <ul>
     *   <li>fixed point: {@code output[b][u] = clamp(MBQM(acc, M_u, shift_u) + outputZeroPoint, activationMin,
     *       activationMax)} in the requantization's {@link Rounding};</li>
     *   <li>{@link Requantization#DOUBLE_FLOAT}: {@code output[b][u] = clamp(trunc_i32(round(fl64((double) acc ·
     *       eff_u))) + outputZeroPoint, activationMin, activationMax)}, {@code eff_u = (double) inputScale ·
     *       (double) S_w[u] / (double) outputScale} ({@link ReferenceIntegerOps#requantizeInDouble}).</li>
     * </ul>
     *
     * @param input           {@code [batch][inputSize]} int8
     * @param inputScale      finite, {@code > 0}
     * @param inputZeroPoint  in {@code [-128, 127]}
     * @param filter          {@code [units][inputSize]} int8, symmetric (zero point 0)
     * @param filterScale     the per-tensor weight scale; ignored when {@code perChannelScale} is given
     * @param perChannelScale nullable; {@code [units]} weight scales, one per output channel
     * @param bias            nullable, {@code [units]} int32 with scale {@code inputScale × filterScale}
     * @param outputScale     finite, {@code > 0}
     * @param outputZeroPoint in {@code [-128, 127]}
     * @param output          {@code [batch][units]}, overwritten
     * @throws IllegalArgumentException  for invalid parameters ({@link QuantizedFullyConnectedParameters}) or
     *                                   negative sizes, before anything is written
     * @throws NullPointerException      for a null array that is not documented as nullable, or a null
     *                                   {@code activation} or {@code requantization}
     * @throws IndexOutOfBoundsException for an array too short for its shape
     */
    public static void eval(byte[] input, int batch, int inputSize, float inputScale, int inputZeroPoint,
            byte[] filter, int units, float filterScale, float[] perChannelScale, int[] bias, float outputScale,
            int outputZeroPoint, FusedActivation activation, Requantization requantization, byte[] output) {
        Check.nonNegative("units", units);
        Check.optionalArray("perChannelScale", perChannelScale, units, "units");
        QuantizedFullyConnectedParameters p = perChannelScale == null
                ? QuantizedFullyConnectedParameters.perTensor(inputScale, inputZeroPoint, filterScale, outputScale,
                        outputZeroPoint, activation, requantization)
                : QuantizedFullyConnectedParameters.perChannel(inputScale, inputZeroPoint,
                        java.util.Arrays.copyOf(perChannelScale, units), outputScale, outputZeroPoint, activation,
                        requantization);
        eval(p, input, batch, inputSize, filter, units, bias, output);
    }

    /**
     * Evaluates the layer with parameters derived beforehand.
     *
     * @param parameters per channel with at least {@code units} channels, or per tensor
     * @see #eval(byte[], int, int, float, int, byte[], int, float, float[], int[], float, int, FusedActivation,
     *      Requantization, byte[])
     */
    public static void eval(QuantizedFullyConnectedParameters parameters, byte[] input, int batch, int inputSize,
            byte[] filter, int units, int[] bias, byte[] output) {
        Check.notNull("parameters", parameters);
        Check.nonNegative("units", units);
        if (!parameters.requantization().isFixedPoint()) {
            if (parameters.perChannel()) {
                Check.length("parameters.channels()", parameters.channels(), units, "units");
                ReferenceIntegerOps.fullyConnectedPerChannelDoubleFloat(parameters.inputOffset(),
                        parameters.outputOffset(), parameters.effectiveScales(), parameters.activationMin(),
                        parameters.activationMax(), input, batch, inputSize, filter, units, bias, output);
            } else {
                ReferenceIntegerOps.fullyConnectedDoubleFloat(parameters.inputOffset(), 0, parameters.outputOffset(),
                        parameters.effectiveScale(0), parameters.activationMin(), parameters.activationMax(), input,
                        batch, inputSize, filter, units, bias, output);
            }
        } else if (parameters.perChannel()) {
            Check.length("parameters.channels()", parameters.channels(), units, "units");
            ReferenceIntegerOps.fullyConnectedPerChannel(parameters.inputOffset(), parameters.outputOffset(),
                    parameters.multipliers(), parameters.shifts(), parameters.activationMin(),
                    parameters.activationMax(), input, batch, inputSize, filter, units, bias, output,
                    parameters.rounding());
        } else {
            ReferenceIntegerOps.fullyConnected(parameters.inputOffset(), 0, parameters.outputOffset(),
                    parameters.multiplier(0), parameters.shift(0), parameters.activationMin(),
                    parameters.activationMax(), input, batch, inputSize, filter, units, bias, output,
                    parameters.rounding());
        }
    }
}
