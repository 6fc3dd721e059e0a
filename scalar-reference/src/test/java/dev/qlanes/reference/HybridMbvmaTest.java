package dev.qlanes.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Float and hybrid MatrixBatchVectorMultiplyAccumulate (docs/semantics.md §3.1, §3.2, §3.4, §6.2, §6.7, §6.10,
 * §6.12, §6.13): hand-computed results, float operation order, int32 wrap, float(dot) rounding above 2^24, cached vs
 * computed row sums, and a random comparison with a naive oracle.
 */
class HybridMbvmaTest {

    private static void assertBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (!Oracle.sameFloat(expected[i], actual[i])) {
                fail(what + ": index " + i + " expected " + Oracle.bits(expected[i]) + " but was "
                        + Oracle.bits(actual[i]) + "\nexpected " + Arrays.toString(expected) + "\nactual   "
                        + Arrays.toString(actual));
            }
        }
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    // ------------------------------------------------------------------ §3.1 float

    @Test
    void floatProductIsSequentialAndAccumulates() {
        float e = 1e8f;
        float[] matrix = {e, 1f, -e, 1f, /* r1 */ 0.5f, 0.25f, 0.125f, 3f};
        float[] vector = {1f, 1f, 1f, 1f, /* b1 */ 2f, 2f, 2f, 2f};
        float[] result = {0.5f, 2f, 0f, -1f, 42f};
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(matrix, 2, 4, vector, 2, result);
        // b0r0: ((1e8 + 1) - 1e8) + 1 = 1 (the +1 is lost next to 1e8); 0.5 + 1 = 1.5
        // b0r1: 3.875 + 2; b1r0: ((2e8 + 2) - 2e8) + 2 = 2; b1r1: 7.75 - 1
        assertBits(new float[] {1.5f, 5.875f, 2f, 6.75f, 42f}, result, "float MBVMA");
    }

    @Test
    void floatProductsAreRoundedBeforeTheyAreAdded() {
        // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24 rounds (tie, to even) to 1 + 2^-11; minus 1 leaves exactly 2^-11.
        // A fused multiply-add would keep the 2^-24.
        float a = 1f + 0x1p-12f;
        float[] result = {0f};
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(new float[] {a, -1f}, 1, 2, new float[] {a, 1f}, 1,
                result);
        assertBits(new float[] {0x1p-11f}, result, "no FMA");
    }

    // ------------------------------------------------------------------ §3.2 / §3.4 golden example

    // matrix rows {1,2,3,4} (sum 10) and {-128,127,0,-1} (sum -2); vectors {10,-20,30,-40} and {-128,-128,127,5}
    // raw dots: b0r0 -100, b0r1 -3780, b1r0 17, b1r1 123
    private static final byte[] M = bytes(1, 2, 3, 4, -128, 127, 0, -1);
    private static final byte[] V = bytes(10, -20, 30, -40, -128, -128, 127, 5);
    private static final float[] SF = {0.5f, 0.25f};
    private static final float[] PCS = {2f, 0.125f};
    private static final int[] OFFSET = {3, -7};

    private static float[] init() {
        return new float[] {1f, 2f, 3f, 4f, 99f};
    }

    @Test
    void hybridPlainAccumulatesIntoResult() {
        float[] result = init();
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(M, 2, 4, V, SF, 2, result);
        // -100*0.5 + 1, -3780*0.5 + 2, 17*0.25 + 3, 123*0.25 + 4
        assertBits(new float[] {-49f, -1888f, 7.25f, 34.75f, 99f}, result, "§3.2");
        result = init();
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(M, 2, 4, V, SF, 2, result, null, null, null);
        assertBits(new float[] {-49f, -1888f, 7.25f, 34.75f, 99f}, result, "§3.4 with all nulls");
    }

    @Test
    void hybridWithOffsetsComputesRowSums() {
        // dots minus rowSum * offset: -100 - 30 = -130, -3780 + 6 = -3774, 17 + 70 = 87, 123 - 14 = 109
        float[] result = init();
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(M, 2, 4, V, SF, 2, result, null, OFFSET, null);
        assertBits(new float[] {-64f, -1885f, 24.75f, 31.25f, 99f}, result, "offsets, computed row sums");
        // correct cached row sums give the same result, and are only read
        int[] rowSums = {10, -2, 555};
        result = init();
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(M, 2, 4, V, SF, 2, result, null, OFFSET, rowSums);
        assertBits(new float[] {-64f, -1885f, 24.75f, 31.25f, 99f}, result, "offsets, cached row sums");
        assertArrayEquals(new int[] {10, -2, 555}, rowSums, "row sums are used as given");
    }

    @Test
    void staleRowSumsAreUsedAsGiven() {
        float[] result = init();
        int[] stale = {100, -2};
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(M, 2, 4, V, SF, 2, result, null, OFFSET, stale);
        // b0r0: -100 - 100*3 = -400 -> -199; b1r0: 17 - 100*(-7) = 717 -> 182.25
        assertBits(new float[] {-199f, -1885f, 182.25f, 31.25f, 99f}, result, "stale row sums");
        result = init();
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(M, 2, 4, V, SF, 2, result, null, OFFSET,
                new int[] {0, 0});
        assertBits(new float[] {-49f, -1888f, 7.25f, 34.75f, 99f}, result, "zero row sums cancel the offsets");
        // without offsets the row sums are irrelevant
        result = init();
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(M, 2, 4, V, SF, 2, result, null, null,
                new int[] {12345, -999});
        assertBits(new float[] {-49f, -1888f, 7.25f, 34.75f, 99f}, result, "row sums without offsets");
    }

    @Test
    void hybridWithOffsetsAndPerChannelScales() {
        // scales fl32(sf * pcs): b0 {1, 0.0625}, b1 {0.5, 0.03125}
        float[] result = init();
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(M, 2, 4, V, SF, 2, result, PCS, OFFSET, null);
        assertBits(new float[] {-129f, -233.875f, 46.5f, 7.40625f, 99f}, result, "offsets + per-channel");
    }

    @Test
    void perChannelScaleIsHonouredWithoutOffsets() {
        // the deliberate x86 choice (§3.4 variants, §6.12): the portable build would give the plain result
        float[] result = init();
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(M, 2, 4, V, SF, 2, result, PCS, null, null);
        assertBits(new float[] {-99f, -234.25f, 11.5f, 7.84375f, 99f}, result, "per-channel, null offsets");
    }

    @Test
    void scaleIsSfTimesPcsRoundedFirst() {
        // §6.2: S = fl32(0.1f * 0.3f), then fl32(13 * S) = 0.39000002f (0x3EC7AE15);
        // left to right fl32(fl32(13 * 0.1f) * 0.3f) would give 0.39000005f
        float[] result = {0f};
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(bytes(13), 1, 1, bytes(1), new float[] {0.1f}, 1,
                result, new float[] {0.3f}, new int[] {0}, null);
        assertEquals(0x3EC7AE15, Float.floatToRawIntBits(result[0]));
        result[0] = 0f;
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(bytes(13), 1, 1, bytes(1), new float[] {0.1f}, 1,
                result, new float[] {0.3f}, null, null);
        assertEquals(0x3EC7AE15, Float.floatToRawIntBits(result[0]));
    }

    @Test
    void resultAdditionRoundsToFloat() {
        float[] result = {16777216f, 1f};
        // b0r0: 2^24 + 1 -> 2^24 (ties to even); r1: 1 + 1 = 2
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(bytes(1, 1), 2, 1, bytes(1), new float[] {1f}, 1,
                result);
        assertBits(new float[] {16777216f, 2f}, result, "fl32(result + product)");
    }

    @Test
    void floatOfDotRoundsAbove2To24() {
        // 1040 * 127 * 127 + 55 * 55 + 4 * 8 = 16777217; (float) 16777217 = 16777216; * 1.5 = 25165824 exactly.
        // Converting after the multiply (16777217 * 1.5 = 25165825.5) would give 25165826.
        int cols = 1042;
        byte[] m = new byte[cols];
        byte[] v = new byte[cols];
        Arrays.fill(m, (byte) 127);
        Arrays.fill(v, (byte) 127);
        m[1040] = 55;
        v[1040] = 55;
        m[1041] = 4;
        v[1041] = 8;
        assertEquals(16777217, PortableTensorUtils.dotProduct(m, v, cols));
        float[] result = {0f};
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(m, 1, cols, v, new float[] {1.5f}, 1, result);
        Oracle.assertRawBits(25165824f, result[0]);
        result[0] = 0f;
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(m, 1, cols, v, new float[] {1.5f}, 1, result, null,
                new int[] {0}, null);
        Oracle.assertRawBits(25165824f, result[0]);
    }

    @Test
    void dotProductAndOffsetTermWrapInInt32() {
        // 131072 * (-128)(-128) = 2^31 wraps to -2^31
        int cols = 131072;
        byte[] m = new byte[cols];
        Arrays.fill(m, (byte) -128);
        float[] result = {0f};
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(m, 1, cols, m, new float[] {1f}, 1, result);
        Oracle.assertRawBits(-2147483648f, result[0]);
        // row sum -2^24 with offset 1: -2^31 + 2^24 = -2130706432 (exact in float)
        result[0] = 0f;
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(m, 1, cols, m, new float[] {1f}, 1, result, null,
                new int[] {1}, null);
        Oracle.assertRawBits(-2130706432f, result[0]);
        // offset 256: rowSum * offset = -2^32 wraps to 0, so dot stays -2^31 (exact arithmetic would give +2^31)
        result[0] = 0f;
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(m, 1, cols, m, new float[] {1f}, 1, result, null,
                new int[] {256}, null);
        Oracle.assertRawBits(-2147483648f, result[0]);
        // cached row sum 2^30 with offset 4: 2^32 wraps to 0
        result[0] = 0f;
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(bytes(1), 1, 1, bytes(1), new float[] {1f}, 1,
                result, null, new int[] {4}, new int[] {1 << 30});
        Oracle.assertRawBits(1f, result[0]);
    }

    @Test
    void zeroAndInfiniteScalingFactors() {
        // zero scale: the row contributes exactly +-0, which is visible on a -0.0 result
        float[] result = {-0f, -0f};
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(bytes(-3, 3), 2, 1, bytes(5), new float[] {0f}, 1,
                result);
        // r0: -15 * 0 = -0; -0 + -0 = -0.   r1: 15 * 0 = +0; -0 + +0 = +0
        assertEquals(0x80000000, Float.floatToRawIntBits(result[0]));
        assertEquals(0x00000000, Float.floatToRawIntBits(result[1]));
        // infinite scale: 0 * Inf = NaN, negative dot -> -Inf
        result = new float[] {0f, 0f};
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(bytes(0, -3), 2, 1, bytes(5),
                new float[] {Float.POSITIVE_INFINITY}, 1, result);
        assertTrue(Float.isNaN(result[0]));
        Oracle.assertRawBits(Float.NEGATIVE_INFINITY, result[1]);
    }

    @Test
    void emptyShapesDoNothing() {
        float[] result = {7f, 8f};
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(new byte[0], 0, 0, new byte[0], new float[0], 0,
                result);
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(new byte[0], 2, 0, new byte[0], new float[] {1f}, 1,
                result, new float[] {1f, 1f}, new int[] {5}, null);
        // zero columns: dot 0, so result += 0 * scale = +0: values unchanged
        assertBits(new float[] {7f, 8f}, result, "empty");
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(new float[0], 2, 0, new float[0], 1, result);
        assertBits(new float[] {7f, 8f}, result, "empty float");
    }

    // ------------------------------------------------------------------ random against the oracle

    static byte randomInt8(SplittableRandom rnd) {
        int k = rnd.nextInt(10);
        if (k == 0) {
            return -128;
        }
        if (k == 1) {
            return 127;
        }
        return (byte) rnd.nextInt(-128, 128);
    }

    @Test
    void randomHybridMatchesOracle() {
        long seed = 0x4B1DL;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 3_000; i++) {
            int rows = rnd.nextInt(1, 10);
            int cols = rnd.nextInt(0, 70);
            int nBatch = rnd.nextInt(1, 5);
            byte[] m = new byte[rows * cols];
            byte[] v = new byte[nBatch * cols];
            for (int j = 0; j < m.length; j++) {
                m[j] = randomInt8(rnd);
            }
            for (int j = 0; j < v.length; j++) {
                v[j] = randomInt8(rnd);
            }
            float[] sf = new float[nBatch];
            for (int b = 0; b < nBatch; b++) {
                sf[b] = (float) rnd.nextDouble(1e-4, 10);
            }
            float[] pcs = null;
            if (rnd.nextBoolean()) {
                pcs = new float[rows];
                for (int r = 0; r < rows; r++) {
                    pcs[r] = (float) rnd.nextDouble(1e-3, 3);
                }
            }
            int[] offset = null;
            if (rnd.nextBoolean()) {
                offset = new int[nBatch];
                for (int b = 0; b < nBatch; b++) {
                    offset[b] = rnd.nextInt(-128, 128);
                }
            }
            int[] rowSums = null;
            if (rnd.nextInt(3) == 0) {
                rowSums = new int[rows];
                for (int r = 0; r < rows; r++) {
                    rowSums[r] = rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(-20000, 20000); // often stale
                }
            }
            float[] result = new float[nBatch * rows + 1];
            for (int j = 0; j < result.length; j++) {
                result[j] = (float) rnd.nextGaussian() * 100;
            }
            float[] expected = result.clone();
            Oracle.hybrid(m, rows, cols, v, sf, nBatch, expected, pcs, offset, rowSums);
            float[] actual = result.clone();
            PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(m, rows, cols, v, sf, nBatch, actual, pcs, offset,
                    rowSums);
            assertBits(expected, actual, "seed " + seed + " case " + i + " (" + nBatch + "x" + rows + "x" + cols
                    + ", pcs " + (pcs != null) + ", offsets " + (offset != null) + ", rowSums " + (rowSums != null)
                    + ")");
            if (pcs == null && offset == null) {
                float[] plain = result.clone();
                PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(m, rows, cols, v, sf, nBatch, plain);
                assertBits(expected, plain, "seed " + seed + " case " + i + " plain overload");
            }
        }
    }

    @Test
    void randomFloatMatchesSequentialOracle() {
        long seed = 0xF1047L;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 2_000; i++) {
            int rows = rnd.nextInt(1, 8);
            int cols = rnd.nextInt(0, 40);
            int nBatch = rnd.nextInt(1, 4);
            float[] m = new float[rows * cols];
            float[] v = new float[nBatch * cols];
            for (int j = 0; j < m.length; j++) {
                m[j] = (float) rnd.nextGaussian() * (float) Math.pow(10, rnd.nextInt(-4, 5));
            }
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) rnd.nextGaussian();
            }
            float[] result = new float[nBatch * rows];
            for (int j = 0; j < result.length; j++) {
                result[j] = (float) rnd.nextGaussian();
            }
            float[] expected = result.clone();
            for (int b = 0; b < nBatch; b++) {
                for (int r = 0; r < rows; r++) {
                    float dot = 0f;
                    for (int c = 0; c < cols; c++) {
                        float p = m[r * cols + c] * v[b * cols + c];
                        dot = dot + p;
                    }
                    expected[b * rows + r] = expected[b * rows + r] + dot;
                }
            }
            PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(m, rows, cols, v, nBatch, result);
            assertBits(expected, result, "seed " + seed + " case " + i);
        }
    }
}
