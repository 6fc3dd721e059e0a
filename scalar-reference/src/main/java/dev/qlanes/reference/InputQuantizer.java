package dev.qlanes.reference;

/**
 * The scalar building blocks of TFLite's on-the-fly input quantizers (docs/semantics.md §2.1, §2.2), public so
 * that vector quantizers compute their per-row parameters with exactly the same code.
 */
public final class InputQuantizer {
    private InputQuantizer() {}

    /** Largest magnitude a symmetric int8 value takes; -128 is never produced (§2.1). */
    public static final int SYMMETRIC_MAX = 127;
    /** int8 range of asymmetric values. */
    public static final int INT8_MIN = -128;
    public static final int INT8_MAX = 127;
    /** {@code qmax - qmin} of int8, the number of steps the asymmetric range is split into. */
    private static final double INT8_STEPS = 255.0;

    /**
     * The indices of {@code std::minmax_element(values + offset, values + offset + size)} with {@code <}:
     * the first smallest and the last largest element, including libstdc++'s pairwise scan, which decides
     * what NaN elements do (§2.1). Packed as {@code (minIndex << 32) | maxIndex}, relative to {@code offset},
     * to stay allocation-free; {@code size} must be at least 1.
     */
    public static long minMaxIndices(float[] values, int offset, int size) {
        int min = 0;
        int max = 0;
        if (size > 1) {
            if (values[offset + 1] < values[offset]) {
                min = 1;
            } else {
                max = 1;
            }
        }
        int i = 2;
        for (; i + 1 < size; i += 2) {
            float a = values[offset + i];
            float b = values[offset + i + 1];
            if (b < a) {
                if (b < values[offset + min]) min = i + 1;
                if (!(a < values[offset + max])) max = i;
            } else {
                if (a < values[offset + min]) min = i;
                if (!(b < values[offset + max])) max = i + 1;
            }
        }
        if (i < size) {
            float a = values[offset + i];
            if (a < values[offset + min]) {
                min = i;
            } else if (!(a < values[offset + max])) {
                max = i;
            }
        }
        return ((long) min << 32) | (max & 0xFFFFFFFFL);
    }

    /** Unpacks the minimum's index of {@link #minMaxIndices}. */
    public static int minIndex(long packed) {
        return (int) (packed >> 32);
    }

    /** Unpacks the maximum's index of {@link #minMaxIndices}. */
    public static int maxIndex(long packed) {
        return (int) packed;
    }

    /** Symmetric range {@code std::max(fabs(min), fabs(max))} (§2.1 step 1). */
    public static float symmetricRange(float min, float max) {
        return CppMath.stdMax(CppMath.fabs(min), CppMath.fabs(max));
    }

    /** Symmetric scaling factor {@code range / 127} for a non-zero range (§2.1 step 3). */
    public static float symmetricScalingFactor(float range) {
        return range / SYMMETRIC_MAX;
    }

    /** Symmetric multiplier {@code 127 / range}, rounded on its own, not {@code 1 / sf} (§2.1 step 3). */
    public static float symmetricInverse(float range) {
        return SYMMETRIC_MAX / range;
    }

    /** One symmetric value: {@code clamp(trunc(round(v * inv)), -127, 127)} (§2.1 step 4). */
    public static byte symmetricQuantize(float value, float inverse) {
        int q = CppMath.truncToInt(CppMath.round(value * inverse));
        return (byte) Math.min(SYMMETRIC_MAX, Math.max(-SYMMETRIC_MAX, q));
    }

    /** {@code (double) std::min(0.0f, min)}: the asymmetric range always contains 0 (§2.2 step 1). */
    public static double asymmetricRangeMin(float min) {
        return CppMath.stdMin(0.0f, min);
    }

    /** {@code (double) std::max(0.0f, max)} (§2.2 step 1). */
    public static double asymmetricRangeMax(float max) {
        return CppMath.stdMax(0.0f, max);
    }

    /** Asymmetric scale {@code (rmax - rmin) / 255} in double, for {@code rmin != rmax} (§2.2 step 3). */
    public static double asymmetricScale(double rmin, double rmax) {
        return (rmax - rmin) / INT8_STEPS;
    }

    /**
     * The nudged asymmetric zero point (§2.2 step 3, the logic of §1.7): of the two candidates, the one
     * with the strictly smaller error estimate from the minimum side wins, then it is clamped to int8 or
     * rounded ties-away. A NaN zero point (an infinite input range) becomes 0, the low byte of x86's INT32_MIN.
     */
    public static int asymmetricZeroPoint(double rmin, double rmax, double scale) {
        double zeroPointFromMin = INT8_MIN - rmin / scale;
        double zeroPointFromMax = INT8_MAX - rmax / scale;
        double errorFromMin = Math.abs((double) INT8_MIN) + Math.abs(rmin / scale);
        double errorFromMax = Math.abs((double) INT8_MAX) + Math.abs(rmax / scale);
        double zeroPoint = errorFromMin < errorFromMax ? zeroPointFromMin : zeroPointFromMax;
        if (zeroPoint <= INT8_MIN) {
            return INT8_MIN;
        }
        if (zeroPoint >= INT8_MAX) {
            return INT8_MAX;
        }
        // static_cast<int8_t>(round(zp)): x86 converts to int32 (NaN gives INT32_MIN) and keeps the low byte
        return (byte) CppMath.truncToInt(CppMath.round(zeroPoint));
    }

    /** Asymmetric multiplier {@code 1.0f / sf}, a float division of the rounded scale (§2.2 step 5). */
    public static float asymmetricInverse(float scalingFactor) {
        return 1.0f / scalingFactor;
    }

    /**
     * One asymmetric value: {@code clamp(trunc(round(zp + v * inv)), -128, 127)}, the zero point added in
     * float before rounding (§2.2 step 6).
     */
    public static byte asymmetricQuantize(float value, float inverse, int zeroPoint) {
        int q = CppMath.truncToInt(CppMath.round((float) zeroPoint + value * inverse));
        return (byte) Math.min(INT8_MAX, Math.max(INT8_MIN, q));
    }
}
