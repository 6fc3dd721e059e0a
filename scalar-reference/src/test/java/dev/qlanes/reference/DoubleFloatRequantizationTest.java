package dev.qlanes.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The float requantization of TFLite's reference FULLY_CONNECTED since April 2025 ({@link Requantization#DOUBLE_FLOAT},
 * docs/semantics.md §4.2): hand-computed ties (positive, negative, after the product's own rounding), int32 limits and
 * x86-64's {@code INT32_MIN} for out-of-range conversions, {@link ReferenceIntegerOps#requantizeInDouble} against an
 * exact {@link java.math.BigInteger} oracle, the FC loops against a naive loop over that oracle, the parameters, and
 * a layer on which the three {@link Requantization}s give three different outputs.
 */
class DoubleFloatRequantizationTest {
    private static final int MIN = Integer.MIN_VALUE;
    private static final int MAX = Integer.MAX_VALUE;
    /** The largest double below 0.5. */
    private static final double BELOW_HALF = Math.nextDown(0.5);

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static void requantizes(int expected, int acc, double eff) {
        assertEquals(expected, ReferenceIntegerOps.requantizeInDouble(acc, eff), acc + " * " + eff);
        assertEquals(expected, Oracle.requantizeInDouble(acc, eff), "oracle: " + acc + " * " + eff);
    }

    @Test
    void tiesRoundAwayFromZero() {
        requantizes(1, 1, 0.5);        // 0.5
        requantizes(-1, -1, 0.5);      // -0.5: away, not toward +inf (fixed point's SRDHM) nor to even
        requantizes(2, 3, 0.5);        // 1.5
        requantizes(3, 5, 0.5);        // 2.5: away, not to even (Math.rint gives 2)
        requantizes(-3, -5, 0.5);      // -2.5: Math.round gives -2
        requantizes(-31, -244, 0.125); // -30.5
        requantizes(4050, 32396, 0.125);
        requantizes(0, 1, BELOW_HALF);  // 0.49999999999999994: floor(x + 0.5) would give 1
        requantizes(0, -1, BELOW_HALF);
        requantizes(1, 3, 0.375);      // 1.125
        requantizes(0, 0, 1e30);
        requantizes(0, 7, 0.0);
        requantizes(-4, 7, -0.5);      // negative scales are computed the same way (TFLite never makes them)
    }

    @Test
    void theProductIsRoundedToDoubleBeforeTheTie() {
        // eff = fl64(5/22): 11 · eff is exactly 2.5 − 8.3e-17, below the tie, but fl64 of the product is 2.5, so
        // round() goes away to 3 (rounding the exact product would give 2). The C++ rounds the double product.
        double fiveOver22 = 0x1.d1745d1745d17p-3;
        requantizes(3, 11, fiveOver22);
        requantizes(-3, -11, fiveOver22);
        // the same near 2^30: 7 · fl64((2^30 + 0.5) / 7) = 2^30 + 0.5 − 8.9e-8, whose double is the tie
        double nearTie = 0x1.24924926db6dbp+27;
        requantizes((1 << 30) + 1, 7, nearTie);
        requantizes(-(1 << 30) - 1, -7, nearTie);
        // 3 · (0.5 − 2^-54) = 1.5 − 3·2^-54 rounds to the double below 1.5, so not a tie: 1
        requantizes(1, 3, BELOW_HALF);
    }

    @Test
    void int32LimitsAndX86Conversion() {
        requantizes(MAX, MAX, 1.0);
        requantizes(MIN, MIN, 1.0);
        requantizes(MAX, MAX, 1.0 + 0x1p-52);             // 2147483647.0000005 rounds back to MAX
        requantizes(MAX, 1431655765, 1.5 - 0x1p-40);      // 2147483647.5 − ~0.0013: below the tie, MAX
        requantizes(MIN, 1431655765, 1.5);                // 2147483647.5 rounds to 2^31: out of range → INT32_MIN
        requantizes(MIN, -1431655765, 1.5);               // −2147483647.5 rounds to −2^31: in range, INT32_MIN
        requantizes(MIN, MIN, 1.0 + 0x1p-32);             // −2^31 − 0.5 rounds to −2^31 − 1: out of range
        requantizes(MIN, MAX, 2.0);                       // positive overflow: INT32_MIN on x86, not saturation
        requantizes(MIN, MIN, -1.0);                      // +2^31: out of range
        requantizes(MIN, 1, 1e300);
        requantizes(MIN, -1, 1e300);
    }

    @Test
    void outOfRangeProductsThenWrapWithTheOutputOffset() {
        // acc = 127 · 127 = 16129, eff = 1e6: the product leaves int32, so x86 gives INT32_MIN, then + output offset
        // in wrapping int32 and the clamp. Offset 0: −128, where a saturating conversion (Java's (int) cast, INT32_MAX)
        // would give 127. Offset +1: still very negative → −128. Offset −1: wraps to INT32_MAX → 127.
        byte[] x = {127};
        byte[] out = {0};
        int[][] offsetAndExpected = {{0, -128}, {1, -128}, {-1, 127}};
        for (int[] c : offsetAndExpected) {
            ReferenceIntegerOps.fullyConnectedDoubleFloat(0, 0, c[0], 1e6, -128, 127, x, 1, 1, x, 1, null, out);
            assertArrayEquals(bytes(c[1]), out, "offset " + c[0]);
            ReferenceIntegerOps.fullyConnectedPerChannelDoubleFloat(0, c[0], new double[] {1e6}, -128, 127, x, 1, 1, x,
                    1, null, out);
            assertArrayEquals(bytes(c[1]), out, "per channel, offset " + c[0]);
            // The same scale through the parameters: 1e3 · 1e3 / 1, no shift limit for DOUBLE_FLOAT
            ReferenceQuantizedFullyConnected.eval(x, 1, 1, 1e3f, 0, x, 1, 1e3f, null, null, 1f, c[0],
                    FusedActivation.NONE, Requantization.DOUBLE_FLOAT, out);
            assertArrayEquals(bytes(c[1]), out, "layer, offset " + c[0]);
        }
        // A negative product beyond int32 is INT32_MIN by either reading: −128 with offset 0
        ReferenceIntegerOps.fullyConnectedDoubleFloat(0, 0, 0, 1e6, -128, 127, x, 1, 1, bytes(-127), 1, null, out);
        assertArrayEquals(bytes(-128), out, "negative");
    }

    @Test
    void matchesTheExactOracle() {
        SplittableRandom random = new SplittableRandom(0xF10A7L);
        int ties = 0;
        int outOfRange = 0;
        int checked = 0;
        for (int i = 0; i < 200_000; i++) {
            int acc = switch (random.nextInt(5)) {
                case 0 -> random.nextInt();
                case 1 -> random.nextInt(-1000, 1001);
                case 2 -> random.nextBoolean() ? MAX - random.nextInt(1000) : MIN + random.nextInt(1000);
                case 3 -> random.nextInt(-(1 << 20), 1 << 20) * 2 + 1; // odd: with eff = k/2^n, ties
                default -> random.nextInt(-(1 << 24), 1 << 24);
            };
            double eff = switch (random.nextInt(5)) {
                case 0 -> Math.scalb(random.nextDouble(0.5, 1.0), random.nextInt(-40, 20));
                case 1 -> random.nextInt(1, 1 << 12) / (double) (1 << random.nextInt(1, 14)); // dyadic: exact ties
                case 2 -> Math.scalb(1.0, random.nextInt(-35, 2)) * (random.nextBoolean() ? 1 : 3);
                case 3 -> (double) random.nextFloat(1e-3f, 1f) * (double) random.nextFloat(1e-3f, 1f)
                        / (double) random.nextFloat(1e-4f, 10f); // TFLite's effective scales
                default -> Math.nextAfter(random.nextInt(1, 8) / 16.0, random.nextBoolean() ? 0 : 1); // near ties
            };
            int expected = Oracle.requantizeInDouble(acc, eff);
            assertEquals(expected, ReferenceIntegerOps.requantizeInDouble(acc, eff), acc + " * " + eff);
            double p = (double) acc * eff;
            ties += Math.abs(p - Math.floor(p)) == 0.5 ? 1 : 0;
            outOfRange += Math.abs(p) >= 0x1p31 - 0.5 ? 1 : 0;
            checked++;
        }
        assertEquals(200_000, checked);
        assertTrue(ties > 3_000, "ties exercised: " + ties);
        assertTrue(outOfRange > 1_000, "out-of-range products exercised: " + outOfRange);
    }

    // input zero point −5 (offset +5): {6,3,8} / {−123,132,5}; filter {2,0,−1} / {−127,127,1}
    private static final byte[] INPUT = bytes(1, -2, 3, -128, 127, 0);
    private static final byte[] FILTER = bytes(2, 0, -1, -127, 127, 1);
    private static final int[] BIAS = {7, -8};

    private static byte[] out() {
        return bytes(77, 77, 77, 77, 77);
    }

    @Test
    void handComputedFullyConnected() {
        // per tensor, filter offset 1: acc + bias = 28, −364, −230, 32396; × 0.125 = 3.5, −45.5, −28.75, 4049.5
        // → 4, −46, −29, 4050; + (−3), clamp
        byte[] out = out();
        ReferenceIntegerOps.fullyConnectedDoubleFloat(5, 1, -3, 0.125, -128, 127, INPUT, 2, 3, FILTER, 2, BIAS, out);
        assertArrayEquals(bytes(1, -49, -32, 127, 77), out, "per tensor");
        out = out();
        ReferenceIntegerOps.fullyConnectedDoubleFloat(5, 1, -3, 0.125, -3, 20, INPUT, 2, 3, FILTER, 2, BIAS, out);
        assertArrayEquals(bytes(1, -3, -3, 20, 77), out, "clamped to [-3, 20]");
        // without bias: 21, −356, −237, 32404 × 0.125 = 2.625, −44.5, −29.625, 4050.5 → 3, −45, −30, 4051
        out = out();
        ReferenceIntegerOps.fullyConnectedDoubleFloat(5, 1, -3, 0.125, -128, 127, INPUT, 2, 3, FILTER, 2, null, out);
        assertArrayEquals(bytes(0, -48, -33, 127, 77), out, "per tensor, no bias");
        // per channel (no filter offset): 11, −381, −244, 32382 with eff {1/8, 1/32}:
        // 1.375 → 1, −11.906 → −12, −30.5 → −31 (away), 1011.94 → 1012; + 2
        // (double rounding gives 4, −10, −29, 127 and single rounding 3, −10, −28, 127)
        out = out();
        ReferenceIntegerOps.fullyConnectedPerChannelDoubleFloat(5, 2, new double[] {0.125, 0.03125}, -128, 127, INPUT,
                2, 3, FILTER, 2, BIAS, out);
        assertArrayEquals(bytes(3, -10, -29, 127, 77), out, "per channel");
    }

    @Test
    void fullyConnectedMatchesNaiveLoopOverTheOracle() {
        long seed = 0xD0B1EL;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 3_000; i++) {
            int batches = rnd.nextInt(1, 4);
            int depth = rnd.nextInt(0, 60);
            int outDepth = rnd.nextInt(1, 9);
            byte[] in = new byte[batches * depth];
            byte[] f = new byte[outDepth * depth];
            for (int j = 0; j < in.length; j++) {
                in[j] = HybridMbvmaTest.randomInt8(rnd);
            }
            for (int j = 0; j < f.length; j++) {
                f[j] = HybridMbvmaTest.randomInt8(rnd);
            }
            int[] bias = rnd.nextBoolean() ? null : rnd.ints(outDepth, -300000, 300000).toArray();
            if (bias != null && rnd.nextInt(8) == 0) {
                bias[0] = rnd.nextBoolean() ? MAX : MIN; // wraps with the products
            }
            int inOff = rnd.nextInt(-127, 129);
            int fOff = rnd.nextInt(4) == 0 ? rnd.nextInt(-127, 129) : 0;
            int outOff = rnd.nextInt(-128, 128);
            int actMin = rnd.nextInt(-128, 128);
            int actMax = rnd.nextInt(actMin, 128);
            double eff = rnd.nextInt(3) == 0 ? rnd.nextInt(1, 64) / 128.0 : Math.scalb(rnd.nextDouble(0.5, 1), -rnd.nextInt(1, 16));
            double[] effs = new double[outDepth];
            for (int o = 0; o < outDepth; o++) {
                effs[o] = rnd.nextInt(3) == 0 ? rnd.nextInt(1, 64) / 128.0
                        : Math.scalb(rnd.nextDouble(0.5, 1), -rnd.nextInt(1, 16));
            }
            byte[] expT = new byte[batches * outDepth];
            byte[] expC = new byte[batches * outDepth];
            for (int b = 0; b < batches; b++) {
                for (int o = 0; o < outDepth; o++) {
                    long accT = 0;
                    long accC = 0;
                    for (int d = 0; d < depth; d++) {
                        long x = in[b * depth + d] + inOff;
                        accT += (f[o * depth + d] + fOff) * x;
                        accC += f[o * depth + d] * x;
                    }
                    if (bias != null) {
                        accT += bias[o];
                        accC += bias[o];
                    }
                    int yT = Oracle.requantizeInDouble((int) accT, eff) + outOff;
                    int yC = Oracle.requantizeInDouble((int) accC, effs[o]) + outOff;
                    expT[b * outDepth + o] = (byte) Math.max(actMin, Math.min(actMax, yT));
                    expC[b * outDepth + o] = (byte) Math.max(actMin, Math.min(actMax, yC));
                }
            }
            String ctx = "seed " + seed + " case " + i + " (" + batches + "x" + outDepth + "x" + depth + ")";
            byte[] out = new byte[batches * outDepth];
            Arrays.fill(out, (byte) 99);
            ReferenceIntegerOps.fullyConnectedDoubleFloat(inOff, fOff, outOff, eff, actMin, actMax, in, batches, depth,
                    f, outDepth, bias, out);
            assertArrayEquals(expT, out, ctx + " per tensor");
            Arrays.fill(out, (byte) 99);
            ReferenceIntegerOps.fullyConnectedPerChannelDoubleFloat(inOff, outOff, effs, actMin, actMax, in, batches,
                    depth, f, outDepth, bias, out);
            assertArrayEquals(expC, out, ctx + " per channel");
        }
    }

    /**
     * One unit per accumulator {3, −244, −4, 11} (weights 0, the bias is the accumulator), scales 0.5 · 0.25 / 1 =
     * 0.125 = (2^30, −2) exactly, so only the roundings differ: 0.375, −30.5, −0.5, 1.375.
     */
    private static byte[] crafted(Requantization requantization, boolean perChannel) {
        byte[] out = new byte[4];
        ReferenceQuantizedFullyConnected.eval(new byte[] {9}, 1, 1, 0.5f, 0, new byte[4], 4, 0.25f,
                perChannel ? new float[] {0.25f, 0.25f, 0.25f, 0.25f} : null, new int[] {3, -244, -4, 11}, 1.0f, 0,
                FusedActivation.NONE, requantization, out);
        return out;
    }

    @Test
    void theThreeRequantizationsDisagree() {
        for (boolean perChannel : new boolean[] {false, true}) {
            // double rounding: SRDHM rounds ties up, then RDBPOT ties away: 0.375 → 0.5 → 1, −30.5 → −31,
            // −0.5 → −1, 1.375 → 1.5 → 2
            byte[] fixedDouble = crafted(Requantization.FIXED_POINT_DOUBLE_ROUNDING, perChannel);
            assertArrayEquals(bytes(1, -31, -1, 2), fixedDouble);
            // single rounding, ties toward +inf: 0, −30, 0, 1
            byte[] fixedSingle = crafted(Requantization.FIXED_POINT_SINGLE_ROUNDING, perChannel);
            assertArrayEquals(bytes(0, -30, 0, 1), fixedSingle);
            // double float, one rounding, ties away: 0, −31, −1, 1
            byte[] doubleFloat = crafted(Requantization.DOUBLE_FLOAT, perChannel);
            assertArrayEquals(bytes(0, -31, -1, 1), doubleFloat);
            assertNotEquals(Arrays.toString(fixedDouble), Arrays.toString(doubleFloat));
            assertNotEquals(Arrays.toString(fixedSingle), Arrays.toString(doubleFloat));
            // the Rounding overload is the fixed-point form
            byte[] viaRounding = new byte[4];
            ReferenceQuantizedFullyConnected.eval(new byte[] {9}, 1, 1, 0.5f, 0, new byte[4], 4, 0.25f,
                    perChannel ? new float[] {0.25f, 0.25f, 0.25f, 0.25f} : null, new int[] {3, -244, -4, 11}, 1.0f,
                    0, FusedActivation.NONE, Rounding.SINGLE_ROUNDING, viaRounding);
            assertArrayEquals(fixedSingle, viaRounding);
        }
    }

    @Test
    void parametersOfTheFloatForm() {
        float is = 0.0173f;
        float os = 0.0911f;
        float[] fs = {0.0021f, 0.5f, 3e-7f};
        QuantizedFullyConnectedParameters c = QuantizedFullyConnectedParameters.perChannel(is, -7, fs, os, 12,
                FusedActivation.RELU6, Requantization.DOUBLE_FLOAT);
        assertEquals(Requantization.DOUBLE_FLOAT, c.requantization());
        assertEquals(3, c.channels());
        for (int u = 0; u < 3; u++) {
            assertEquals((double) is * (double) fs[u] / (double) os, c.effectiveScale(u), "channel " + u);
        }
        double[] copy = c.effectiveScales();
        copy[0] = 0;
        assertNotEquals(0.0, c.effectiveScale(0));
        assertEquals(7, c.inputOffset());
        assertEquals(12, c.outputOffset());
        FullyConnectedQuantization.ActivationRange range =
                FullyConnectedQuantization.activationRange(FusedActivation.RELU6, os, 12, -128, 127);
        assertEquals(range.min(), c.activationMin());
        assertEquals(range.max(), c.activationMax());
        assertThrows(IllegalStateException.class, c::rounding);
        assertThrows(IllegalStateException.class, () -> c.multiplier(0));
        assertThrows(IllegalStateException.class, () -> c.shift(0));
        assertThrows(IllegalStateException.class, c::multipliers);
        assertThrows(IllegalStateException.class, c::shifts);
        assertTrue(c.toString().contains("DOUBLE_FLOAT"), c.toString());

        // Per tensor the product stays in double (the fixed-point form rounds it to float first): find a case
        SplittableRandom random = new SplittableRandom(63);
        int differ = 0;
        for (int i = 0; i < 2000; i++) {
            float a = (float) random.nextDouble(1e-3, 1);
            float w = (float) random.nextDouble(1e-3, 1);
            float o = (float) random.nextDouble(1e-3, 1);
            QuantizedFullyConnectedParameters t = QuantizedFullyConnectedParameters.perTensor(a, 0, w, o, 0,
                    FusedActivation.NONE, Requantization.DOUBLE_FLOAT);
            assertEquals(1, t.channels());
            assertEquals((double) a * (double) w / (double) o, t.effectiveScale(0));
            differ += t.effectiveScale(0) == FullyConnectedQuantization.realMultiplier(a, w, o) ? 0 : 1;
        }
        assertTrue(differ > 0, "the double product must differ from the float-rounded one somewhere");

        // Fixed point: multipliers, no effective scales; rounding() and requantization() agree
        for (Rounding r : Rounding.values()) {
            QuantizedFullyConnectedParameters p = QuantizedFullyConnectedParameters.perTensor(is, 0, fs[0], os, 0,
                    FusedActivation.NONE, r);
            assertEquals(Requantization.fixedPoint(r), p.requantization());
            assertEquals(r, p.rounding());
            assertThrows(IllegalStateException.class, () -> p.effectiveScale(0));
            assertThrows(IllegalStateException.class, p::effectiveScales);
            assertEquals(p.toString(), QuantizedFullyConnectedParameters.perTensor(is, 0, fs[0], os, 0,
                    FusedActivation.NONE, Requantization.fixedPoint(r)).toString());
        }
    }

    @Test
    void floatFormHasNoShiftLimit() {
        // 1e10 needs shift 34: rejected in a double-rounding build, accepted by the float form
        assertThrows(IllegalArgumentException.class, () -> QuantizedFullyConnectedParameters.perTensor(1e5f, 0, 1,
                1e-5f, 0, FusedActivation.NONE, Requantization.FIXED_POINT_DOUBLE_ROUNDING));
        QuantizedFullyConnectedParameters huge = QuantizedFullyConnectedParameters.perTensor(1e5f, 0, 1, 1e-5f, 0,
                FusedActivation.NONE, Requantization.DOUBLE_FLOAT);
        assertEquals((double) 1e5f / (double) 1e-5f, huge.effectiveScale(0));
        // and tiny scales are not flushed to zero
        QuantizedFullyConnectedParameters tiny = QuantizedFullyConnectedParameters.perTensor(1e-20f, 0, 1e-20f, 1, 0,
                FusedActivation.NONE, Requantization.DOUBLE_FLOAT);
        assertTrue(tiny.effectiveScale(0) > 0);
    }

    @Test
    void requantizationEnum() {
        assertEquals(Requantization.FIXED_POINT_DOUBLE_ROUNDING, Requantization.fixedPoint(Rounding.DOUBLE_ROUNDING));
        assertEquals(Requantization.FIXED_POINT_SINGLE_ROUNDING, Requantization.fixedPoint(Rounding.SINGLE_ROUNDING));
        assertEquals(Rounding.DOUBLE_ROUNDING, Requantization.FIXED_POINT_DOUBLE_ROUNDING.rounding());
        assertEquals(Rounding.SINGLE_ROUNDING, Requantization.FIXED_POINT_SINGLE_ROUNDING.rounding());
        assertTrue(Requantization.FIXED_POINT_SINGLE_ROUNDING.isFixedPoint());
        assertTrue(!Requantization.DOUBLE_FLOAT.isFixedPoint());
        assertThrows(IllegalStateException.class, Requantization.DOUBLE_FLOAT::rounding);
        Messages.assertNamesRounding(assertThrows(NullPointerException.class, () -> Requantization.fixedPoint(null)));
        assertEquals(3, Requantization.values().length);
    }

    @Test
    void rejectsBadArguments() {
        byte[] o = new byte[6];
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            Messages.assertNames(assertThrows(IllegalArgumentException.class,
                    () -> ReferenceIntegerOps.fullyConnectedDoubleFloat(0, 0, 0, bad, -128, 127, new byte[8], 2, 4,
                            new byte[12], 3, null, o)), "effectiveScale");
            Messages.assertContains(assertThrows(IllegalArgumentException.class,
                    () -> ReferenceIntegerOps.fullyConnectedPerChannelDoubleFloat(0, 0, new double[] {1, 1, bad},
                            -128, 127, new byte[8], 2, 4, new byte[12], 3, null, o)), "effectiveScales[2]");
        }
        Messages.assertNames(assertThrows(IndexOutOfBoundsException.class,
                () -> ReferenceIntegerOps.fullyConnectedPerChannelDoubleFloat(0, 0, new double[2], -128, 127,
                        new byte[8], 2, 4, new byte[12], 3, null, o)), "effectiveScales");
        assertThrows(NullPointerException.class, () -> ReferenceIntegerOps.fullyConnectedPerChannelDoubleFloat(0, 0,
                null, -128, 127, new byte[8], 2, 4, new byte[12], 3, null, o));
        assertThrows(IllegalArgumentException.class, () -> ReferenceIntegerOps.fullyConnectedDoubleFloat(0, 0, 0, 1,
                10, 9, new byte[8], 2, 4, new byte[12], 3, null, o));
        assertThrows(IndexOutOfBoundsException.class, () -> ReferenceIntegerOps.fullyConnectedDoubleFloat(0, 0, 0, 1,
                -128, 127, new byte[7], 2, 4, new byte[12], 3, null, o));
        assertArrayEquals(new byte[6], o, "untouched");
        assertThrows(NullPointerException.class, () -> QuantizedFullyConnectedParameters.perTensor(1, 0, 1, 1, 0,
                FusedActivation.NONE, (Requantization) null));
        assertThrows(NullPointerException.class, () -> ReferenceQuantizedFullyConnected.eval(INPUT, 2, 3, 0.5f, 0,
                FILTER, 2, 1, null, null, 1, 0, FusedActivation.NONE, (Requantization) null, new byte[4]));
    }
}
