package dev.qlanes.reference;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Independent test oracles written straight from docs/semantics.md with exact arithmetic ({@link BigInteger},
 * {@link BigDecimal}) or with the plain IEEE float operations in the order the spec states. Nothing here
 * calls the code under test, so the tests never derive an expectation from the implementation.
 */
final class Oracle {
    private Oracle() {}

    static final BigInteger TWO = BigInteger.TWO;

    static BigInteger pow2(int e) {
        return BigInteger.ONE.shiftLeft(e);
    }

    /** §1.1 closed form: floor((a*b + 2^30) / 2^31), except MIN*MIN which saturates. */
    static int srdhm(int a, int b) {
        if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) {
            return Integer.MAX_VALUE;
        }
        // |a*b| <= 2^62, so the sum is exact in long; >> on long is floor division by 2^31
        long r = ((long) a * b + (1L << 30)) >> 31;
        return Math.toIntExact(r);
    }

    /** §1.2: x / 2^e rounded to nearest, ties away from zero: round the magnitude half up, then restore the sign. */
    static int rdbpot(int x, int e) {
        if (e == 0) {
            return x;
        }
        long magnitude = Math.abs((long) x);
        long rounded = (magnitude + (1L << (e - 1))) >> e;
        return Math.toIntExact(x < 0 ? -rounded : rounded);
    }

    /** The same rounding with BigDecimal (HALF_UP is ties away from zero), to cross-check {@link #rdbpot}. */
    static int rdbpotBig(int x, int e) {
        BigDecimal q = new BigDecimal(BigInteger.valueOf(x)).divide(new BigDecimal(pow2(e)));
        return q.setScale(0, RoundingMode.HALF_UP).intValueExact();
    }

    /** SRDHM with BigInteger, to cross-check {@link #srdhm}. */
    static int srdhmBig(int a, int b) {
        if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) {
            return Integer.MAX_VALUE;
        }
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).add(pow2(30)).shiftRight(31).intValueExact();
    }

    /** §1.3 double rounding: RDBPOT(SRDHM(wrap32(x * 2^L), M), R). */
    static int mbqmDouble(int x, int m, int shift) {
        int left = Math.max(shift, 0);
        int right = Math.max(-shift, 0);
        int shifted = BigInteger.valueOf(x).shiftLeft(left).intValue(); // low 32 bits = int32 wrap
        return rdbpot(srdhm(shifted, m), right);
    }

    /** §1.3 single rounding: (int32)((x*M + 2^(T-1)) >> T), T = 31 - shift (the cast keeps the low 32 bits). */
    static int mbqmSingle(int x, int m, int shift) {
        int t = 31 - shift;
        BigInteger p = BigInteger.valueOf(x).multiply(BigInteger.valueOf(m)).add(pow2(t - 1));
        return p.shiftRight(t).intValue();
    }

    static int mbqm(int x, int m, int shift, Rounding r) {
        return r == Rounding.SINGLE_ROUNDING ? mbqmSingle(x, m, shift) : mbqmDouble(x, m, shift);
    }

    /**
     * §4.2 float requantization with exact arithmetic only: the exact product {@code acc · eff}
     * ({@link BigInteger}), rounded to binary64 by hand (53 significant bits, ties to even: IEEE multiplication),
     * then rounded to an integer with ties away from zero ({@link RoundingMode#HALF_UP} on the magnitude), then
     * x86-64's {@code cvttsd2si}: {@code INT32_MIN} outside {@code [-2^31, 2^31)}. For finite {@code eff} whose
     * product with {@code acc} is a normal double (or zero); no Java floating-point operation is involved.
     */
    static int requantizeInDouble(int acc, double eff) {
        if (!Double.isFinite(eff)) {
            throw new IllegalArgumentException("oracle takes finite scales, got " + eff);
        }
        long bits = Double.doubleToRawLongBits(eff);
        int biased = (int) ((bits >>> 52) & 0x7ff);
        long fraction = bits & ((1L << 52) - 1);
        // eff = ±significand · 2^exponent exactly
        BigInteger significand = BigInteger.valueOf(biased == 0 ? fraction : fraction | (1L << 52));
        int exponent = (biased == 0 ? 1 : biased) - 1075;
        BigInteger n = BigInteger.valueOf(acc).multiply(significand).abs(); // |acc · eff| = n · 2^exponent
        int sign = Integer.signum(acc) * (bits < 0 ? -1 : 1);
        int drop = Math.max(0, n.bitLength() - 53);
        if (drop > 0) { // round n to 53 significant bits, ties to even
            BigInteger kept = n.shiftRight(drop);
            BigInteger rest = n.subtract(kept.shiftLeft(drop));
            int c = rest.compareTo(pow2(drop - 1));
            if (c > 0 || (c == 0 && kept.testBit(0))) {
                kept = kept.add(BigInteger.ONE);
            }
            n = kept;
            exponent += drop;
        }
        BigDecimal product = new BigDecimal(n);
        product = exponent >= 0 ? product.multiply(new BigDecimal(pow2(exponent)))
                : product.divide(new BigDecimal(pow2(-exponent))); // exact: a power of two divides to a finite decimal
        BigInteger rounded = product.setScale(0, RoundingMode.HALF_UP).toBigIntegerExact(); // magnitude, ties up
        if (sign < 0) {
            rounded = rounded.negate();
        }
        if (rounded.compareTo(BigInteger.valueOf(Integer.MIN_VALUE)) < 0
                || rounded.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
            return Integer.MIN_VALUE;
        }
        return rounded.intValueExact();
    }

    /** §1.4 int64 form. */
    static int mbqm64(long x, int m, int shift) {
        long m16 = m < 0x7FFF0000 ? (m + 32768L) / 65536L : 0x7FFF; // m >= 0, so division is floor
        int t = 15 - shift;
        BigInteger p = BigInteger.valueOf(x).multiply(BigInteger.valueOf(m16)).add(pow2(t - 1));
        return p.shiftRight(t).intValue();
    }

    // ---------------------------------------------------------------- float helpers (§0.2, §8)

    /** std::round on a float, via exact BigDecimal arithmetic: ties away from zero, result as float. */
    static float rnd(float x) {
        if (Float.isNaN(x) || Float.isInfinite(x)) {
            return x;
        }
        BigDecimal r = new BigDecimal(x).setScale(0, RoundingMode.HALF_UP);
        float f = r.floatValue(); // integers of a float's magnitude are exactly representable
        return r.signum() == 0 ? Math.copySign(0.0f, x) : f;
    }

    /** static_cast<int32_t> on x86-64: truncation, INT32_MIN for NaN and out of range. */
    static int truncI32(float x) {
        if (Float.isNaN(x) || Float.isInfinite(x)) {
            return Integer.MIN_VALUE;
        }
        BigInteger t = new BigDecimal(x).setScale(0, RoundingMode.DOWN).toBigIntegerExact();
        if (t.bitLength() > 31) {
            return Integer.MIN_VALUE;
        }
        return t.intValueExact();
    }

    static int truncI32(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return Integer.MIN_VALUE;
        }
        BigInteger t = new BigDecimal(x).setScale(0, RoundingMode.DOWN).toBigIntegerExact();
        if (t.bitLength() > 31) {
            return Integer.MIN_VALUE;
        }
        return t.intValueExact();
    }

    /** std::round on a double. */
    static double rnd(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        }
        BigDecimal r = new BigDecimal(x).setScale(0, RoundingMode.HALF_UP);
        return r.signum() == 0 ? Math.copySign(0.0, x) : r.doubleValue();
    }

    static float fabs(float x) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(x) & 0x7fffffff);
    }

    static float cmax(float a, float b) {
        return (a < b) ? b : a;
    }

    static float cmin(float a, float b) {
        return (b < a) ? b : a;
    }

    /**
     * libstdc++ std::minmax_element with operator<, as §2.1 describes the pairwise scan.
     * Returns {minIndex, maxIndex} relative to {@code from}.
     */
    static int[] minMaxElement(float[] v, int from, int size) {
        int min = 0;
        int max = 0;
        if (size <= 1) {
            return new int[] {0, 0};
        }
        if (v[from + 1] < v[from + min]) {
            min = 1;
        } else {
            max = 1;
        }
        int i = 2;
        for (; i + 1 < size; i += 2) {
            float a = v[from + i];
            float b = v[from + i + 1];
            if (b < a) {
                if (b < v[from + min]) {
                    min = i + 1;
                }
                if (!(a < v[from + max])) {
                    max = i;
                }
            } else {
                if (a < v[from + min]) {
                    min = i;
                }
                if (!(b < v[from + max])) {
                    max = i + 1;
                }
            }
        }
        if (i < size) {
            float x = v[from + i];
            if (x < v[from + min]) {
                min = i;
            } else if (!(x < v[from + max])) {
                max = i;
            }
        }
        return new int[] {min, max};
    }

    /** §2.1 with a given range; writes q[from..from+size), returns the scaling factor. */
    static float symmetric(float[] v, int from, int size, byte[] q, float min, float max) {
        float range = cmax(fabs(min), fabs(max));
        if (range == 0.0f) {
            for (int i = 0; i < size; i++) {
                q[from + i] = 0;
            }
            return 1.0f;
        }
        float sf = range / 127.0f;
        float inv = 127.0f / range;
        for (int i = 0; i < size; i++) {
            int t = truncI32(rnd(v[from + i] * inv));
            q[from + i] = (byte) Math.min(127, Math.max(-127, t));
        }
        return sf;
    }

    /** §2.1 with the range from the data. */
    static float symmetricFromData(float[] v, int from, int size, byte[] q) {
        if (size == 0) {
            return 1.0f;
        }
        int[] mm = minMaxElement(v, from, size);
        return symmetric(v, from, size, q, v[from + mm[0]], v[from + mm[1]]);
    }

    /** §2.2; returns {scaling factor bits, zero point}. */
    static int[] asymmetric(float[] v, int from, int size, byte[] q) {
        int[] mm = minMaxElement(v, from, size);
        double rmin = cmin(0.0f, v[from + mm[0]]);
        double rmax = cmax(0.0f, v[from + mm[1]]);
        if (rmin == rmax) {
            for (int i = 0; i < size; i++) {
                q[from + i] = 0;
            }
            return new int[] {Float.floatToRawIntBits(1.0f), 0};
        }
        double scale = (rmax - rmin) / 255.0;
        double zpFromMin = -128.0 - rmin / scale;
        double zpFromMax = 127.0 - rmax / scale;
        double errMin = 128.0 + Math.abs(rmin / scale);
        double errMax = 127.0 + Math.abs(rmax / scale);
        double zpD = errMin < errMax ? zpFromMin : zpFromMax;
        int zp;
        if (zpD <= -128.0) {
            zp = -128;
        } else if (zpD >= 127.0) {
            zp = 127;
        } else {
            zp = (byte) truncI32(rnd(zpD)); // (int8) round(zp); NaN -> INT32_MIN -> low byte 0 on x86
        }
        float sf = (float) scale;
        float inv = 1.0f / sf;
        for (int i = 0; i < size; i++) {
            float t = (float) zp + v[from + i] * inv;
            int x = truncI32(rnd(t));
            q[from + i] = (byte) Math.min(127, Math.max(-128, x));
        }
        return new int[] {Float.floatToRawIntBits(sf), zp};
    }

    // ---------------------------------------------------------------- products

    static int dot(byte[] a, int aFrom, byte[] b, int bFrom, int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += (long) a[aFrom + i] * b[bFrom + i];
        }
        return (int) s; // int32 wrap of the exact sum
    }

    /** §3.4 (and §3.2 with pcs/offset null), honouring pcs whenever non-null. */
    static void hybrid(byte[] m, int rows, int cols, byte[] v, float[] sf, int nBatch, float[] result,
            float[] pcs, int[] offset, int[] rowSums) {
        for (int b = 0; b < nBatch; b++) {
            for (int r = 0; r < rows; r++) {
                float scale = sf[b];
                if (pcs != null) {
                    scale = scale * pcs[r];
                }
                long d = dot(m, r * cols, v, b * cols, cols);
                if (offset != null) {
                    long rs;
                    if (rowSums != null) {
                        rs = rowSums[r];
                    } else {
                        long s = 0;
                        for (int c = 0; c < cols; c++) {
                            s += m[r * cols + c];
                        }
                        rs = (int) s;
                    }
                    d = d - rs * offset[b];
                }
                float prod = (float) (int) d * scale;
                result[b * rows + r] = result[b * rows + r] + prod;
            }
        }
    }

    static boolean sameFloat(float expected, float actual) {
        if (Float.isNaN(expected)) {
            return Float.isNaN(actual);
        }
        return Float.floatToRawIntBits(expected) == Float.floatToRawIntBits(actual);
    }

    /** Float equality by raw bits (distinguishes -0.0 from 0.0 and NaN payloads). */
    static void assertRawBits(float expected, float actual, String... what) {
        if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(actual)) {
            org.junit.jupiter.api.Assertions.fail(String.join(" ", what) + " expected " + bits(expected) + " but was "
                    + bits(actual));
        }
    }

    static void assertRawBits(float[] expected, float[] actual, String... what) {
        org.junit.jupiter.api.Assertions.assertEquals(expected.length, actual.length,
                String.join(" ", what) + " length");
        for (int i = 0; i < expected.length; i++) {
            assertRawBits(expected[i], actual[i], String.join(" ", what) + " [" + i + "]");
        }
    }

    static String bits(float f) {
        return f + " (0x" + Integer.toHexString(Float.floatToRawIntBits(f)) + ")";
    }
}
