package dev.qlanes.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Input quantizers (docs/semantics.md §2.1–§2.3, §6.3, §6.4, §6.10, §6.11): hand-computed golden values, the
 * libstdc++ minmax scan with signed zeros and NaN, x86 NaN/Inf/subnormal results, and a random comparison
 * with the independent {@link Oracle}.
 */
class QuantizeFloatsTest {
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;
    private static final byte CANARY = 0x5A;

    private static void assertFloatBits(float expected, float actual, String what) {
        if (!Oracle.sameFloat(expected, actual)) {
            fail(what + ": expected " + Oracle.bits(expected) + " but was " + Oracle.bits(actual));
        }
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    /** Quantizes symmetrically from the data into an array with one canary byte after {@code size}. */
    private static float symmetric(float[] values, byte[] expected, float[] expectedMinMax) {
        byte[] q = new byte[values.length + 1];
        Arrays.fill(q, CANARY);
        float[] minMax = {-7f, -7f, -7f};
        float sf = PortableTensorUtils.symmetricQuantizeFloats(values, values.length, q, minMax);
        assertArrayEquals(expected, Arrays.copyOf(q, values.length), () -> "quantized " + Arrays.toString(values));
        assertEquals(CANARY, q[values.length], "no write past size");
        if (expectedMinMax != null) {
            assertFloatBits(expectedMinMax[0], minMax[0], "min of " + Arrays.toString(values));
            assertFloatBits(expectedMinMax[1], minMax[1], "max of " + Arrays.toString(values));
        }
        Oracle.assertRawBits(-7f, minMax[2], "minMax[2] untouched");
        // the nullable minMax gives the same bytes and scale
        byte[] q2 = new byte[values.length];
        float sf2 = PortableTensorUtils.symmetricQuantizeFloats(values, values.length, q2, (float[]) null);
        assertArrayEquals(expected, q2);
        assertFloatBits(sf, sf2, "scale without minMax");
        return sf;
    }

    // ------------------------------------------------------------------ §2.1 symmetric

    @Test
    void symmetricWorkedExampleRange1000() {
        // range 1000: sf = fl32(1000/127) = 0x40FBF7F0, inv = fl32(127/1000) = 0.127f
        // -635 * 0.127f = -80.645004 -> -81; 500 * 0.127f = 63.500004 -> 64; 1000 -> 127.00001 -> 127
        float sf = symmetric(new float[] {1000f, -635f, 500f, 0.5f, -1000f, 0f},
                bytes(127, -81, 64, 0, -127, 0), new float[] {-1000f, 1000f});
        assertEquals(0x40FBF7F0, Float.floatToRawIntBits(sf));
    }

    @Test
    void symmetricInverseIsRoundedOnItsOwn() {
        // §6.3: inv = fl32(127/22) = 5.7727275f, 11 * inv = 63.500004f -> 64; with 1/sf (5.772727f) it would be
        // 63.499996f -> 63. sf = fl32(22/127) = 0x3E3162C6
        float sf = symmetric(new float[] {22f, 11f, -11f, 0f}, bytes(127, 64, -64, 0), new float[] {-11f, 22f});
        assertEquals(0x3E3162C6, Float.floatToRawIntBits(sf));
    }

    @Test
    void symmetricTiesRoundAwayFromZero() {
        // range 127: sf = 1, inv = 1, so v * inv = v exactly
        float sf = symmetric(new float[] {127f, 2.5f, -2.5f, 0.5f, -0.5f, 1.4999999f, 126.5f, -126.5f, -127f, 3.5f},
                bytes(127, 3, -3, 1, -1, 1, 127, -127, -127, 4), new float[] {-127f, 127f});
        Oracle.assertRawBits(1.0f, sf);
    }

    @Test
    void symmetricGivenRangeSaturatesAndNeverGivesMinus128() {
        byte[] q = new byte[6];
        float sf = PortableTensorUtils.symmetricQuantizeFloats(
                new float[] {200f, -200f, -127.6f, 127.4f, 10f, -1000f}, 6, q, -127f, 50f);
        assertArrayEquals(bytes(127, -127, -127, 127, 10, -127), q);
        Oracle.assertRawBits(1.0f, sf);
        // range = max(|min|, |max|) uses the larger magnitude: here |max|
        sf = PortableTensorUtils.symmetricQuantizeFloats(new float[] {-254f, 127f}, 2, q, -1f, 254f);
        assertEquals(Float.floatToRawIntBits(2.0f), Float.floatToRawIntBits(sf));
        assertEquals(-127, q[0]);
        assertEquals(64, q[1]); // 127 * fl32(127/254) = 63.5 -> 64
    }

    @Test
    void symmetricZeroRange() {
        float sf = symmetric(new float[] {0f, 0f, 0f}, bytes(0, 0, 0), new float[] {0f, 0f});
        Oracle.assertRawBits(1.0f, sf);
        // a given zero range writes zeros even for non-zero values
        byte[] q = {9, 9, 9};
        sf = PortableTensorUtils.symmetricQuantizeFloats(new float[] {5f, -5f, 1f}, 3, q, 0f, -0f);
        assertArrayEquals(bytes(0, 0, 0), q);
        Oracle.assertRawBits(1.0f, sf);
    }

    @Test
    void symmetricSizeZeroReturnsOneAndWritesNoQuantizedValue() {
        byte[] q = {9, 9};
        Oracle.assertRawBits(1.0f,
                PortableTensorUtils.symmetricQuantizeFloats(new float[] {1f, 2f}, 0, q, new float[2]));
        assertArrayEquals(bytes(9, 9), q);
        // with a given range the scale comes from the range, even for no values: fl32(2 / 127)
        float given = PortableTensorUtils.symmetricQuantizeFloats(new float[] {1f, 2f}, 0, q, 1f, 2f);
        assertEquals(0x3C810204, Float.floatToRawIntBits(given));
        assertArrayEquals(bytes(9, 9), q);
        Oracle.assertRawBits(1.0f,
                PortableTensorUtils.symmetricQuantizeFloats(new float[0], 0, new byte[0], (float[]) null));
    }

    @Test
    void symmetricSizeZeroLeavesMinMaxUntouched() {
        // the agreed contract: size 0 returns 1.0f and writes nothing (TFLite dereferences end() here: UB)
        float[] minMax = {3f, 4f};
        PortableTensorUtils.symmetricQuantizeFloats(new float[] {1f, 2f}, 0, new byte[2], minMax);
        Oracle.assertRawBits(new float[] {3f, 4f}, minMax);
    }

    @Test
    void minMaxIsFirstSmallestAndLastLargestWithSignedZeros() {
        // {0, -0}: v1 < min fails, so max = v1 = -0; min stays v0 = +0
        symmetric(new float[] {0f, -0f}, bytes(0, 0), new float[] {0f, -0f});
        symmetric(new float[] {-0f, 0f}, bytes(0, 0), new float[] {-0f, 0f});
        // {-0, 0, -0}: the unpaired last element becomes max
        symmetric(new float[] {-0f, 0f, -0f}, bytes(0, 0, 0), new float[] {-0f, -0f});
        // pairs: (0, -0) in positions 2,3: b < a fails -> min tested with a, max with b
        symmetric(new float[] {0f, 0f, -0f, 0f, -0f}, bytes(0, 0, 0, 0, 0), new float[] {0f, -0f});
    }

    @Test
    void minMaxWithNaNFollowsTheLibstdcxxScan() {
        // {NaN, 1, 2}: min = max = NaN; v1: max = 1; last element 2: !(2 < 1) -> max = 2; range = max(NaN, 2) = NaN
        float sf = symmetric(new float[] {NAN, 1f, 2f}, bytes(-127, -127, -127), new float[] {NAN, 2f});
        assertTrue(Float.isNaN(sf));
        // {1, NaN, 2}: max = NaN, then 2 replaces it; range 2, inv 63.5: 1 -> 63.5 -> 64, NaN -> -127 (x86)
        sf = symmetric(new float[] {1f, NAN, 2f}, bytes(64, -127, 127), new float[] {1f, 2f});
        assertEquals(Float.floatToRawIntBits(2f / 127f), Float.floatToRawIntBits(sf));
        assertEquals(0x3C810204, Float.floatToRawIntBits(sf));
        // {1, 2, NaN}: max = NaN; range = max(fabs(1), NaN) = (1 < NaN) ? NaN : 1 = 1, inv = 127
        sf = symmetric(new float[] {1f, 2f, NAN}, bytes(127, 127, -127), new float[] {1f, NAN});
        assertEquals(0x3C010204, Float.floatToRawIntBits(sf)); // fl32(1/127)
        // pair (NaN, 3): 3 < NaN fails -> max tested with 3: !(3 < 2) -> max = 3
        // range 3, inv = fl32(127/3) = 42.333332f: 1 -> 42, 2 -> 84.666664 -> 85, 3 -> 127.0
        symmetric(new float[] {1f, 2f, NAN, 3f}, bytes(42, 85, -127, 127), new float[] {1f, 3f});
        // pair (3, NaN): NaN < 3 fails -> max tested with NaN: !(NaN < 2) -> max = NaN; range = 1
        symmetric(new float[] {1f, 2f, 3f, NAN}, bytes(127, 127, 127, -127), new float[] {1f, NAN});
        // pair (NaN, 3) with a negative first element: min stays -5, max = 3, range 5
        symmetric(new float[] {-5f, 2f, NAN, 3f}, bytes(-127, 51, -127, 76), new float[] {-5f, 3f});
    }

    @Test
    void symmetricInfinity() {
        // range Inf: sf = Inf, inv = 0; Inf * 0 = NaN -> -127, finite values -> 0 (also -2 * 0 = -0)
        float sf = symmetric(new float[] {INF, 1f, -2f}, bytes(-127, 0, 0), new float[] {-2f, INF});
        assertEquals(Float.floatToRawIntBits(INF), Float.floatToRawIntBits(sf));
        sf = symmetric(new float[] {-INF, 3f}, bytes(-127, 0), new float[] {-INF, 3f});
        assertEquals(Float.floatToRawIntBits(INF), Float.floatToRawIntBits(sf));
    }

    @Test
    void symmetricSubnormalRangeMapsEverythingToMinus127() {
        // range 2^-130: inv = 127 / 2^-130 overflows to +Inf; non-zero values -> +-Inf, zeros -> NaN: all -127
        float tiny = 0x1p-130f;
        float sf = symmetric(new float[] {tiny, -tiny, 0f, tiny / 2}, bytes(-127, -127, -127, -127),
                new float[] {-tiny, tiny});
        assertEquals(0x00001020, Float.floatToRawIntBits(sf)); // 2^-130 / 127 = 4128.25 * 2^-149 -> 4128 * 2^-149
        // a small normal range overflows inv too
        byte[] q = new byte[2];
        PortableTensorUtils.symmetricQuantizeFloats(new float[] {1e-38f, 5e-39f}, 2, q, (float[]) null);
        assertArrayEquals(bytes(-127, -127), q);
    }

    @Test
    void symmetricNaNAndInfinityInGivenRange() {
        byte[] q = new byte[3];
        // given range 127; NaN values and +-Inf values (v * 1 = +-Inf) -> INT32_MIN -> -127
        PortableTensorUtils.symmetricQuantizeFloats(new float[] {NAN, INF, -INF}, 3, q, -127f, 127f);
        assertArrayEquals(bytes(-127, -127, -127), q);
    }

    // ------------------------------------------------------------------ §2.2 asymmetric

    private static float asymmetric(float[] values, byte[] expectedQ, int expectedZp) {
        byte[] q = new byte[values.length + 1];
        Arrays.fill(q, CANARY);
        int[] offset = {99, 98};
        float sf = PortableTensorUtils.asymmetricQuantizeFloats(values, values.length, q, offset);
        assertArrayEquals(expectedQ, Arrays.copyOf(q, values.length), () -> "quantized " + Arrays.toString(values));
        assertEquals(CANARY, q[values.length], "no write past size");
        assertEquals(expectedZp, offset[0], "zero point");
        assertEquals(98, offset[1], "offset[1] untouched");
        return sf;
    }

    @Test
    void asymmetricAllPositiveGetsZeroPointMinus128() {
        // rmin = 0, rmax = 255: scale 1, inv 1; q = rnd(-128 + v)
        // 127.5 -> -0.5 -> -1 (the §2.2 tie), 128.5 -> 1, 0.5 -> -127.5 -> -128, 100.25 -> -27.75 -> -28
        float sf = asymmetric(new float[] {255f, 127.5f, 128.5f, 0.5f, 1.5f, 100.25f},
                bytes(127, -1, 1, -128, -127, -28), -128);
        Oracle.assertRawBits(1.0f, sf);
    }

    @Test
    void asymmetricAllNegativeGetsZeroPoint127() {
        float sf = asymmetric(new float[] {-255f, -0.5f, -127.5f, -126.5f, -100.25f},
                bytes(-128, 127, -1, 1, 27), 127);
        Oracle.assertRawBits(1.0f, sf);
    }

    @Test
    void asymmetricMixedRangeAndZeroPointTieAwayFromZero() {
        // rmin = -100, rmax = 155: scale 1, zp = -28 exactly
        float sf = asymmetric(new float[] {-100f, 155f, 0f, 10.5f, -10.5f},
                bytes(-128, 127, -28, -18, -39), -28);
        Oracle.assertRawBits(1.0f, sf);
        // rmin = -101.5, rmax = 153.5: scale 1, zp = -26.5 -> -27 (ties away; rint/Math.round give -26)
        // q = rnd(-27 + v): -101.5 -> -128.5 -> -129 -> clamp -128; 153.5 -> 126.5 -> 127; 0.5 -> -26.5 -> -27
        sf = asymmetric(new float[] {-101.5f, 153.5f, 0f, 1f, 0.5f}, bytes(-128, 127, -27, -26, -27), -27);
        Oracle.assertRawBits(1.0f, sf);
    }

    @Test
    void asymmetricScaleIsDividedInDoubleFromTheFloatRange() {
        // §2.2's own example: portable scale 0x406A81BD (NEON: 0x406A81BE); zp_max = 21.8879... -> 22
        // q = rnd(22 + v * inv): 385.148346 -> 127.11 -> 127; -549.214661 -> -127.89 -> -128; 100 -> 49.29 -> 49
        float sf = asymmetric(new float[] {385.148346f, -549.214661f, 0f, 100f, -100f},
                bytes(127, -128, 22, 49, -5), 22);
        assertEquals(0x406A81BD, Float.floatToRawIntBits(sf));
    }

    @Test
    void asymmetricAllZero() {
        float sf = asymmetric(new float[] {0f, -0f, 0f}, bytes(0, 0, 0), 0);
        assertEquals(Float.floatToRawIntBits(1.0f), Float.floatToRawIntBits(sf));
    }

    @Test
    void asymmetricNaN() {
        // {NaN, 255, 127.5}: min = NaN, max = 255; rmin = min(0, NaN) = 0 -> scale 1, zp -128; NaN -> -128 (x86)
        float sf = asymmetric(new float[] {NAN, 255f, 127.5f}, bytes(-128, 127, -1), -128);
        Oracle.assertRawBits(1.0f, sf);
        // {255, NaN}: max = NaN, so rmax = max(0, NaN) = 0 = rmin: treated as all zero
        sf = asymmetric(new float[] {255f, NAN}, bytes(0, 0), 0);
        Oracle.assertRawBits(1.0f, sf);
    }

    @Test
    void asymmetricNegativeInfinity() {
        // rmin = -Inf, rmax = 1: scale Inf; zp_min = NaN with NaN error, so zp_max = 127 - 1/Inf = 127 is chosen.
        // inv = 1/Inf = 0: -Inf * 0 = NaN -> -128; 1 * 0 = 0 -> 127; -3 * 0 = -0 -> 127
        float sf = asymmetric(new float[] {-INF, 1f, -3f}, bytes(-128, 127, 127), 127);
        assertEquals(Float.floatToRawIntBits(INF), Float.floatToRawIntBits(sf));
    }

    @Test
    void asymmetricPositiveInfinity() {
        // rmin = 0, rmax = Inf: scale Inf; zp_max = 127 - Inf/Inf = NaN with NaN error; 128 < NaN is false, so
        // zp = NaN, which is neither <= -128 nor >= 127: (int8) round(NaN) = low byte of x86's INT32_MIN = 0.
        // inv = 0: Inf * 0 = NaN -> -128; 1 * 0 -> 0 + zp = 0.
        float sf = asymmetric(new float[] {INF, 1f}, bytes(-128, 0), 0);
        assertEquals(Float.floatToRawIntBits(INF), Float.floatToRawIntBits(sf));
    }

    @Test
    void asymmetricSubnormal() {
        // rmax = 1e-40f: scale = 1e-40/255 in double -> (float) 0x118 * 2^-149 (subnormal); inv = 1/sf = +Inf;
        // -128 + v * Inf = +Inf -> -128, and 0 * Inf = NaN -> -128
        float sf = asymmetric(new float[] {1e-40f, 0f, 5e-41f}, bytes(-128, -128, -128), -128);
        assertEquals(0x00000118, Float.floatToRawIntBits(sf));
    }

    // ------------------------------------------------------------------ §2.3 batch

    @Test
    void batchQuantizeSymmetricWritesZeroZeroPointsWhenGiven() {
        float[] data = {1000f, -635f, 0f, /* row 1 */ 0f, 0f, 0f, /* row 2 */ 127f, 2.5f, -2.5f};
        byte[] q = new byte[10];
        Arrays.fill(q, CANARY);
        float[] sf = {-1f, -1f, -1f, -1f};
        int[] zp = {7, 7, 7, 7};
        PortableTensorUtils.batchQuantizeFloats(data, 3, 3, q, sf, zp, false);
        assertArrayEquals(bytes(127, -81, 0, 0, 0, 0, 127, 3, -3, CANARY), q);
        assertEquals(0x40FBF7F0, Float.floatToRawIntBits(sf[0]));
        Oracle.assertRawBits(1.0f, sf[1]);
        Oracle.assertRawBits(1.0f, sf[2]);
        Oracle.assertRawBits(-1f, sf[3]);
        assertArrayEquals(new int[] {0, 0, 0, 7}, zp);
        // null zero points are fine when symmetric
        Arrays.fill(q, CANARY);
        PortableTensorUtils.batchQuantizeFloats(data, 3, 3, q, sf, null, false);
        assertArrayEquals(bytes(127, -81, 0, 0, 0, 0, 127, 3, -3, CANARY), q);
    }

    @Test
    void batchQuantizeAsymmetricPerRow() {
        float[] data = {255f, 127.5f, /* row 1 */ -255f, -0.5f, /* row 2 */ 0f, -0f};
        byte[] q = new byte[6];
        float[] sf = new float[3];
        int[] zp = {5, 5, 5};
        PortableTensorUtils.batchQuantizeFloats(data, 3, 2, q, sf, zp, true);
        assertArrayEquals(bytes(127, -1, -128, 127, 0, 0), q);
        Oracle.assertRawBits(new float[] {1f, 1f, 1f}, sf);
        assertArrayEquals(new int[] {-128, 127, 0}, zp);
    }

    // ------------------------------------------------------------------ random against the oracle

    private static float randomValue(SplittableRandom rnd, boolean specials) {
        int k = rnd.nextInt(100);
        if (specials && k == 0) {
            return NAN;
        }
        if (specials && k == 1) {
            return rnd.nextBoolean() ? INF : -INF;
        }
        if (k == 2) {
            return rnd.nextBoolean() ? 0f : -0f;
        }
        if (k == 3) {
            return Float.intBitsToFloat(rnd.nextInt(1, 0x800000)) * (rnd.nextBoolean() ? 1 : -1); // subnormal
        }
        if (k < 30) {
            return (rnd.nextInt(-1024, 1024)) / 4.0f; // many exact ties
        }
        return (float) rnd.nextGaussian() * (float) Math.pow(10, rnd.nextInt(-3, 4));
    }

    @Test
    void randomSymmetricMatchesOracle() {
        long seed = 0x5F1A77L;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 4_000; i++) {
            int n = rnd.nextInt(1, 40);
            float[] v = new float[n];
            for (int j = 0; j < n; j++) {
                v[j] = randomValue(rnd, true);
            }
            byte[] expected = new byte[n];
            float esf = Oracle.symmetricFromData(v, 0, n, expected);
            byte[] actual = new byte[n];
            float asf = PortableTensorUtils.symmetricQuantizeFloats(v, n, actual, (float[]) null);
            if (!Arrays.equals(expected, actual) || !Oracle.sameFloat(esf, asf)) {
                fail("seed " + seed + " case " + i + ": values " + Arrays.toString(v) + "\nexpected " + Arrays.toString(
                        expected) + " sf " + Oracle.bits(esf) + "\nactual   " + Arrays.toString(actual) + " sf "
                        + Oracle.bits(asf));
            }
            // given range
            float min = randomValue(rnd, false);
            float max = randomValue(rnd, false);
            esf = Oracle.symmetric(v, 0, n, expected, min, max);
            asf = PortableTensorUtils.symmetricQuantizeFloats(v, n, actual, min, max);
            if (!Arrays.equals(expected, actual) || !Oracle.sameFloat(esf, asf)) {
                fail("seed " + seed + " case " + i + ": values " + Arrays.toString(v) + " range [" + min + ", " + max
                        + "]\nexpected " + Arrays.toString(expected) + "\nactual   " + Arrays.toString(actual));
            }
        }
    }

    @Test
    void randomAsymmetricMatchesOracle() {
        long seed = 0xA5F1A77L;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 4_000; i++) {
            int n = rnd.nextInt(1, 40);
            float[] v = new float[n];
            boolean shift = rnd.nextInt(3) == 0; // all-positive / all-negative rows
            float sign = rnd.nextBoolean() ? 1f : -1f;
            for (int j = 0; j < n; j++) {
                float x = randomValue(rnd, false);
                v[j] = shift ? sign * Math.abs(x) : x;
                if (rnd.nextInt(100) == 0) {
                    v[j] = rnd.nextBoolean() ? NAN : -INF; // +Inf gives a NaN zero point, covered by a golden test
                }
            }
            byte[] expected = new byte[n];
            int[] e = Oracle.asymmetric(v, 0, n, expected);
            byte[] actual = new byte[n];
            int[] zp = new int[1];
            float asf = PortableTensorUtils.asymmetricQuantizeFloats(v, n, actual, zp);
            if (!Arrays.equals(expected, actual) || e[0] != Float.floatToRawIntBits(asf) || e[1] != zp[0]) {
                fail("seed " + seed + " case " + i + ": values " + Arrays.toString(v) + "\nexpected " + Arrays.toString(
                        expected) + " sf " + Oracle.bits(Float.intBitsToFloat(e[0])) + " zp " + e[1] + "\nactual   "
                        + Arrays.toString(actual) + " sf " + Oracle.bits(asf) + " zp " + zp[0]);
            }
        }
    }

    @Test
    void randomBatchMatchesPerRowOracle() {
        long seed = 0xBA7C4L;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 1_000; i++) {
            int nBatch = rnd.nextInt(1, 5);
            int nData = rnd.nextInt(1, 20);
            float[] v = new float[nBatch * nData];
            for (int j = 0; j < v.length; j++) {
                v[j] = randomValue(rnd, false);
            }
            boolean asym = rnd.nextBoolean();
            byte[] eq = new byte[v.length];
            float[] esf = new float[nBatch];
            int[] ezp = new int[nBatch];
            for (int b = 0; b < nBatch; b++) {
                if (asym) {
                    int[] r = Oracle.asymmetric(v, b * nData, nData, eq);
                    esf[b] = Float.intBitsToFloat(r[0]);
                    ezp[b] = r[1];
                } else {
                    esf[b] = Oracle.symmetricFromData(v, b * nData, nData, eq);
                }
            }
            byte[] q = new byte[v.length];
            float[] sf = new float[nBatch];
            int[] zp = new int[nBatch];
            Arrays.fill(zp, 77);
            PortableTensorUtils.batchQuantizeFloats(v, nBatch, nData, q, sf, zp, asym);
            String ctx = "seed " + seed + " case " + i + " asym " + asym + " values " + Arrays.toString(v);
            assertArrayEquals(eq, q, ctx);
            for (int b = 0; b < nBatch; b++) {
                assertFloatBits(esf[b], sf[b], ctx + " sf[" + b + "]");
            }
            assertArrayEquals(ezp, zp, ctx);
        }
    }
}
