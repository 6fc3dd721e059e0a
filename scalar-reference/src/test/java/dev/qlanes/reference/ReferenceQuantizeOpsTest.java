package dev.qlanes.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * QUANTIZE (float → int8/int16, int8 → int8) and DEQUANTIZE ({@link ReferenceQuantizeOps}) against hand-derived
 * values: ties away from zero after a float division, the double clamp and NaN's cast, the requantization
 * multiplier from a double ratio and its double rounding, and dequantization's exact double product.
 */
class ReferenceQuantizeOpsTest {
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    private static byte[] quantize(float scale, int zeroPoint, float... in) {
        byte[] out = new byte[in.length + 1];
        out[in.length] = 99; // canary past n
        ReferenceQuantizeOps.quantize(in, in.length, scale, zeroPoint, out);
        assertEquals(99, out[in.length], "wrote past n");
        return Arrays.copyOf(out, in.length);
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    // ------------------------------------------------------------------ float → int8 / int16

    @Test
    void quantizeRoundsHalfAwayFromZero() {
        // x / 0.5: 0.5 → 1, -0.5 → -1, 1.5 → 2, -1.5 → -2, 2.5 → 3 (not 2), -2.5 → -3, 0.25/0.5 = 0.5 → 1.
        assertArrayEquals(bytes(1, -1, 2, -2, 3, -3, 0, 0),
                quantize(0.5f, 0, 0.25f, -0.25f, 0.75f, -0.75f, 1.25f, -1.25f, 0.2f, -0.0f));
        // The zero point is added after rounding: 63.75 / 0.5 = 127.5 → 128, -128 + 128 = 0.
        assertArrayEquals(bytes(0, -128, -127), quantize(0.5f, -128, 63.75f, -1f, 0.25f));
    }

    @Test
    void quantizeDividesByTheScaleInFloat() {
        // x / s rounds to exactly 6.5 in float, hence 7; x * (1 / s) would be 6.4999995, hence 6.
        float s = Float.intBitsToFloat(0x3c0e624c);
        float x = Float.intBitsToFloat(0x3d675fbb);
        assertEquals(6.5f, x / s, "precondition: the quotient is a tie");
        assertEquals(6.4999995f, x * (1.0f / s), "precondition: the reciprocal product is not");
        assertArrayEquals(bytes(7, 0, -7), quantize(s, 0, x, 0f, -x));
        assertArrayEquals(bytes(4), quantize(s, -3, x));
    }

    @Test
    void quantizeSaturatesAndMapsNanToZero() {
        // Beyond the range, ±Inf: clamped in double. NaN survives std::min/max and the cast stores 0 —
        // not the zero point.
        assertArrayEquals(bytes(127, -128, 127, -128, 0, 5, 127),
                quantize(0.1f, 5, 1000f, -1000f, INF, -INF, NAN, 0f, 3e38f));
        // A huge value divided by a tiny scale overflows float to Inf, still 127.
        assertArrayEquals(bytes(127, -128), quantize(1e-30f, 0, 1e20f, -1e20f));
    }

    @Test
    void quantizeToInt16() {
        short[] out = new short[6];
        ReferenceQuantizeOps.quantizeToInt16(new float[] {1.5f, -1.5f, 40000f, -40000f, NAN, 0.25f}, 6, 1f, 0, out);
        assertArrayEquals(new short[] {2, -2, 32767, -32768, 0, 0}, out);
        ReferenceQuantizeOps.quantizeToInt16(new float[] {2.5f}, 1, 0.5f, -32768, out);
        assertEquals(-32763, out[0]); // 5 - 32768
    }

    // ------------------------------------------------------------------ int8 → int8

    private static byte[] requantize(float inScale, int inZp, float outScale, int outZp, Rounding r, int... in) {
        byte[] out = new byte[in.length];
        ReferenceQuantizeOps.requantize(bytes(in), in.length, inScale, inZp, outScale, outZp, out, r);
        return out;
    }

    @Test
    void requantizeWithEqualScalesShiftsTheZeroPointExactly() {
        // QuantizeMultiplier(1.0) = (2^30, 1): SRDHM(2x, 2^30) = x, no rounding at all.
        // out = in + 10 + 20, clamped: 130 → 127, -98, 30, -88; and -128 - 5 → -128.
        assertArrayEquals(bytes(127, -98, 30, -88),
                requantize(0.3f, -10, 0.3f, 20, Rounding.DOUBLE_ROUNDING, 100, -128, 0, -118));
        assertArrayEquals(bytes(-128), requantize(0.3f, 0, 0.3f, -5, Rounding.DOUBLE_ROUNDING, -128));
    }

    @Test
    void requantizeTiesDependOnTheBuild() {
        // Ratio 0.5 → (2^30, 0): SRDHM alone, x/2 rounded half up: 1 → 1, -1 → 0, 3 → 2, -3 → -1.
        assertArrayEquals(bytes(1, 0, 2, -1), requantize(0.5f, 0, 1f, 0, Rounding.DOUBLE_ROUNDING, 1, -1, 3, -3));
        // Ratio 0.25 → (2^30, -1). Double rounding: 1 → SRDHM 1 (0.5 up) → RDBPOT(1, 1) = 1 (0.5 away), though
        // 1/4 is nearer 0; -2 → SRDHM -1 → RDBPOT(-1, 1) = -1 (exact -0.5, away from zero); 2 → 1.
        assertArrayEquals(bytes(1, -1, 1, 0), requantize(0.25f, 0, 1f, 0, Rounding.DOUBLE_ROUNDING, 1, -2, 2, -1));
        // Single rounding: (x·2^30 + 2^31) >> 32, one rounding half up: 1 → 0, -2 → 0, 2 → 1, -1 → 0.
        assertArrayEquals(bytes(0, 0, 1, 0), requantize(0.25f, 0, 1f, 0, Rounding.SINGLE_ROUNDING, 1, -2, 2, -1));
        // The default overload is double rounding; the output zero point is added after, then clamped.
        byte[] out = new byte[2];
        ReferenceQuantizeOps.requantize(bytes(1, 127), 2, 0.25f, 0, 1f, 126, out);
        assertArrayEquals(bytes(127, 127), out); // 1 + 126; 32 + 126 clamped
    }

    @Test
    void requantizeMultiplierComesFromTheRatioInDouble() {
        // inScale / outScale in double gives M = 1652287672 (shift -1); the float quotient would give 1652287616.
        // For x = -219 the exact result is -84.2500013; with M: x·M/2^31 = -168.5000026 → SRDHM -169 →
        // RDBPOT(-169, 1) = -84.5 → -85 (away from zero). With the float ratio's M it would be -84.
        float inScale = Float.intBitsToFloat(0x3bb30cd0);
        float outScale = Float.intBitsToFloat(0x3c68b641);
        double ratio = (double) inScale / (double) outScale;
        int m = 1652287672;
        // M is the nearest Q0.31 significand of the ratio at exponent -1: |M·2^-32 - ratio| <= 2^-33.
        BigDecimal error = new BigDecimal(m).divide(new BigDecimal(1L << 32)).subtract(new BigDecimal(ratio)).abs();
        assertTrue(error.compareTo(new BigDecimal(Math.scalb(1.0, -33))) <= 0, "M must be the rounded ratio");
        assertEquals(-85, Oracle.mbqmDouble(-219, m, -1));
        assertEquals(-84, Oracle.mbqmDouble(-219, 1652287616, -1));
        assertEquals(-84, Oracle.mbqmSingle(-219, m, -1));
        // in - inZeroPoint = -128 - 91 = -219.
        assertArrayEquals(bytes(-85 + 3), requantize(inScale, 91, outScale, 3, Rounding.DOUBLE_ROUNDING, -128));
        assertArrayEquals(bytes(-84 + 3), requantize(inScale, 91, outScale, 3, Rounding.SINGLE_ROUNDING, -128));
    }

    @Test
    void requantizeFlushesTinyRatiosToTheZeroPoint() {
        // 1e-10 / 1 < 2^-32: QuantizeMultiplier gives (0, 0), so every output is the output zero point.
        assertArrayEquals(bytes(-7, -7, -7), requantize(1e-10f, 0, 1f, -7, Rounding.DOUBLE_ROUNDING, 127, -128, 5));
    }

    @Test
    void requantizeRejectsShiftsTheDoubleRoundingBuildCannotApply() {
        byte[] out = {1, 2};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReferenceQuantizeOps.requantize(bytes(1, 2), 2, 1e10f, 0, 1e-10f, 0, out));
        Messages.assertNames(e, "shift");
        assertArrayEquals(bytes(1, 2), out);
        // Single rounding saturates the multiplier to (2^31 - 1, 30) instead: 1 · ~2^30 clamps to 127.
        assertArrayEquals(bytes(127, -128), requantize(1e10f, 0, 1e-10f, 0, Rounding.SINGLE_ROUNDING, 1, -1));
    }

    // ------------------------------------------------------------------ int8 / int16 → float

    @Test
    void dequantizeIsTheExactProductRoundedOnce() {
        float scale = 0.1f;
        float[] out = new float[3];
        ReferenceQuantizeOps.dequantize(bytes(-128, 3, 127), 3, scale, 3, out);
        // (double) 0.1f * -131 etc., each exact in double (24 + 8 bits), rounded once to float.
        float[] expected = {exactTimes(scale, -131), 0.0f, exactTimes(scale, 124)};
        ReferenceFloatOpsTest.assertBits(expected, out, "dequantize");
    }

    /** {@code scale · q} computed exactly with BigDecimal and rounded to float (half-even, as a cast does). */
    private static float exactTimes(float scale, int q) {
        BigDecimal exact = new BigDecimal(scale).multiply(BigDecimal.valueOf(q));
        // A float has 24 significant bits; 60 decimal digits then the JDK's correctly rounded conversion.
        return exact.round(new MathContext(60)).floatValue();
    }

    @Test
    void dequantizeInDoubleEqualsTheFloatProductForEveryInt8() {
        // TFLite forms scale * (q - zp) in double. With a float scale and |q - zp| <= 255 that product is exact,
        // so rounding it to float equals the float product (one rounding of the same exact value): there is no
        // int8 input for which the double and the float forms differ. Checked here for all inputs, including
        // subnormal and overflowing results.
        float[] scales = {0.1f, 1f / 3f, 0.0078125f, 3.4e-3f, Float.MIN_NORMAL * 1.5f, Float.MIN_VALUE * 3,
            Float.MAX_VALUE / 100, Float.MAX_VALUE};
        int[] zeroPoints = {-128, -1, 0, 17, 127};
        float[] out = new float[256];
        byte[] in = new byte[256];
        for (int i = 0; i < 256; i++) {
            in[i] = (byte) (i - 128);
        }
        int checked = 0;
        for (float scale : scales) {
            for (int zp : zeroPoints) {
                ReferenceQuantizeOps.dequantize(in, 256, scale, zp, out);
                for (int i = 0; i < 256; i++) {
                    int q = in[i] - zp;
                    float floatProduct = scale * (float) q;
                    assertEquals(Float.floatToRawIntBits(floatProduct), Float.floatToRawIntBits(out[i]),
                            "scale " + scale + " zp " + zp + " q " + in[i]);
                    if (Float.isFinite(floatProduct)) {
                        assertEquals(Float.floatToRawIntBits(exactTimes(scale, q)), Float.floatToRawIntBits(out[i]));
                    }
                    checked++;
                }
            }
        }
        assertEquals(scales.length * zeroPoints.length * 256, checked);
    }

    @Test
    void dequantizeInt16() {
        float[] out = new float[3];
        ReferenceQuantizeOps.dequantize(new short[] {-32768, 0, 32767}, 3, 0.5f, 0, out);
        ReferenceFloatOpsTest.assertBits(new float[] {-16384f, 0f, 16383.5f}, out, "int16");
        ReferenceQuantizeOps.dequantize(new short[] {5}, 1, 2f, 7, out);
        assertEquals(-4f, out[0]);
    }

    // ------------------------------------------------------------------ validation

    @Test
    void rejectsBadArgumentsBeforeWriting() {
        byte[] q = {1, 2};
        float[] f = {3, 4};
        byte[] qBefore = q.clone();
        float[] fBefore = f.clone();
        for (float bad : new float[] {0f, -1f, NAN, INF}) {
            Messages.assertNames(assertThrows(IllegalArgumentException.class,
                    () -> ReferenceQuantizeOps.quantize(f, 2, bad, 0, q)), "scale", String.valueOf(bad));
            Messages.assertNames(assertThrows(IllegalArgumentException.class,
                    () -> ReferenceQuantizeOps.dequantize(q, 2, bad, 0, f)), "scale");
            Messages.assertNames(assertThrows(IllegalArgumentException.class,
                    () -> ReferenceQuantizeOps.requantize(q, 2, 1f, 0, bad, 0, q)), "outScale");
        }
        Messages.assertNames(assertThrows(IllegalArgumentException.class,
                () -> ReferenceQuantizeOps.quantize(f, 2, 1f, 128, q)), "zeroPoint", "128");
        Messages.assertNames(assertThrows(IllegalArgumentException.class,
                () -> ReferenceQuantizeOps.requantize(q, 2, 1f, -129, 1f, 0, q)), "inZeroPoint", "-129");
        Messages.assertNames(assertThrows(IllegalArgumentException.class,
                () -> ReferenceQuantizeOps.quantizeToInt16(f, 2, 1f, 40000, new short[2])), "zeroPoint", "40000");
        Messages.assertNames(assertThrows(IllegalArgumentException.class,
                () -> ReferenceQuantizeOps.quantize(f, -1, 1f, 0, q)), "n", "-1");
        Messages.assertNames(assertThrows(IndexOutOfBoundsException.class,
                () -> ReferenceQuantizeOps.quantize(f, 3, 1f, 0, q)), "in", "2", "3");
        Messages.assertNames(assertThrows(IndexOutOfBoundsException.class,
                () -> ReferenceQuantizeOps.dequantize(new byte[3], 3, 1f, 0, f)), "out", "2", "3");
        Messages.assertNames(assertThrows(NullPointerException.class,
                () -> ReferenceQuantizeOps.requantize(q, 2, 1f, 0, 1f, 0, null)), "out");
        Messages.assertNamesRounding(assertThrows(NullPointerException.class,
                () -> ReferenceQuantizeOps.requantize(q, 2, 1f, 0, 1f, 0, q, null)));
        assertArrayEquals(qBefore, q);
        assertArrayEquals(fBefore, f);
        assertNotEquals(0, q[0]);
    }
}
