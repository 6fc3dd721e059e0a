package dev.qlanes.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The full-integer FULLY_CONNECTED twin: TFLite {@code Prepare}'s parameters (docs/semantics.md §1.5, §1.6) from real
 * scales and zero points, hand-computed outputs in both roundings, and agreement with calling
 * {@link ReferenceIntegerOps} directly with separately derived parameters.
 */
class ReferenceQuantizedFullyConnectedTest {
    private static final int P30 = 1 << 30;

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    // input zero point -5 (offset +5): {6,3,8} / {-123,132,5}; filter {2,0,-1} / {-127,127,1}
    // acc + bias {7,-8}: 11, -381, -244, 32382; real multiplier 0.5 * 0.25 / 1 = 0.125 = (2^30, -2)
    private static final byte[] INPUT = bytes(1, -2, 3, -128, 127, 0);
    private static final byte[] FILTER = bytes(2, 0, -1, -127, 127, 1);
    private static final int[] BIAS = {7, -8};

    private static byte[] eval(float[] perChannel, FusedActivation activation, Rounding rounding) {
        byte[] out = bytes(77, 77, 77, 77, 77);
        ReferenceQuantizedFullyConnected.eval(INPUT, 2, 3, 0.5f, -5, FILTER, 2, 0.25f, perChannel, BIAS, 1.0f, -3,
                activation, rounding, out);
        return out;
    }

    @Test
    void handComputedOutputs() {
        // x 0.125: 1.375, -47.625, -30.5, 4047.75
        // double: SRDHM ties up then RDBPOT ties away: 2, -48, -31, 4048; single (ties up): 1, -48, -30, 4048; then -3
        for (float[] perChannel : new float[][] {null, {0.25f, 0.25f}}) {
            assertArrayEquals(bytes(-1, -51, -34, 127, 77), eval(perChannel, FusedActivation.NONE,
                    Rounding.DOUBLE_ROUNDING));
            assertArrayEquals(bytes(-2, -51, -33, 127, 77), eval(perChannel, FusedActivation.NONE,
                    Rounding.SINGLE_ROUNDING));
            // RELU clamps at Q(0) = zero point -3
            assertArrayEquals(bytes(-1, -3, -3, 127, 77), eval(perChannel, FusedActivation.RELU,
                    Rounding.DOUBLE_ROUNDING));
        }
        QuantizedFullyConnectedParameters p = QuantizedFullyConnectedParameters.perTensor(0.5f, -5, 0.25f, 1.0f, -3,
                FusedActivation.RELU6, Rounding.DOUBLE_ROUNDING);
        assertEquals(P30, p.multiplier(0));
        assertEquals(-2, p.shift(0));
        assertEquals(5, p.inputOffset());
        assertEquals(-3, p.outputOffset());
        assertEquals(-3, p.activationMin());
        assertEquals(3, p.activationMax()); // -3 + round(6 / 1)
    }

    @Test
    void perTensorRoundsTheScaleProductToFloatFirst() {
        SplittableRandom random = new SplittableRandom(61);
        int differ = 0;
        for (int i = 0; i < 2000; i++) {
            float is = (float) random.nextDouble(1e-3, 1);
            float fs = (float) random.nextDouble(1e-3, 1);
            float os = (float) random.nextDouble(1e-3, 1);
            for (Rounding rounding : Rounding.values()) {
                QuantizedFullyConnectedParameters t = QuantizedFullyConnectedParameters.perTensor(is, 0, fs, os, 0,
                        FusedActivation.NONE, rounding);
                QuantizedFullyConnectedParameters c = QuantizedFullyConnectedParameters.perChannel(is, 0,
                        new float[] {fs}, os, 0, FusedActivation.NONE, rounding);
                QuantizedMultiplier expectedT = QuantizedMultiplier.of(
                        (double) (is * fs) / (double) os, rounding);
                QuantizedMultiplier expectedC = QuantizedMultiplier.of((double) is * (double) fs / (double) os,
                        rounding);
                assertEquals(expectedT, new QuantizedMultiplier(t.multiplier(0), t.shift(0)));
                assertEquals(expectedC, new QuantizedMultiplier(c.multiplier(0), c.shift(0)));
                differ += expectedT.equals(expectedC) ? 0 : 1;
            }
        }
        assertNotEquals(0, differ, "the float-rounded product must matter somewhere");
    }

    @Test
    void equalsReferenceIntegerOpsWithDirectlyDerivedParameters() {
        SplittableRandom random = new SplittableRandom(62);
        for (int i = 0; i < 300; i++) {
            int batch = random.nextInt(1, 4);
            int depth = random.nextInt(0, 40);
            int units = random.nextInt(1, 12);
            byte[] input = new byte[batch * depth];
            byte[] filter = new byte[units * depth];
            random.nextBytes(input);
            random.nextBytes(filter);
            int[] bias = random.nextBoolean() ? random.ints(units, -50_000, 50_000).toArray() : null;
            float is = (float) random.nextDouble(1e-3, 0.1);
            float os = (float) random.nextDouble(1e-3, 1);
            int zpIn = random.nextInt(-128, 128);
            int zpOut = random.nextInt(-128, 128);
            FusedActivation act = FusedActivation.values()[random.nextInt(4)];
            Rounding rounding = Rounding.values()[random.nextInt(2)];
            FullyConnectedQuantization.ActivationRange range =
                    FullyConnectedQuantization.activationRange(act, os, zpOut, -128, 127);
            byte[] expected = new byte[batch * units + 3];
            byte[] actual = expected.clone();
            if (random.nextBoolean()) {
                float fs = (float) random.nextDouble(1e-3, 0.1);
                QuantizedMultiplier q = QuantizedMultiplier.of(FullyConnectedQuantization.realMultiplier(is, fs, os),
                        rounding);
                ReferenceIntegerOps.fullyConnected(-zpIn, 0, zpOut, q.multiplier(), q.shift(), range.min(),
                        range.max(), input, batch, depth, filter, units, bias, expected, rounding);
                ReferenceQuantizedFullyConnected.eval(input, batch, depth, is, zpIn, filter, units, fs, null, bias, os,
                        zpOut, act, rounding, actual);
            } else {
                float[] fs = new float[units];
                int[] m = new int[units];
                int[] s = new int[units];
                for (int u = 0; u < units; u++) {
                    fs[u] = (float) random.nextDouble(1e-3, 0.1);
                    QuantizedMultiplier q = QuantizedMultiplier.of(
                            FullyConnectedQuantization.realMultiplierPerChannel(is, fs[u], os), rounding);
                    m[u] = q.multiplier();
                    s[u] = q.shift();
                }
                ReferenceIntegerOps.fullyConnectedPerChannel(-zpIn, zpOut, m, s, range.min(), range.max(), input,
                        batch, depth, filter, units, bias, expected, rounding);
                ReferenceQuantizedFullyConnected.eval(input, batch, depth, is, zpIn, filter, units, 0, fs, bias, os,
                        zpOut, act, rounding, actual);
            }
            assertArrayEquals(expected, actual, "case " + i);
        }
    }

    @Test
    void rejectsWhatTflitePrepareCannotRepresent() {
        for (float bad : new float[] {0.0f, -1.0f, Float.NaN, Float.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> QuantizedFullyConnectedParameters.perTensor(bad, 0, 1, 1, 0, FusedActivation.NONE,
                            Rounding.DOUBLE_ROUNDING));
            Messages.assertNames(e, "inputScale");
            e = assertThrows(IllegalArgumentException.class, () -> QuantizedFullyConnectedParameters.perChannel(1, 0,
                    new float[] {1, bad}, 1, 0, FusedActivation.NONE, Rounding.DOUBLE_ROUNDING));
            Messages.assertContains(e, "filterScales[1]");
        }
        Messages.assertNames(assertThrows(IllegalArgumentException.class, () -> QuantizedFullyConnectedParameters
                .perTensor(1, -129, 1, 1, 0, FusedActivation.NONE, Rounding.DOUBLE_ROUNDING)), "inputZeroPoint");
        Messages.assertNames(assertThrows(IllegalArgumentException.class, () -> QuantizedFullyConnectedParameters
                .perTensor(1, 0, 1, 1, 128, FusedActivation.NONE, Rounding.DOUBLE_ROUNDING)), "outputZeroPoint");
        // 1e10: double rounding keeps shift 34 (unusable), single rounding saturates to (2^31 - 1, 30)
        Messages.assertContains(assertThrows(IllegalArgumentException.class, () -> QuantizedFullyConnectedParameters
                .perTensor(1e5f, 0, 1, 1e-5f, 0, FusedActivation.NONE, Rounding.DOUBLE_ROUNDING)), "shift 34");
        QuantizedFullyConnectedParameters single = QuantizedFullyConnectedParameters.perTensor(1e5f, 0, 1, 1e-5f, 0,
                FusedActivation.NONE, Rounding.SINGLE_ROUNDING);
        assertEquals(Integer.MAX_VALUE, single.multiplier(0));
        assertEquals(30, single.shift(0));
        // Tiny multipliers flush to (0, 0), as QuantizeMultiplier does
        QuantizedFullyConnectedParameters tiny = QuantizedFullyConnectedParameters.perTensor(1e-20f, 0, 1e-20f, 1, 0,
                FusedActivation.NONE, Rounding.DOUBLE_ROUNDING);
        assertEquals(0, tiny.multiplier(0));
        assertEquals(0, tiny.shift(0));
        // RELU6's Q(6) overflows int32 for a tiny output scale
        assertThrows(IllegalArgumentException.class, () -> QuantizedFullyConnectedParameters.perTensor(1e-30f, 0, 1,
                1e-30f, 0, FusedActivation.RELU6, Rounding.DOUBLE_ROUNDING));
        assertThrows(NullPointerException.class, () -> QuantizedFullyConnectedParameters.perChannel(1, 0, null, 1, 0,
                FusedActivation.NONE, Rounding.DOUBLE_ROUNDING));
        assertThrows(IndexOutOfBoundsException.class, () -> ReferenceQuantizedFullyConnected.eval(INPUT, 2, 3, 0.5f, 0,
                FILTER, 2, 1, new float[1], null, 1, 0, FusedActivation.NONE, Rounding.DOUBLE_ROUNDING, new byte[4]));
        byte[] untouched = new byte[3];
        assertThrows(IndexOutOfBoundsException.class, () -> ReferenceQuantizedFullyConnected.eval(INPUT, 2, 3, 0.5f, 0,
                FILTER, 2, 1, null, null, 1, 0, FusedActivation.NONE, Rounding.DOUBLE_ROUNDING, untouched));
        assertArrayEquals(new byte[3], untouched);
        float[] scales = {1, 2};
        QuantizedFullyConnectedParameters copy = QuantizedFullyConnectedParameters.perChannel(1, 0, scales, 1, 0,
                FusedActivation.NONE, Rounding.DOUBLE_ROUNDING);
        int[] m = copy.multipliers();
        m[0] = 0;
        assertNotEquals(0, copy.multiplier(0), Arrays.toString(m));
    }
}
