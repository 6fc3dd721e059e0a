package dev.qlanes.jmh.accuracy;

import dev.qlanes.reference.CppMath;
import dev.qlanes.reference.FullyConnectedQuantization;
import dev.qlanes.reference.FullyConnectedQuantization.ActivationRange;
import dev.qlanes.reference.FullyConnectedQuantization.QuantizationParams;
import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.QuantizedMultiplier;
import dev.qlanes.reference.ReferenceIntegerOps;

/**
 * TFLite's full-integer int8 FULLY_CONNECTED between a QUANTIZE and a DEQUANTIZE op, with the parameters a
 * converter would derive: int8 input {@code (S1, Z1)} and output {@code (S3, Z3)} from a calibration batch,
 * symmetric int8 weights {@code (S2, Z2 = 0)}, int32 bias with scale {@code S1·S2}, and the fixed-point
 * multiplier {@code M = S1·S2/S3} (docs/semantics.md §1.5–1.7, §4.2, §5). The layer itself is
 * {@link ReferenceIntegerOps#fullyConnected} / {@code fullyConnectedPerChannel}, double rounding.
 *
 * <p>What it costs compared with {@link HybridPath}: the output is rounded once more, onto a 256-level grid
 * {@code S3·(q3 − Z3)} fixed at calibration time, and inputs and outputs outside the calibrated ranges are
 * clipped. The input range is also fixed, instead of being measured per row.
 */
public final class FullIntegerPath {
    private FullIntegerPath() {}

    private static final int INT8_MIN = -128;
    private static final int INT8_MAX = 127;

    /**
     * The calibrated activation parameters. Scales are float because that is how a .tflite file stores them.
     *
     * @param inputScale      S1
     * @param inputZeroPoint  Z1
     * @param outputScale     S3
     * @param outputZeroPoint Z3
     */
    public record Calibration(float inputScale, int inputZeroPoint, float outputScale, int outputZeroPoint) {
        /** The smallest and largest real outputs the int8 output can represent. */
        public double outputMin() {
            return (double) outputScale * (INT8_MIN - outputZeroPoint);
        }

        /** See {@link #outputMin()}. */
        public double outputMax() {
            return (double) outputScale * (INT8_MAX - outputZeroPoint);
        }

        /** Share of {@code truth} more than half a step outside the representable range, i.e. clipped. */
        public double clippedFraction(double[] truth) {
            double lo = outputMin() - 0.5 * outputScale;
            double hi = outputMax() + 0.5 * outputScale;
            int clipped = 0;
            for (double t : truth) {
                if (t < lo || t > hi) {
                    clipped++;
                }
            }
            return truth.length == 0 ? 0.0 : (double) clipped / truth.length;
        }
    }

    /**
     * Chooses {@code (S1, Z1)} from the range of the calibration inputs and {@code (S3, Z3)} from the range of
     * the float layer's outputs on the same calibration batch — never from the evaluation batch, as in a real
     * deployment. Each range is widened to contain 0 and passed to
     * {@link FullyConnectedQuantization#chooseQuantizationParams} (TFLite's {@code ChooseQuantizationParams}).
     */
    public static Calibration calibrate(LayerCase layer) {
        double[] outputs = FloatPath.truth(layer.weights(), layer.units(), layer.inputSize(), layer.bias(),
                layer.calibration(), layer.calibrationBatch());
        return calibrate(layer.calibration(), outputs);
    }

    /** {@link #calibrate(LayerCase)} from given calibration inputs and their float outputs. */
    public static Calibration calibrate(float[] calibrationInputs, double[] calibrationOutputs) {
        QuantizationParams in = paramsFor(minOf(calibrationInputs), maxOf(calibrationInputs));
        QuantizationParams out = paramsFor(minOf(calibrationOutputs), maxOf(calibrationOutputs));
        return new Calibration((float) in.scale(), in.zeroPoint(), (float) out.scale(), out.zeroPoint());
    }

    private static QuantizationParams paramsFor(double min, double max) {
        QuantizationParams p = FullyConnectedQuantization.chooseQuantizationParams(Math.min(0.0, min),
                Math.max(0.0, max), INT8_MIN, INT8_MAX);
        if (!(p.scale() > 0)) {
            throw new IllegalArgumentException("calibration range is empty: [" + min + ", " + max + "]");
        }
        return p;
    }

    /**
     * Runs the layer on {@code input} and dequantizes the int8 result to float, so that it can be compared
     * with the other paths.
     *
     * @param input {@code [batch][inputSize]} float activations, quantized with the calibrated {@code (S1, Z1)}
     * @return {@code [batch][units]} dequantized outputs {@code S3·(q3 − Z3)}
     */
    public static float[] run(float[] input, int batch, QuantizedWeights weights, float[] bias, Calibration cal) {
        int units = weights.units();
        int inputSize = weights.inputSize();
        byte[] q1 = quantize(input, cal.inputScale(), cal.inputZeroPoint());
        int[] biasQ = quantizeBias(bias, cal.inputScale(), weights);
        ActivationRange clamp = FullyConnectedQuantization.activationRange(FusedActivation.NONE, cal.outputScale(),
                cal.outputZeroPoint(), INT8_MIN, INT8_MAX);
        byte[] q3 = new byte[batch * units];
        // Kernel offsets follow TFLite: input_offset = −Z1, output_offset = +Z3, weights_offset = −Z2 = 0.
        if (weights.perChannel()) {
            int[] multipliers = new int[units];
            int[] shifts = new int[units];
            for (int u = 0; u < units; u++) {
                // Prepare (§1.6): per channel M_u = S1·S2[u]/S3 entirely in double, then QuantizeMultiplier.
                QuantizedMultiplier m = QuantizedMultiplier.of(FullyConnectedQuantization.realMultiplierPerChannel(
                        cal.inputScale(), weights.scaleOf(u), cal.outputScale()));
                multipliers[u] = m.multiplier();
                shifts[u] = m.shift();
            }
            ReferenceIntegerOps.fullyConnectedPerChannel(-cal.inputZeroPoint(), cal.outputZeroPoint(), multipliers,
                    shifts, clamp.min(), clamp.max(), q1, batch, inputSize, weights.values(), units, biasQ, q3);
        } else {
            // Prepare (§1.6): per tensor M = fl32(S1·S2)/S3, the scale product rounded to float first.
            QuantizedMultiplier m = QuantizedMultiplier.of(FullyConnectedQuantization.realMultiplier(
                    cal.inputScale(), weights.scale(), cal.outputScale()));
            ReferenceIntegerOps.fullyConnected(-cal.inputZeroPoint(), 0, cal.outputZeroPoint(), m.multiplier(),
                    m.shift(), clamp.min(), clamp.max(), q1, batch, inputSize, weights.values(), units, biasQ, q3);
        }
        return dequantize(q3, cal.outputScale(), cal.outputZeroPoint());
    }

    /**
     * TFLite's QUANTIZE op ({@code reference_ops::AffineQuantize}):
     * {@code q = clamp((int32) round(x / (double) S) + Z, -128, 127)}, ties away from zero.
     */
    static byte[] quantize(float[] x, float scale, int zeroPoint) {
        byte[] q = new byte[x.length];
        for (int i = 0; i < x.length; i++) {
            int v = CppMath.truncToInt(CppMath.round((double) x[i] / (double) scale)) + zeroPoint;
            q[i] = (byte) Math.max(INT8_MIN, Math.min(INT8_MAX, v));
        }
        return q;
    }

    /** TFLite's DEQUANTIZE op ({@code reference_ops::Dequantize}): {@code (float)((double) S · (q − Z))}. */
    static float[] dequantize(byte[] q, float scale, int zeroPoint) {
        float[] r = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            r[i] = (float) ((double) scale * (q[i] - zeroPoint));
        }
        return r;
    }

    /**
     * The converter's int32 bias: scale {@code fl32(S1·S2[u])}, zero point 0, {@code round(b / scale)}
     * clamped to ±(2^31 − 1). Sharing the accumulator's scale lets the bias be added before requantization.
     */
    static int[] quantizeBias(float[] bias, float inputScale, QuantizedWeights weights) {
        int[] q = new int[bias.length];
        for (int u = 0; u < bias.length; u++) {
            float biasScale = inputScale * weights.scaleOf(u);
            double v = CppMath.round((double) bias[u] / (double) biasScale);
            q[u] = (int) Math.max(-Integer.MAX_VALUE, Math.min(Integer.MAX_VALUE, v));
        }
        return q;
    }

    private static double minOf(float[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (float x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static double maxOf(float[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static double minOf(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static double maxOf(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
