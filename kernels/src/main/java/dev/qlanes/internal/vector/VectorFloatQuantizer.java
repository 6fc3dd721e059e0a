package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS;
import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS_MASK_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.FLOATS;
import static dev.qlanes.internal.vector.VectorShapes.FLOATS_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.INTS_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.INT_GROUPS;
import static dev.qlanes.internal.vector.VectorShapes.MASKED_TAILS;
import static dev.qlanes.internal.vector.VectorShapes.firstBytes;

import dev.qlanes.reference.InputQuantizer;
import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * TFLite's on-the-fly input quantizers (docs/semantics.md §2.1–§2.3) on float lanes, for the facade and the layers
 * alike. The per-row parameters (scale, inverse, zero point) come from the scalar {@link InputQuantizer}, so only
 * min/max and the per-element rounding are vectorized; both reproduce the reference's bits, including NaN, ±Inf,
 * -0.0 and subnormal inputs.
 */
public final class VectorFloatQuantizer {
    private VectorFloatQuantizer() {}

    /** From {@code 2^23} on every float is an integer, so truncation through int is only needed below. */
    private static final float INTEGRAL_FROM = 0x1p23f;
    /** {@code 2^31}: float-to-int32 conversions at or beyond ±this give INT32_MIN on x86 (docs/semantics.md §8). */
    private static final float INT32_LIMIT = 0x1p31f;
    private static final int SIGN_BIT = 0x8000_0000;
    /**
     * Below {@code 2^22} in magnitude, {@code std::round(t)} is {@code trunc(t + copysign(ROUND_HALF, t))}: the largest
     * float under one half, so that a value just under {@code k + 0.5} never rounds up across {@code k + 1} in the
     * addition, while {@code k + 0.5} itself still does (docs/semantics.md §2.1).
     */
    private static final int ROUND_HALF_BITS = Float.floatToRawIntBits(Math.nextDown(0.5f));
    /** Lanes whose {@code |t|} is under this (no NaN, nothing near int32's range) take the short rounding above. */
    private static final float SHORT_ROUNDING_BELOW = 0x1p22f;
    /** {@link #orderKey}s of the infinities: every other non-NaN float's key lies between them. */
    private static final int POSITIVE_INFINITY_KEY = orderKey(Float.floatToRawIntBits(Float.POSITIVE_INFINITY));
    private static final int NEGATIVE_INFINITY_KEY = orderKey(Float.floatToRawIntBits(Float.NEGATIVE_INFINITY));

    /**
     * Minimum and maximum of {@code values[off .. off+n)} exactly as {@code std::minmax_element} picks them
     * (first smallest, last largest). The lanes compare {@link #orderKey}s, integers in the floats' order, because
     * integer MIN/MAX are one instruction each where Java's float MIN/MAX (NaN and signed-zero rules) are a
     * sequence: 128 floats took 32 ns on Zen 4 with float lanes. A NaN anywhere (its key lies beyond the
     * infinities') defers to the scalar scan, whose pairwise order decides NaN's effect; a zero extreme is re-read
     * from the data because keys order -0.0 below 0.0, where {@code minmax_element} takes the first or last zero.
     * Returns {@code [min, max]} in {@code minMax} ({@code [+Inf, -Inf]} for {@code n = 0}). Public for the
     * benchmarks' hybrid input floor, which scans as the layers do.
     */
    public static void minMax(float[] values, int off, int n, float[] minMax) {
        IntVector lowest = IntVector.broadcast(INTS, POSITIVE_INFINITY_KEY);
        IntVector highest = IntVector.broadcast(INTS, NEGATIVE_INFINITY_KEY);
        int i = 0;
        for (int bound = FLOATS.loopBound(n); i < bound; i += FLOATS.length()) {
            IntVector bits = INTS_CLASS.cast(
                    FLOATS_CLASS.cast(FloatVector.fromArray(FLOATS, values, off + i)).reinterpretAsInts());
            IntVector key = bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31)
                    .lanewise(VectorOperators.AND, Integer.MAX_VALUE));
            lowest = INTS_CLASS.cast(lowest).min(key); // loop-carried: see VectorShapes.INTS_CLASS
            highest = INTS_CLASS.cast(highest).max(key);
        }
        if (MASKED_TAILS && i < n) { // the rest in one masked vector: 8 values took ~12 ns one by one (512 bits)
            VectorMask<Float> live = FLOATS.indexInRange(i, n);
            IntVector bits = INTS_CLASS.cast(
                    FLOATS_CLASS.cast(FloatVector.fromArray(FLOATS, values, off + i, live)).reinterpretAsInts());
            IntVector key = bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31)
                    .lanewise(VectorOperators.AND, Integer.MAX_VALUE));
            VectorMask<Integer> liveInts = live.cast(INTS); // lanes past n keep the extremes so far
            lowest = INTS_CLASS.cast(lowest).lanewise(VectorOperators.MIN, key, liveInts);
            highest = INTS_CLASS.cast(highest).lanewise(VectorOperators.MAX, key, liveInts);
            i = n;
        }
        int low = INTS_CLASS.cast(lowest).reduceLanes(VectorOperators.MIN);
        int high = INTS_CLASS.cast(highest).reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            int key = orderKey(Float.floatToRawIntBits(values[off + i]));
            low = Math.min(low, key);
            high = Math.max(high, key);
        }
        if (low < NEGATIVE_INFINITY_KEY || high > POSITIVE_INFINITY_KEY) { // a NaN
            long packed = InputQuantizer.minMaxIndices(values, off, n);
            minMax[0] = values[off + InputQuantizer.minIndex(packed)];
            minMax[1] = values[off + InputQuantizer.maxIndex(packed)];
            return;
        }
        float min = Float.intBitsToFloat(orderKey(low));
        float max = Float.intBitsToFloat(orderKey(high));
        minMax[0] = min == 0.0f ? firstZero(values, off, n) : min;
        minMax[1] = max == 0.0f ? lastZero(values, off, n) : max;
    }

    /**
     * A float's raw bits as an int that orders like the float (-0.0 just below 0.0, NaNs beyond the infinities):
     * negative floats have their magnitude bits flipped. Its own inverse.
     */
    private static int orderKey(int bits) {
        return bits ^ ((bits >> 31) & Integer.MAX_VALUE);
    }

    private static float firstZero(float[] values, int off, int n) {
        for (int i = 0; i < n; i++) {
            if (values[off + i] == 0.0f) {
                return values[off + i];
            }
        }
        throw new AssertionError("a zero minimum must occur in the data");
    }

    private static float lastZero(float[] values, int off, int n) {
        for (int i = n - 1; i >= 0; i--) {
            if (values[off + i] == 0.0f) {
                return values[off + i];
            }
        }
        throw new AssertionError("a zero maximum must occur in the data");
    }

    /**
     * One symmetric row (§2.1) given its min and max: all zeros and factor 1 for a zero range, else
     * {@link #quantizeRow} with {@code inverse = 127 / range}, clamped to {@code [-127, 127]}.
     *
     * @return the row's scaling factor
     */
    static float symmetricRow(float[] values, int offset, int n, byte[] quantized, float min, float max) {
        float range = InputQuantizer.symmetricRange(min, max);
        if (range == 0.0f) {
            Arrays.fill(quantized, offset, offset + n, (byte) 0);
            return 1.0f;
        }
        quantizeRow(values, offset, n, InputQuantizer.symmetricInverse(range), false, 0,
                -InputQuantizer.SYMMETRIC_MAX, InputQuantizer.SYMMETRIC_MAX, quantized);
        return InputQuantizer.symmetricScalingFactor(range);
    }

    /**
     * One asymmetric row (§2.2) given its min and max: all zeros, zero point 0 and factor 1 when the nudged range
     * is empty, else {@link #quantizeRow} with the row's scale and zero point, clamped to {@code [-128, 127]}.
     * Stores the zero point in {@code zeroPoints[zeroPointIndex]}.
     *
     * @return the row's scaling factor
     */
    static float asymmetricRow(float[] values, int offset, int n, byte[] quantized, int[] zeroPoints,
            int zeroPointIndex, float min, float max) {
        double rmin = InputQuantizer.asymmetricRangeMin(min);
        double rmax = InputQuantizer.asymmetricRangeMax(max);
        if (rmin == rmax) {
            Arrays.fill(quantized, offset, offset + n, (byte) 0);
            zeroPoints[zeroPointIndex] = 0;
            return 1.0f;
        }
        double scale = InputQuantizer.asymmetricScale(rmin, rmax);
        int zeroPoint = InputQuantizer.asymmetricZeroPoint(rmin, rmax, scale);
        float scalingFactor = (float) scale;
        quantizeRow(values, offset, n, InputQuantizer.asymmetricInverse(scalingFactor), true, zeroPoint,
                InputQuantizer.INT8_MIN, InputQuantizer.INT8_MAX, quantized);
        zeroPoints[zeroPointIndex] = zeroPoint;
        return scalingFactor;
    }

    /**
     * One row's values to int8 (docs/semantics.md §2.1 step 4, §2.2 step 6): {@code t = fl32(v · inverse)}, plus
     * the zero point in float when asymmetric, then {@code clamp(trunc_i32(round(t)), lo, hi)} with C++ {@code std::round}
     * (ties away from zero) and x86's {@code INT32_MIN} for NaN and out-of-range values: the lane form of
     * {@code InputQuantizer.symmetricQuantize}/{@code asymmetricQuantize}, for the facade and the layers alike,
     * written out in one loop body so that no vector crosses a call C2 might not inline: a lane helper such as a
     * separate {@code roundToInt(FloatVector)} was measured allocating 18 bytes per element once C2 had compiled
     * it on its own before its caller (the order depends on warm-up).
     */
    static void quantizeRow(float[] values, int offset, int n, float inverse, boolean asymmetric,
            int zeroPoint, int lo, int hi, byte[] quantized) {
        float zero = zeroPoint;
        int step = BYTES_FOR_INTS.length();
        int i = 0;
        // with MASKED_TAILS the last partial step is one masked vector: one by one, a ToyCar layer's 8 inputs took
        // ~33 ns of its ~170 (perf, 512 bits); lanes past n read 0.0f, quantize harmlessly and are not stored
        for (int end = MASKED_TAILS ? n : BYTES_FOR_INTS.loopBound(n); i < end; i += step) {
            boolean whole = i + step <= n;
            ByteVector packed = ByteVector.zero(BYTES_FOR_INTS);
            for (int g = 0; g < INT_GROUPS; g++) {
                int at = i + g * FLOATS.length();
                FloatVector x = FLOATS_CLASS.cast(whole ? FloatVector.fromArray(FLOATS, values, offset + at)
                        : FloatVector.fromArray(FLOATS, values, offset + at, FLOATS.indexInRange(at, n))).mul(inverse);
                if (asymmetric) {
                    x = x.add(zero);
                }
                x = FLOATS_CLASS.cast(x); // merged by the if: see VectorShapes.INTS_CLASS for this and each cast below
                FloatVector magnitude = x.abs();
                IntVector q;
                if (magnitude.compare(VectorOperators.LT, SHORT_ROUNDING_BELOW).allTrue()) { // every finite row's case
                    FloatVector half = INTS_CLASS.cast(INTS_CLASS.cast(FLOATS_CLASS.cast(x).reinterpretAsInts())
                            .and(SIGN_BIT).or(ROUND_HALF_BITS)).reinterpretAsFloats();
                    q = INTS_CLASS.cast(FLOATS_CLASS.cast(x.add(half)).convert(VectorOperators.F2I, 0));
                } else {
                    // std::round: |x| truncated through int below 2^23 (from there on every float is integral), +1 at .5
                    FloatVector truncated = FLOATS_CLASS.cast(INTS_CLASS.cast(FLOATS_CLASS.cast(magnitude)
                            .convert(VectorOperators.F2I, 0)).convert(VectorOperators.I2F, 0))
                            .blend(magnitude, magnitude.compare(VectorOperators.GE, INTEGRAL_FROM)
                                    .or(magnitude.test(VectorOperators.IS_NAN)));
                    FloatVector rounded = truncated.add(1.0f, magnitude.sub(truncated).compare(VectorOperators.GE, 0.5f));
                    FloatVector r = FLOATS_CLASS.cast(INTS_CLASS.cast(INTS_CLASS.cast(
                            FLOATS_CLASS.cast(rounded).reinterpretAsInts()).or(INTS_CLASS.cast(
                            FLOATS_CLASS.cast(x).reinterpretAsInts()).and(SIGN_BIT))).reinterpretAsFloats());
                    // cvttss2si: NaN and |r| >= 2^31 give INT32_MIN
                    VectorMask<Float> invalid = r.test(VectorOperators.IS_NAN).or(r.compare(VectorOperators.GE, INT32_LIMIT))
                            .or(r.compare(VectorOperators.LT, -INT32_LIMIT));
                    q = INTS_CLASS.cast(FLOATS_CLASS.cast(r).convert(VectorOperators.F2I, 0))
                            .blend(Integer.MIN_VALUE, invalid.cast(INTS));
                }
                q = INTS_CLASS.cast(q).max(lo).min(hi);
                packed = BYTES_FOR_INTS_CLASS.cast(packed)
                        .or(INTS_CLASS.cast(q).convertShape(VectorOperators.I2B, BYTES_FOR_INTS, -g));
            }
            if (whole) {
                BYTES_FOR_INTS_CLASS.cast(packed).intoArray(quantized, offset + i);
            } else {
                BYTES_FOR_INTS_CLASS.cast(packed)
                        .intoArray(quantized, offset + i, BYTES_FOR_INTS_MASK_CLASS.cast(firstBytes(n - i)));
            }
        }
        for (; i < n; i++) {
            quantized[offset + i] = asymmetric ? InputQuantizer.asymmetricQuantize(values[offset + i], inverse, zeroPoint)
                    : InputQuantizer.symmetricQuantize(values[offset + i], inverse);
        }
    }
}
