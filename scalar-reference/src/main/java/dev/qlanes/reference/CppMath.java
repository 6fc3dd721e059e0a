package dev.qlanes.reference;

/**
 * The C++ floating-point primitives TFLite's kernels use, with their exact x86-64 results
 * (docs/semantics.md §0.2, §8). Java's own {@code Math.round}, {@code Math.rint}, {@code Math.max} and
 * {@code (int)} casts differ from them on ties, NaN, signed zeros and out-of-range values.
 */
public final class CppMath {
    private CppMath() {}

    /** {@code 2^31} as a double: the first value a float-to-int32 conversion cannot represent. */
    private static final double INT32_LIMIT = 0x1p31;

    /**
     * {@code std::round} on a float: round to nearest, ties away from zero, result stays a float.
     * NaN and infinities are returned unchanged; the subtraction {@code |x| - floor(|x|)} is exact.
     */
    public static float round(float x) {
        float a = fabs(x);
        float t = (float) Math.floor(a);
        if (a - t >= 0.5f) {
            t += 1.0f;
        }
        return Math.copySign(t, x);
    }

    /** {@code std::round} on a double: round to nearest, ties away from zero. */
    public static double round(double x) {
        double a = Math.abs(x);
        double t = Math.floor(a);
        if (a - t >= 0.5) {
            t += 1.0;
        }
        return Math.copySign(t, x);
    }

    /**
     * {@code static_cast<int32_t>(x)} as x86-64's {@code cvttss2si} computes it: truncation toward zero,
     * and {@code INT32_MIN} for NaN and for values outside the int32 range (undefined behaviour in C++,
     * which Java's saturating cast would resolve differently). docs/semantics.md §8.
     */
    public static int truncToInt(float x) {
        return truncToInt((double) x);
    }

    /** {@code static_cast<int32_t>(x)} on a double, x86-64 {@code cvttsd2si} semantics (see {@link #truncToInt(float)}). */
    public static int truncToInt(double x) {
        if (Double.isNaN(x) || x >= INT32_LIMIT || x < -INT32_LIMIT) {
            return Integer.MIN_VALUE;
        }
        return (int) x;
    }

    /** C {@code fabs}: clears the sign bit, also of NaN (docs/semantics.md §8). */
    public static float fabs(float x) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(x) & 0x7fffffff);
    }

    /** {@code std::max(a, b)} = {@code (a < b) ? b : a}: returns {@code a} when either is NaN or both are zeros. */
    public static float stdMax(float a, float b) {
        return (a < b) ? b : a;
    }

    /** {@code std::min(a, b)} = {@code (b < a) ? b : a}: returns {@code a} when either is NaN or both are zeros. */
    public static float stdMin(float a, float b) {
        return (b < a) ? b : a;
    }

    /**
     * C {@code expf}, which TFLite's float kernels reach through {@code std::exp(float)}: here the double
     * {@link StrictMath#exp(double)} of the exactly widened argument, rounded once to float. The double result is
     * within one double ulp of {@code e^x}, so the float is the correctly rounded {@code e^x} except when
     * {@code e^x} lies within about 2^-29 float ulp of a halfway point between two floats. glibc's {@code expf}
     * is not correctly rounded, so the two differ in the last bit on rare inputs: about one float in 13 000 of
     * {@code [-104, 89]} against glibc 2.36 on x86-64 (docs/tflite-compatibility.md). {@code StrictMath} rather than {@code Math}: its results are the same on every JVM,
     * interpreter and JIT alike, which a normative reference needs.
     */
    public static float expf(float x) {
        return (float) StrictMath.exp(x);
    }

    /**
     * C {@code tanhf} ({@code std::tanh(float)}), defined like {@link #expf}: {@link StrictMath#tanh(double)}
     * rounded once to float. glibc's {@code tanhf} (2.36, x86-64) is less accurate and differs on about 5 % of the
     * floats in {@code [-9.1, 9.1]}, by up to 2 ulp, mostly for magnitudes below 1 (docs/tflite-compatibility.md).
     * {@code tanhf(-0.0f) = -0.0f} and NaN stays NaN, as in C.
     */
    public static float tanhf(float x) {
        return (float) StrictMath.tanh(x);
    }
}
