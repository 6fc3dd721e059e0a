package dev.qlanes.reference;

import dev.qlanes.reference.internal.Check;

/**
 * How TFLite's FULLY_CONNECTED {@code Prepare} derives the integer parameters of the full-integer path
 * from real scales and zero points (docs/semantics.md §1.6, §1.7): the real multiplier {@code M = S1·S2/S3},
 * the fused-activation clamp, the bias-scale check and {@code ChooseQuantizationParams}.
 */
public final class FullyConnectedQuantization {
    private FullyConnectedQuantization() {}

    /** Prepare fails when the bias scale differs from {@code S1·S2} by more than this, relative to S3 (§1.6). */
    public static final double BIAS_SCALE_TOLERANCE = 0.02;

    /** An integer clamp range {@code [min, max]}. */
    public record ActivationRange(int min, int max) {}

    /** A scale and zero point chosen for a real range (§1.7). */
    public record QuantizationParams(double scale, int zeroPoint) {}

    /**
     * Per-tensor real multiplier {@code fl64((double) fl32(inputScale * filterScale) / (double) outputScale)}:
     * the scale product is rounded to float first (§1.6).
     */
    public static double realMultiplier(float inputScale, float filterScale, float outputScale) {
        float product = inputScale * filterScale;
        return (double) product / (double) outputScale;
    }

    /** Per-channel real multiplier {@code (double) inputScale * (double) filterScale / (double) outputScale}, all in double (§1.6). */
    public static double realMultiplierPerChannel(float inputScale, float filterScale, float outputScale) {
        return (double) inputScale * (double) filterScale / (double) outputScale;
    }

    /**
     * The effective scale of the float-requantizing reference kernel ({@link Requantization#DOUBLE_FLOAT}, §4.2):
     * {@code fl64(fl64((double) inputScale · (double) filterScale) / (double) outputScale)}, all in double, per
     * tensor and per channel alike ({@code filterScale} is the output channel's scale when per channel). TFLite's
     * {@code reference_integer_ops::FullyConnected[PerChannel]} evaluates it from the tensors' float scales at every
     * output; the product of two floats is exact in double, so only the division rounds. Unlike
     * {@link #realMultiplier}, the per-tensor product is not rounded to float first.
     */
    public static double effectiveScale(float inputScale, float filterScale, float outputScale) {
        return (double) inputScale * (double) filterScale / (double) outputScale;
    }

    /**
     * TFLite's bias-scale check, for a model reader that must accept or reject a FULLY_CONNECTED the way TFLite's
     * {@code Prepare} does: {@code GetQuantizedConvolutionMultipler} ({@code kernel_util.cc}) fails the model unless
     * {@code |(double) inputScale · (double) filterScale − (double) biasScale| / (double) outputScale <= 0.02}. The
     * product is taken in double from the two floats (unlike {@link #realMultiplier}, which rounds it to float
     * first), the tolerance is inclusive, and any NaN (a NaN scale, or a zero output scale with equal scales) makes
     * the check fail, as {@code TF_LITE_ENSURE} on a false comparison does. TFLite applies it only when a bias
     * tensor is present and the filter is quantized per tensor (per-channel FULLY_CONNECTED skips it); the layers
     * take the int32 bias as given and do not call it.
     *
     * @return whether TFLite's {@code Prepare} accepts these scales
     */
    public static boolean biasScaleMatches(float inputScale, float filterScale, float biasScale, float outputScale) {
        double product = (double) inputScale * (double) filterScale;
        return Math.abs(product - biasScale) / outputScale <= BIAS_SCALE_TOLERANCE;
    }

    /**
     * {@code CalculateActivationRangeQuantized} (§1.6): {@code Q(f) = zp + trunc(round(fl32(f / scale)))};
     * RELU → {@code [max(qmin, Q(0)), qmax]}, RELU6 → {@code [max(qmin, Q(0)), min(qmax, Q(6))]},
     * RELU_N1_TO_1 → {@code [max(qmin, Q(-1)), min(qmax, Q(1))]}, NONE → {@code [qmin, qmax]}.
     *
     * @param qmin and {@code qmax}: the output type's range, e.g. (-128, 127) for int8, (-32768, 32767) for int16
     */
    public static ActivationRange activationRange(FusedActivation activation, float outputScale, int outputZeroPoint,
            int qmin, int qmax) {
        Check.notNull("activation", activation);
        return switch (activation) {
            case NONE -> new ActivationRange(qmin, qmax);
            case RELU -> new ActivationRange(Math.max(qmin, quantize(0.0f, outputScale, outputZeroPoint)), qmax);
            case RELU6 -> new ActivationRange(Math.max(qmin, quantize(0.0f, outputScale, outputZeroPoint)),
                    Math.min(qmax, quantize(6.0f, outputScale, outputZeroPoint)));
            case RELU_N1_TO_1 -> new ActivationRange(Math.max(qmin, quantize(-1.0f, outputScale, outputZeroPoint)),
                    Math.min(qmax, quantize(1.0f, outputScale, outputZeroPoint)));
        };
    }

    private static int quantize(float f, float scale, int zeroPoint) {
        return zeroPoint + CppMath.truncToInt(CppMath.round(f / scale));
    }

    /**
     * {@code ChooseQuantizationParams<T>(rmin, rmax)} (§1.7), for {@code rmin <= 0 <= rmax}: the zero point
     * whose error estimate is strictly smaller from the minimum side, else from the maximum side, nudged
     * into {@code [qmin, qmax]} and rounded ties-away. Both bounds zero give scale 0, zero point 0.
     *
     * @throws IllegalArgumentException unless {@code rmin <= 0 <= rmax} and {@code qmin < qmax}
     */
    public static QuantizationParams chooseQuantizationParams(double rmin, double rmax, int qmin, int qmax) {
        if (!(rmin <= 0.0 && 0.0 <= rmax)) {
            throw new IllegalArgumentException("[rmin, rmax] = [" + rmin + ", " + rmax + "], expected rmin <= 0 <= rmax");
        }
        if (qmin >= qmax) {
            throw new IllegalArgumentException("[qmin, qmax] = [" + qmin + ", " + qmax + "], expected qmin < qmax");
        }
        if (rmin == rmax) {
            return new QuantizationParams(0.0, 0);
        }
        double scale = (rmax - rmin) / ((double) qmax - qmin);
        double zeroPointFromMin = qmin - rmin / scale;
        double zeroPointFromMax = qmax - rmax / scale;
        double errorFromMin = Math.abs((double) qmin) + Math.abs(rmin / scale);
        double errorFromMax = Math.abs((double) qmax) + Math.abs(rmax / scale);
        double zeroPoint = errorFromMin < errorFromMax ? zeroPointFromMin : zeroPointFromMax;
        int nudged;
        if (zeroPoint < qmin) {
            nudged = qmin;
        } else if (zeroPoint > qmax) {
            nudged = qmax;
        } else {
            nudged = (int) CppMath.round(zeroPoint);
        }
        return new QuantizationParams(scale, nudged);
    }
}
