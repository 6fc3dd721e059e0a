package dev.qlanes.reference;

import dev.qlanes.reference.internal.Check;

/**
 * TFLite's QUANTIZE and DEQUANTIZE operators for per-tensor (one scale, one zero point) quantization, as
 * {@code Register_QUANTIZE_REF} and {@code Register_DEQUANTIZE_REF} compute them: float to int8 or int16
 * ({@code reference_ops::AffineQuantize}), int8 to int8 ({@code reference_ops::Requantize} with the multiplier
 * {@code Prepare} derives), int8 or int16 to float ({@code reference_integer_ops::Dequantize}).
 *
 * <p>Scales must be finite and {@code > 0}, and zero points within the integer type's range (TFLite's
 * quantization spec; TFLite itself computes garbage for other values instead of rejecting them). Arguments are
 * validated before anything is written; outputs may not alias inputs of another type, which Java rules out.
 */
public final class ReferenceQuantizeOps {
    private ReferenceQuantizeOps() {}

    private static final int INT8_MIN = Byte.MIN_VALUE;
    private static final int INT8_MAX = Byte.MAX_VALUE;
    private static final int INT16_MIN = Short.MIN_VALUE;
    private static final int INT16_MAX = Short.MAX_VALUE;

    /**
     * QUANTIZE float → int8 ({@code AffineQuantize<float, int8_t>}):
     * {@code q = std::round(x / scale)} in float (ties away from zero), then in double
     * {@code clamp((double) q + zeroPoint, -128, 127)} with {@code std::min(std::max(...))}, then the C++ cast.
     * So {@code ±Inf} and values beyond the range saturate, and NaN reaches the cast unclamped: the cast is
     * undefined in C++, and both x86-64 ({@code cvttsd2si}: {@code INT32_MIN}, low byte 0) and ARM64
     * ({@code fcvtzs}: 0) store 0, which is what this method returns.
     *
     * @param n         number of elements, {@code >= 0}
     * @param scale     finite, {@code > 0}
     * @param zeroPoint in {@code [-128, 127]}
     */
    public static void quantize(float[] in, int n, float scale, int zeroPoint, byte[] out) {
        checkArrays(n, in, Check.notNull("out", out).length);
        Check.positiveFinite("scale", scale);
        Check.inRange("zeroPoint", zeroPoint, INT8_MIN, INT8_MAX);
        for (int i = 0; i < n; i++) {
            out[i] = (byte) affineQuantize(in[i], scale, zeroPoint, INT8_MIN, INT8_MAX);
        }
    }

    /**
     * QUANTIZE float → int16 ({@code AffineQuantize<float, int16_t>}): as {@link #quantize} with the range
     * {@code [-32768, 32767]}; NaN gives 0.
     *
     * @param zeroPoint in {@code [-32768, 32767]} (TFLite's int16 activations use 0)
     */
    public static void quantizeToInt16(float[] in, int n, float scale, int zeroPoint, short[] out) {
        checkArrays(n, in, Check.notNull("out", out).length);
        Check.positiveFinite("scale", scale);
        Check.inRange("zeroPoint", zeroPoint, INT16_MIN, INT16_MAX);
        for (int i = 0; i < n; i++) {
            out[i] = (short) affineQuantize(in[i], scale, zeroPoint, INT16_MIN, INT16_MAX);
        }
    }

    /** Requantize in TFLite's default (double-rounding) build; see {@link #requantize(byte[], int, float, int, float, int, byte[], Rounding)}. */
    public static void requantize(byte[] in, int n, float inScale, int inZeroPoint, float outScale,
            int outZeroPoint, byte[] out) {
        requantize(in, n, inScale, inZeroPoint, outScale, outZeroPoint, out, Rounding.DOUBLE_ROUNDING);
    }

    /**
     * QUANTIZE int8 → int8 (requantization). {@code Prepare} derives
     * {@code (M, shift) = QuantizeMultiplier((double) inScale / (double) outScale)} (§1.5, ratio in double),
     * and {@code reference_ops::Requantize} computes
     * {@code out = clamp(MultiplyByQuantizedMultiplier(in - inZeroPoint, M, shift) + outZeroPoint, -128, 127)}
     * with the build's rounding (§1.3): in the default build SRDHM (ties up) then RDBPOT (ties away from zero).
     * Equal scales give {@code (2^30, 1)}, which multiplies exactly by 1. A ratio below about {@code 2^-32}
     * flushes to {@code (0, 0)} and every output is {@code outZeroPoint}, as in TFLite.
     *
     * @throws IllegalArgumentException if {@code inScale / outScale} needs a shift above 30 in a
     *         double-rounding build (TFLite would shift by 31 or more, undefined behaviour)
     */
    public static void requantize(byte[] in, int n, float inScale, int inZeroPoint, float outScale,
            int outZeroPoint, byte[] out, Rounding rounding) {
        Check.nonNegative("n", n);
        Check.array("in", in, n, "n");
        Check.array("out", out, n, "n");
        Check.positiveFinite("inScale", inScale);
        Check.inRange("inZeroPoint", inZeroPoint, INT8_MIN, INT8_MAX);
        Check.positiveFinite("outScale", outScale);
        Check.inRange("outZeroPoint", outZeroPoint, INT8_MIN, INT8_MAX);
        Check.notNull("rounding", rounding);
        double ratio = (double) inScale / (double) outScale;
        QuantizedMultiplier m = QuantizedMultiplier.of(ratio, rounding);
        if (m.shift() > FixedPoint.MAX_SHIFT) {
            throw new IllegalArgumentException("inScale / outScale = " + ratio + " needs shift = " + m.shift()
                    + ", expected a shift in [" + FixedPoint.MIN_SHIFT + ", " + FixedPoint.MAX_SHIFT + "]");
        }
        for (int i = 0; i < n; i++) {
            int scaled = FixedPoint.multiplyByQuantizedMultiplier(in[i] - inZeroPoint, m.multiplier(), m.shift(),
                    rounding);
            out[i] = (byte) Math.max(Math.min(scaled + outZeroPoint, INT8_MAX), INT8_MIN);
        }
    }

    /**
     * DEQUANTIZE int8 → float ({@code reference_integer_ops::Dequantize<int8_t>}):
     * {@code out = (float) (scale * (in - zeroPoint))} with {@code DequantizationParams}' double scale, i.e.
     * the exact product in double rounded once to float. (Since {@code scale} is a float and
     * {@code |in - zeroPoint| <= 255}, that product is exact in double, and a float multiplication
     * {@code scale * (float) (in - zeroPoint)} would round the same exact value once and give the same bits.)
     *
     * @param scale     finite, {@code > 0}
     * @param zeroPoint in {@code [-128, 127]}
     */
    public static void dequantize(byte[] in, int n, float scale, int zeroPoint, float[] out) {
        checkArrays(n, Check.notNull("in", in).length, out);
        Check.positiveFinite("scale", scale);
        Check.inRange("zeroPoint", zeroPoint, INT8_MIN, INT8_MAX);
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((double) scale * (in[i] - zeroPoint));
        }
    }

    /**
     * DEQUANTIZE int16 → float ({@code reference_integer_ops::Dequantize<int16_t>}), as {@link #dequantize}.
     *
     * @param zeroPoint in {@code [-32768, 32767]}
     */
    public static void dequantize(short[] in, int n, float scale, int zeroPoint, float[] out) {
        checkArrays(n, Check.notNull("in", in).length, out);
        Check.positiveFinite("scale", scale);
        Check.inRange("zeroPoint", zeroPoint, INT16_MIN, INT16_MAX);
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((double) scale * (in[i] - zeroPoint));
        }
    }

    /**
     * One element of {@code AffineQuantize}: float division and {@code std::round}, then the zero point added and
     * the clamp applied in double, then the C++ float-to-int conversion as x86-64 performs it.
     */
    private static int affineQuantize(float x, float scale, int zeroPoint, int min, int max) {
        double unclamped = (double) CppMath.round(x / scale) + (double) zeroPoint;
        // std::min(std::max(unclamped, min), max): both return their first argument when it is NaN.
        double atLeastMin = unclamped < min ? min : unclamped;
        double clamped = max < atLeastMin ? max : atLeastMin;
        return CppMath.truncToInt(clamped);
    }

    private static void checkArrays(int n, float[] in, int outLength) {
        Check.nonNegative("n", n);
        Check.array("in", in, n, "n");
        Check.length("out", outLength, n, "n");
    }

    private static void checkArrays(int n, int inLength, float[] out) {
        Check.nonNegative("n", n);
        Check.length("in", inLength, n, "n");
        Check.array("out", out, n, "n");
    }
}
