package dev.qlanes.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * int8 ADD and MUL ({@link ReferenceQuantizedArithmeticOps}) against values derived by hand from TFLite's
 * {@code Prepare} and kernel formulas: exact cases, ties in both rounding modes, zero points, fused clamps,
 * broadcasting, MUL's float-evaluated multiplier, and the parameter combinations Prepare aborts on.
 */
class ReferenceQuantizedArithmeticOpsTest {
    private static final Rounding D = Rounding.DOUBLE_ROUNDING;
    private static final Rounding S = Rounding.SINGLE_ROUNDING;
    private static final int[] V = {4}; // shape of the 4-element vectors below

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static byte[] add(float sa, int za, float sb, int zb, float so, int zo, FusedActivation act, Rounding r,
            byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        int[] shape = {a.length};
        ReferenceQuantizedArithmeticOps.add(a, shape, sa, za, b, shape, sb, zb, out, shape, so, zo, act, r);
        return out;
    }

    private static byte[] mul(float sa, int za, float sb, int zb, float so, int zo, FusedActivation act, Rounding r,
            byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        int[] shape = {a.length};
        ReferenceQuantizedArithmeticOps.mul(a, shape, sa, za, b, shape, sb, zb, out, shape, so, zo, act, r);
        return out;
    }

    // ------------------------------------------------------------------ ADD

    @Test
    void addWithUnitScalesIsTheSaturatedSum() {
        // twice = 2; input multipliers 0.5 → (2^30, 0); output 2 / 2^20 = 2^-19 → (2^30, -18).
        // x·2^20 → SRDHM(·, 2^30) = x·2^19 exactly; (x + y)·2^19 → SRDHM = (x + y)·2^18 → RDBPOT(·, 18) = x + y.
        assertArrayEquals(bytes(7, -1, 127, -128),
                add(1f, 0, 1f, 0, 1f, 0, FusedActivation.NONE, D, bytes(3, -5, 100, -100), bytes(4, 4, 100, -100)));
    }

    @Test
    void addTiesDependOnTheBuild() {
        // Output scale 2: output multiplier 2 / (2^20 · 2) = 2^-20 → (2^30, -19), so the result is (x + y) / 2.
        // Double rounding: SRDHM exact, RDBPOT(·, 19) ties away: 1 → 1, -1 → -1, 3 → 2, -3 → -2.
        assertArrayEquals(bytes(1, -1, 2, -2),
                add(1f, 0, 1f, 0, 2f, 0, FusedActivation.NONE, D, bytes(1, -1, 2, -2), bytes(0, 0, 1, -1)));
        // Single rounding: (s·2^30 + 2^49) >> 50 with s = (x + y)·2^19, ties up: 1 → 1, -1 → 0, 3 → 2, -3 → -1.
        assertArrayEquals(bytes(1, 0, 2, -1),
                add(1f, 0, 1f, 0, 2f, 0, FusedActivation.NONE, S, bytes(1, -1, 2, -2), bytes(0, 0, 1, -1)));
    }

    @Test
    void addWithZeroPointsAndDifferentScales() {
        // scaleA 0.5 (zp 10), scaleB 0.25 (zp -20), out 1 (zp 5): twice = 1; Ma = 0.5 → (2^30, 0),
        // Mb = 0.25 → (2^30, -1), Mo = 2^-20 → (2^30, -19).
        // a = 20, b = -12: (10·2^20 → 5·2^20) + (8·2^20 → 4·2^20 → RDBPOT 2·2^20) = 7·2^20 → 7, + 5 = 12
        // (in real terms 10·0.5 + 8·0.25 = 7). a = -10, b = -20: -20·0.5 + 0 = -10 → -5. a = 60, b = -20: 25 → 30.
        // a = 11, b = -19: 2^19 + RDBPOT(2^19, 1) = 3·2^18 → SRDHM 3·2^17 → RDBPOT(·, 19) = 0.75 → 1, + 5 = 6.
        assertArrayEquals(bytes(12, -5, 30, 6), add(0.5f, 10, 0.25f, -20, 1f, 5, FusedActivation.NONE, D,
                bytes(20, -10, 60, 11), bytes(-12, -20, -20, -19)));
        // RELU clamps below at the quantized 0 (= zp 5), RELU6 at the quantized 6 (= 11) too.
        assertArrayEquals(bytes(12, 5, 30, 6), add(0.5f, 10, 0.25f, -20, 1f, 5, FusedActivation.RELU, D,
                bytes(20, -10, 60, 11), bytes(-12, -20, -20, -19)));
        assertArrayEquals(bytes(11, 5, 11, 6), add(0.5f, 10, 0.25f, -20, 1f, 5, FusedActivation.RELU6, D,
                bytes(20, -10, 60, 11), bytes(-12, -20, -20, -19)));
    }

    @Test
    void addBroadcastsAndWritesInPlace() {
        byte[] a = bytes(1, 2, 3, 4, 5, 6);
        ReferenceQuantizedArithmeticOps.add(a, new int[] {2, 3}, 1f, 0, bytes(10, 20, 30), new int[] {3}, 1f, 0, a,
                new int[] {2, 3}, 1f, 0, FusedActivation.NONE);
        assertArrayEquals(bytes(11, 22, 33, 14, 25, 36), a);
        byte[] out = new byte[4];
        ReferenceQuantizedArithmeticOps.add(bytes(-3), new int[0], 1f, 0, bytes(1, 2, 3, 4), V, 1f, 0, out, V, 1f, 0,
                FusedActivation.NONE);
        assertArrayEquals(bytes(-2, -1, 0, 1), out);
    }

    @Test
    void addRejectsAnOutputScaleTooSmallForPrepare() {
        // 2 · max(1, 1) / (2^20 · 2^-20) = 2 >= 1: QuantizeMultiplierSmallerThanOneExp aborts in TFLite.
        byte[] out = bytes(7, 7, 7, 7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReferenceQuantizedArithmeticOps
                .add(bytes(1, 2, 3, 4), V, 1f, 0, bytes(1, 2, 3, 4), V, 1f, 0, out, V, 0x1p-20f, 0,
                        FusedActivation.NONE));
        Messages.assertContains(e, "outScale");
        assertArrayEquals(bytes(7, 7, 7, 7), out);
    }

    // ------------------------------------------------------------------ MUL

    @Test
    void mulWithAUnitMultiplierIsTheSaturatedProduct() {
        // 0.5 · 0.25 / 0.125 = 1 → (2^30, 1): SRDHM(2p, 2^30) = p exactly.
        assertArrayEquals(bytes(15, -15, 127, -128), mul(0.5f, 0, 0.25f, 0, 0.125f, 0, FusedActivation.NONE, D,
                bytes(3, -3, 12, 12), bytes(5, 5, 12, -12)));
        // Zero points are subtracted first, the output zero point added after: (7 - 2)(1 + 3) + 10 = 30.
        assertArrayEquals(bytes(30), mul(0.5f, 2, 0.25f, -3, 0.125f, 10, FusedActivation.NONE, D, bytes(7),
                bytes(1)));
    }

    @Test
    void mulTiesDependOnTheBuild() {
        // Multiplier 0.25 → (2^30, -1). Double: p = 1 → SRDHM 1 → RDBPOT(1, 1) = 1; p = -2 → -1 → -1;
        // single: (p·2^30 + 2^31) >> 32: 1 → 0, -2 → 0. p = 2 → 1 in both, p = -1 → 0 in both.
        assertArrayEquals(bytes(1, -1, 1, 0),
                mul(1f, 0, 0.25f, 0, 1f, 0, FusedActivation.NONE, D, bytes(1, -2, 2, -1), bytes(1, 1, 1, 1)));
        assertArrayEquals(bytes(0, 0, 1, 0),
                mul(1f, 0, 0.25f, 0, 1f, 0, FusedActivation.NONE, S, bytes(1, -2, 2, -1), bytes(1, 1, 1, 1)));
    }

    @Test
    void mulMultiplierIsEvaluatedInFloat() {
        // mul.cc: double real = scaleA * scaleB / outScale, an expression of floats, so it is rounded to float
        // before QuantizeMultiplier: M = 1355826560 (shift -6). All in double it would be 1355826498, and for
        // p = -6 · 59 = -354 the results are -4 (float) and -3 (double).
        float sa = Float.intBitsToFloat(0x3cd4b1b2);
        float sb = Float.intBitsToFloat(0x3c5cd15f);
        float so = Float.intBitsToFloat(0x3d114b13);
        float real = sa * sb;
        real = real / so;
        int m = 1355826560;
        BigDecimal error = new BigDecimal(m).divide(new BigDecimal(1L << 37)).subtract(new BigDecimal(real)).abs();
        assertTrue(error.compareTo(new BigDecimal(Math.scalb(1.0, -38))) <= 0, "M must be the float real, rounded");
        assertEquals(-4, Oracle.mbqmDouble(-354, m, -6));
        assertEquals(-3, Oracle.mbqmDouble(-354, 1355826498, -6));
        assertArrayEquals(bytes(-4 + 1), mul(sa, 0, sb, 0, so, 1, FusedActivation.NONE, D, bytes(-6), bytes(59)));
    }

    @Test
    void mulBroadcastsAnOuterProduct() {
        byte[] out = new byte[6];
        ReferenceQuantizedArithmeticOps.mul(bytes(1, -2), new int[] {2, 1}, 0.5f, 0, bytes(3, 4, 5), new int[] {1, 3},
                0.25f, 0, out, new int[] {2, 3}, 0.125f, 0, FusedActivation.NONE);
        byte[] expected = new byte[6];
        int[] a = {1, -2};
        int[] b = {3, 4, 5};
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                expected[i * 3 + j] = (byte) (a[i] * b[j]);
            }
        }
        assertArrayEquals(expected, out);
    }

    @Test
    void rejectsBadArgumentsBeforeWriting() {
        byte[] out = bytes(7, 7, 7, 7);
        byte[] x = bytes(1, 2, 3, 4);
        Messages.assertNames(assertThrows(IllegalArgumentException.class, () -> ReferenceQuantizedArithmeticOps.mul(
                x, V, 0f, 0, x, V, 1f, 0, out, V, 1f, 0, FusedActivation.NONE)), "scaleA");
        Messages.assertNames(assertThrows(IllegalArgumentException.class, () -> ReferenceQuantizedArithmeticOps.mul(
                x, V, 1f, 0, x, V, 1f, 200, out, V, 1f, 0, FusedActivation.NONE)), "zeroPointB", "200");
        Messages.assertNames(assertThrows(IllegalArgumentException.class, () -> ReferenceQuantizedArithmeticOps.add(
                x, V, 1f, 0, x, new int[] {3}, 1f, 0, out, V, 1f, 0, FusedActivation.NONE)), "shapeA", "shapeB");
        Messages.assertNames(assertThrows(IndexOutOfBoundsException.class, () -> ReferenceQuantizedArithmeticOps.add(
                x, V, 1f, 0, x, V, 1f, 0, new byte[3], V, 1f, 0, FusedActivation.NONE)), "out", "3", "4");
        Messages.assertNamesRounding(assertThrows(NullPointerException.class, () -> ReferenceQuantizedArithmeticOps
                .add(x, V, 1f, 0, x, V, 1f, 0, out, V, 1f, 0, FusedActivation.NONE, null)));
        // 1e10 · 1e10 / 1e-10 = 1e30 needs a shift far above 30, which a double-rounding build cannot apply.
        Messages.assertNames(assertThrows(IllegalArgumentException.class, () -> ReferenceQuantizedArithmeticOps.mul(
                x, V, 1e10f, 0, x, V, 1e10f, 0, out, V, 1e-10f, 0, FusedActivation.NONE)), "shift");
        assertArrayEquals(bytes(7, 7, 7, 7), out);
    }
}
