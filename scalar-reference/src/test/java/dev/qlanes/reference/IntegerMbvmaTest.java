package dev.qlanes.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Full-integer MatrixBatchVectorMultiplyAccumulate (§3.6) and MatrixBatchVectorMultiply (§3.7), both roundings:
 * hand-computed results, the previous output added after requantization, int32 wrap, int64 accumulation,
 * clamping, and random shapes against a naive long/BigInteger oracle.
 */
class IntegerMbvmaTest {
    private static final int P30 = 1 << 30;
    private static final Rounding D = Rounding.DOUBLE_ROUNDING;
    private static final Rounding S = Rounding.SINGLE_ROUNDING;

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static short[] shorts(int... v) {
        short[] s = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = (short) v[i];
        }
        return s;
    }

    // ------------------------------------------------------------------ §3.6 golden example
    // input {1,2,3} / {-128,127,-1}; weights {4,-5,6} / {-128,-128,127}; bias {10,-19}
    // acc: b0r0 22, b0r1 -22, b1r0 -1143, b1r1 -18; M = 2^30, shift -1 (x 0.25)
    // double: 6, -6, -286, -5      single: 6, -5, -286, -4
    private static final byte[] IN = bytes(1, 2, 3, -128, 127, -1);
    private static final byte[] W = bytes(4, -5, 6, -128, -128, 127);
    private static final int[] BIAS = {10, -19};

    @Test
    void int8OutputAddsPreviousOutputAfterRequantization() {
        byte[] out = bytes(1, -1, 120, 0, 55);
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(IN, BIAS, W, P30, -1, 2, 3, 2, 3, out);
        // 6+3+1, -6+3-1, -286+3+120 = -163 -> -128, -5+3+0; canary untouched
        assertArrayEquals(bytes(10, -4, -128, -2, 55), out, "double rounding (default)");

        out = bytes(1, -1, 120, 0, 55);
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(IN, BIAS, W, P30, -1, 2, 3, 2, 3, out, D);
        assertArrayEquals(bytes(10, -4, -128, -2, 55), out, "double rounding");

        out = bytes(1, -1, 120, 0, 55);
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(IN, BIAS, W, P30, -1, 2, 3, 2, 3, out, S);
        assertArrayEquals(bytes(10, -3, -128, -1, 55), out, "single rounding");
    }

    @Test
    void int16OutputAddsPreviousOutputAfterRequantization() {
        short[] out = shorts(1, -1, 120, 0, 55);
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(IN, BIAS, W, P30, -1, 2, 3, 2, 3, out);
        assertArrayEquals(shorts(10, -4, -163, -2, 55), out, "double rounding (default)");

        out = shorts(1, -1, 120, 0, 55);
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(IN, BIAS, W, P30, -1, 2, 3, 2, 3, out, D);
        assertArrayEquals(shorts(10, -4, -163, -2, 55), out, "double rounding");

        out = shorts(1, -1, 120, 0, 55);
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(IN, BIAS, W, P30, -1, 2, 3, 2, 3, out, S);
        assertArrayEquals(shorts(10, -3, -163, -1, 55), out, "single rounding");
    }

    @Test
    void outputsClampAtBothEnds() {
        byte[] out = bytes(120, -127, 0, 0);
        // b0r0: 6 + 3 + 120 = 129 -> 127; b0r1: -6 + 3 - 127 = -130 -> -128
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(IN, BIAS, W, P30, -1, 2, 3, 2, 3, out);
        assertArrayEquals(bytes(127, -128, -128, -2), out);
        short[] out16 = shorts(32767, -32768, 0, 0);
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(IN, BIAS, W, P30, -1, 2, 3, 2, 3, out16);
        assertArrayEquals(shorts(32767, -32768, -283, -2), out16);
    }

    @Test
    void accumulatorWrapsInInt32() {
        // bias MAX + 1*1 wraps to INT32_MIN; MBQM(MIN, 2^30, -24) = -64 in both roundings (unwrapped: +64)
        for (Rounding r : Rounding.values()) {
            byte[] out = {0};
            PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(bytes(1), new int[] {Integer.MAX_VALUE}, bytes(1),
                    P30, -24, 1, 1, 1, 0, out, r);
            assertArrayEquals(bytes(-64), out, r.name());
            short[] out16 = {0};
            PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(bytes(1), new int[] {Integer.MAX_VALUE}, bytes(1),
                    P30, -24, 1, 1, 1, 0, out16, r);
            assertArrayEquals(shorts(-64), out16, r.name());
        }
    }

    // ------------------------------------------------------------------ §3.7 int8 input

    @Test
    void matrixBatchVectorMultiplyInt8Overwrites() {
        // input - zp (zp = -3): {4,5} / {-125,130}; weights {5,-6} / {127,-128} / {127,127}
        // acc: b0 {-10, -132, 1143}, b1 {-1405, -32515, 635}; x 0.25:
        // double: b0 {-3, -33, 286}, b1 {-351, -8129, 159};  single: b0 {-2, -33, 286}, b1 {-351, -8129, 159}
        byte[] in = bytes(1, 2, -128, 127);
        byte[] w = bytes(5, -6, 127, -128, 127, 127);
        byte[] out = bytes(99, 99, 99, 99, 99, 99, 99);
        PortableTensorUtils.matrixBatchVectorMultiply(in, -3, w, P30, -1, 2, 2, 3, out, (byte) 5);
        assertArrayEquals(bytes(2, -28, 127, -128, -128, 127, 99), out, "double rounding (default)");
        Arrays.fill(out, (byte) 99);
        PortableTensorUtils.matrixBatchVectorMultiply(in, -3, w, P30, -1, 2, 2, 3, out, (byte) 5, D);
        assertArrayEquals(bytes(2, -28, 127, -128, -128, 127, 99), out, "double rounding");
        Arrays.fill(out, (byte) 99);
        PortableTensorUtils.matrixBatchVectorMultiply(in, -3, w, P30, -1, 2, 2, 3, out, (byte) 5, S);
        assertArrayEquals(bytes(3, -28, 127, -128, -128, 127, 99), out, "single rounding");
    }

    // ------------------------------------------------------------------ §3.7 int16 hidden, int64 accumulator

    @Test
    void matrixBatchVectorMultiplyInt16UsesInt64MbqmWithTiesUp() {
        // hidden {1000,-2000} / {-32768,32767}; weights {3,-4} / {-128,127}; bias {1288, 1072}
        // acc: b0r0 12288, b0r1 -380928, b1r0 -228084, b1r1 8356785
        // M = 2^30 (M16 = 16384), shift -12: T = 27, x / 8192 rounded ties up:
        // 1.5 -> 2, -46.5 -> -46, -27.84 -> -28, 1020.1 -> clamp; + zp 2
        short[] hidden = shorts(1000, -2000, -32768, 32767);
        byte[] w = bytes(3, -4, -128, 127);
        byte[] out = bytes(99, 99, 99, 99, 99);
        PortableTensorUtils.matrixBatchVectorMultiply(hidden, w, P30, -12, new int[] {1288, 1072}, 2, 2, 2, 2, out);
        assertArrayEquals(bytes(4, -44, -26, 127, 99), out);
    }

    @Test
    void matrixBatchVectorMultiplyInt16AccumulatesInInt64() {
        // 1024 * (-32768)(-128) = 2^32 (an int32 sum would wrap to 0); (2^46 + 2^45) >> 46 = 1
        int n = 1024;
        short[] hidden = new short[n];
        byte[] w = new byte[n];
        Arrays.fill(hidden, Short.MIN_VALUE);
        Arrays.fill(w, (byte) -128);
        byte[] out = {99};
        PortableTensorUtils.matrixBatchVectorMultiply(hidden, w, P30, -31, new int[] {0}, 1, n, 1, 0, out);
        assertArrayEquals(bytes(1), out);
        // MBQM64(MAX, 2^30, 1) = MAX; + zp 1 stays 2^31 in int64 and clamps to 127 (an int32 add would give -128)
        PortableTensorUtils.matrixBatchVectorMultiply(shorts(0), bytes(0), P30, 1, new int[] {Integer.MAX_VALUE}, 1, 1,
                1, 1, out);
        assertArrayEquals(bytes(127), out);
    }

    // ------------------------------------------------------------------ random against the oracle

    private static byte int8(SplittableRandom rnd) {
        return HybridMbvmaTest.randomInt8(rnd);
    }

    private static int multiplier(SplittableRandom rnd) {
        return P30 + rnd.nextInt(P30);
    }

    private static int clamp(long v, int lo, int hi) {
        return (int) Math.max(lo, Math.min(hi, v));
    }

    @Test
    void randomFullIntegerAccumulateMatchesOracle() {
        long seed = 0x1A7E6L;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 3_000; i++) {
            int nBatch = rnd.nextInt(1, 4);
            int nInput = rnd.nextInt(0, 50);
            int nOutput = rnd.nextInt(1, 9);
            byte[] in = new byte[nBatch * nInput];
            byte[] w = new byte[nOutput * nInput];
            int[] bias = new int[nOutput];
            for (int j = 0; j < in.length; j++) {
                in[j] = int8(rnd);
            }
            for (int j = 0; j < w.length; j++) {
                w[j] = int8(rnd);
            }
            for (int j = 0; j < nOutput; j++) {
                bias[j] = rnd.nextInt(10) == 0 ? rnd.nextInt() : rnd.nextInt(-100000, 100000);
            }
            int m = multiplier(rnd);
            int shift = rnd.nextInt(5) == 0 ? rnd.nextInt(-31, 31) : rnd.nextInt(-20, 1);
            int zp = rnd.nextInt(-128, 128);
            Rounding r = rnd.nextBoolean() ? D : S;
            byte[] out8 = new byte[nBatch * nOutput];
            short[] out16 = new short[nBatch * nOutput];
            for (int j = 0; j < out8.length; j++) {
                out8[j] = int8(rnd);
                out16[j] = (short) rnd.nextInt(-32768, 32768);
            }
            byte[] exp8 = out8.clone();
            short[] exp16 = out16.clone();
            for (int b = 0; b < nBatch; b++) {
                for (int o = 0; o < nOutput; o++) {
                    long acc = bias[o];
                    for (int c = 0; c < nInput; c++) {
                        acc += (long) in[b * nInput + c] * w[o * nInput + c];
                    }
                    int q = Oracle.mbqm((int) acc, m, shift, r) + zp;
                    exp8[b * nOutput + o] = (byte) clamp(q + exp8[b * nOutput + o], -128, 127);
                    exp16[b * nOutput + o] = (short) clamp(q + exp16[b * nOutput + o], -32768, 32767);
                }
            }
            String ctx = "seed " + seed + " case " + i + " (" + nBatch + "x" + nOutput + "x" + nInput + ", M " + m
                    + ", shift " + shift + ", zp " + zp + ", " + r + ")";
            PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(in, bias, w, m, shift, nBatch, nInput, nOutput, zp,
                    out8, r);
            assertArrayEquals(exp8, out8, ctx + " int8");
            PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(in, bias, w, m, shift, nBatch, nInput, nOutput, zp,
                    out16, r);
            assertArrayEquals(exp16, out16, ctx + " int16");
        }
    }

    @Test
    void randomMatrixBatchVectorMultiplyMatchesOracle() {
        long seed = 0x3B7C11L;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 3_000; i++) {
            int nBatch = rnd.nextInt(1, 4);
            int nInput = rnd.nextInt(0, 50);
            int nCell = rnd.nextInt(1, 9);
            byte[] in = new byte[nBatch * nInput];
            byte[] w = new byte[nCell * nInput];
            short[] hidden = new short[nBatch * nInput];
            for (int j = 0; j < in.length; j++) {
                in[j] = int8(rnd);
                hidden[j] = rnd.nextInt(8) == 0 ? Short.MIN_VALUE : (short) rnd.nextInt(-32768, 32768);
            }
            for (int j = 0; j < w.length; j++) {
                w[j] = int8(rnd);
            }
            int inZp = rnd.nextInt(-128, 128);
            byte outZp = (byte) rnd.nextInt(-128, 128);
            int m = multiplier(rnd);
            int shift = rnd.nextInt(-20, 1);
            Rounding r = rnd.nextBoolean() ? D : S;
            byte[] expected = new byte[nBatch * nCell];
            for (int b = 0; b < nBatch; b++) {
                for (int o = 0; o < nCell; o++) {
                    long acc = 0;
                    for (int c = 0; c < nInput; c++) {
                        acc += (long) (in[b * nInput + c] - inZp) * w[o * nInput + c];
                    }
                    long y = (long) Oracle.mbqm((int) acc, m, shift, r) + outZp;
                    expected[b * nCell + o] = (byte) clamp(y, -128, 127);
                }
            }
            String ctx = "seed " + seed + " case " + i + " (" + nBatch + "x" + nCell + "x" + nInput + ", M " + m
                    + ", shift " + shift + ", " + r + ")";
            byte[] out = new byte[nBatch * nCell];
            Arrays.fill(out, (byte) 77);
            PortableTensorUtils.matrixBatchVectorMultiply(in, inZp, w, m, shift, nBatch, nInput, nCell, out, outZp, r);
            assertArrayEquals(expected, out, ctx + " int8 input");

            // int16 hidden form: int64 accumulator, int64 MBQM
            int[] bias = new int[nCell];
            for (int o = 0; o < nCell; o++) {
                bias[o] = rnd.nextInt(10) == 0 ? rnd.nextInt() : rnd.nextInt(-1000000, 1000000);
            }
            int m64 = rnd.nextInt(4) == 0 ? rnd.nextInt(0, Integer.MAX_VALUE) : multiplier(rnd);
            int shift64 = rnd.nextInt(-31, 8);
            int zp64 = rnd.nextInt(-300, 300);
            for (int b = 0; b < nBatch; b++) {
                for (int o = 0; o < nCell; o++) {
                    long acc = bias[o];
                    for (int c = 0; c < nInput; c++) {
                        acc += (long) hidden[b * nInput + c] * w[o * nInput + c];
                    }
                    expected[b * nCell + o] = (byte) clamp((long) Oracle.mbqm64(acc, m64, shift64) + zp64, -128, 127);
                }
            }
            Arrays.fill(out, (byte) 77);
            PortableTensorUtils.matrixBatchVectorMultiply(hidden, w, m64, shift64, bias, nBatch, nInput, nCell, zp64,
                    out);
            assertArrayEquals(expected, out, "seed " + seed + " case " + i + " int16 hidden (M " + m64 + ", shift "
                    + shift64 + ", zp " + zp64 + ")");
        }
    }
}
