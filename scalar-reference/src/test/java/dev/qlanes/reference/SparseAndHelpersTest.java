package dev.qlanes.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sparse products (§3.8), dotProduct, and the row-sum / scalar helpers (§3.9): hand-computed results,
 * overwrite vs accumulate, unsigned ledgers, int32 wrap, and random sparse shapes against a naive oracle.
 */
class SparseAndHelpersTest {
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

    private static byte[] fill(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static void assertBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (!Oracle.sameFloat(expected[i], actual[i])) {
                fail(what + ": index " + i + " expected " + Oracle.bits(expected[i]) + " but was "
                        + Oracle.bits(actual[i]));
            }
        }
        assertEquals(expected.length, actual.length, what);
    }

    // Two rows over 32 columns (two 16-wide blocks): row 0 stores block 1 (all 1), row 1 stores blocks 0 (all -128)
    // and 1 (all 5). Vectors: batch 0 = 16 x 2 then 16 x -3; batch 1 = 16 x -128 then 16 x 127.
    private static final byte[] SPARSE_MATRIX = concat(fill(16, 1), fill(16, -128), fill(16, 5));
    private static final int[] SEGMENTS = {0, 1, 3};
    private static final int[] INDICES = {1, 0, 1};
    private static final byte[] SPARSE_VECTORS = concat(fill(16, 2), fill(16, -3), fill(16, -128), fill(16, 127));

    // ------------------------------------------------------------------ §3.8 full-integer 1x16

    @Test
    void sparse1x16OverwritesWithPerTensorMultiplier() {
        // input offset 1: dot = sum m * (v + 1): b0r0 16*(-2) = -32, b0r1 16*(-128*3) + 16*5*(-2) = -6304,
        // b1r0 16*128 = 2048, b1r1 16*(-128)(-127) + 16*5*128 = 270336; bias {8, -4}:
        // -24, -6308, 2056, 270332; x 1/16 (M = 2^30, shift -3):
        // double: -1.5 -> -2, -394.25 -> -394, 128.5 -> 129, 16895.75 -> 16896
        // single: -1.5 -> -1 (ties up), -394, 129, 16896; then + (-1) and clamp
        byte[] out = bytes(55, 55, 55, 55, 55);
        PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(SPARSE_MATRIX, SEGMENTS, INDICES, 2, 32,
                SPARSE_VECTORS, new int[] {8, -4}, 2, 1, P30, -3, null, null, -1, -128, 127, out);
        assertArrayEquals(bytes(-3, -128, 127, 127, 55), out, "double rounding (default)");

        out = bytes(55, 55, 55, 55, 55);
        PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(SPARSE_MATRIX, SEGMENTS, INDICES, 2, 32,
                SPARSE_VECTORS, new int[] {8, -4}, 2, 1, P30, -3, null, null, -1, -100, 100, out, D);
        assertArrayEquals(bytes(-3, -100, 100, 100, 55), out, "double rounding, clamp [-100, 100]");

        out = bytes(55, 55, 55, 55, 55);
        PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(SPARSE_MATRIX, SEGMENTS, INDICES, 2, 32,
                SPARSE_VECTORS, new int[] {8, -4}, 2, 1, P30, -3, null, null, -1, -100, 100, out, S);
        assertArrayEquals(bytes(-2, -100, 100, 100, 55), out, "single rounding, clamp [-100, 100]");

        // RELU-style clamp: act_min = output offset
        out = bytes(55, 55, 55, 55, 55);
        PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(SPARSE_MATRIX, SEGMENTS, INDICES, 2, 32,
                SPARSE_VECTORS, new int[] {8, -4}, 2, 1, P30, -3, null, null, -1, -1, 127, out);
        assertArrayEquals(bytes(-1, -1, 127, 127, 55), out, "RELU clamp");
    }

    @Test
    void sparse1x16WithoutBias() {
        // -32, -6304, 2048, 270336 divide exactly: -2, -394, 128, 16896; - 1 and clamp
        for (Rounding r : Rounding.values()) {
            byte[] out = bytes(55, 55, 55, 55);
            PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(SPARSE_MATRIX, SEGMENTS, INDICES, 2, 32,
                    SPARSE_VECTORS, null, 2, 1, P30, -3, null, null, -1, -128, 127, out, r);
            assertArrayEquals(bytes(-3, -128, 127, 127), out, r.name());
        }
    }

    @Test
    void sparse1x16PerChannel() {
        // row 0 as above (2^30, -3); row 1 (2^30, -10) = x 2^-11: -6308 -> -3.08 -> -3, 270332 -> 131.998 -> 132
        // the per-tensor multiplier/shift arguments are ignored
        byte[] out = bytes(55, 55, 55, 55);
        PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(SPARSE_MATRIX, SEGMENTS, INDICES, 2, 32,
                SPARSE_VECTORS, new int[] {8, -4}, 2, 1, 0, 0, new int[] {P30, P30}, new int[] {-3, -10}, -1, -128,
                127, out, D);
        assertArrayEquals(bytes(-3, -4, 127, 127), out, "double rounding");
        out = bytes(55, 55, 55, 55);
        PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(SPARSE_MATRIX, SEGMENTS, INDICES, 2, 32,
                SPARSE_VECTORS, new int[] {8, -4}, 2, 1, 0, 0, new int[] {P30, P30}, new int[] {-3, -10}, -1, -128,
                127, out, S);
        assertArrayEquals(bytes(-2, -4, 127, 127), out, "single rounding");
    }

    @Test
    void sparse1x16RowWithoutBlocksGivesRequantizedBias() {
        // MBQM(-24, 2^30, -3) = -1.5: -2 double, -1 single
        byte[] out = {55};
        PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(new byte[0], new int[] {0, 0}, new int[0], 1,
                16, fill(16, 7), new int[] {-24}, 1, 3, P30, -3, null, null, 0, -128, 127, out, D);
        assertArrayEquals(bytes(-2), out);
        PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(new byte[0], new int[] {0, 0}, new int[0], 1,
                16, fill(16, 7), new int[] {-24}, 1, 3, P30, -3, null, null, 0, -128, 127, out, S);
        assertArrayEquals(bytes(-1), out);
    }

    // ------------------------------------------------------------------ §3.8 hybrid ledger

    // ledger: row 0 = [1 block: 1], row 1 = [2 blocks: 0, 1]
    private static final byte[] LEDGER = bytes(1, 1, 2, 0, 1);

    @Test
    void sparseLedgerAccumulates() {
        // dots: b0r0 16*(-3) = -48, b0r1 16*(-256) + 16*(-15) = -4336, b1r0 16*127 = 2032, b1r1 262144 + 10160
        float[] result = {1f, 2f, 3f, 4f, 9f};
        PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(SPARSE_MATRIX, LEDGER, 2, 32, SPARSE_VECTORS,
                new float[] {0.5f, 0.25f}, 2, result, null);
        assertBits(new float[] {-23f, -2166f, 511f, 68080f, 9f}, result, "ledger, no per-channel");
        result = new float[] {1f, 2f, 3f, 4f, 9f};
        PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(SPARSE_MATRIX, LEDGER, 2, 32, SPARSE_VECTORS,
                new float[] {0.5f, 0.25f}, 2, result, new float[] {2f, 0.125f});
        assertBits(new float[] {-47f, -269f, 1019f, 8513.5f, 9f}, result, "ledger, per-channel");
    }

    @Test
    void sparseLedgerScaleIsRoundedBeforeTheProduct() {
        // S = fl32(0.1f * 0.3f); fl32(13 * S) = 0x3EC7AE15 (left to right would give 0.39000005f)
        byte[] m = concat(bytes(13), fill(15, 0));
        byte[] v = concat(bytes(1), fill(15, 0));
        float[] result = {0f};
        PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(m, bytes(1, 0), 1, 16, v, new float[] {0.1f}, 1,
                result, new float[] {0.3f});
        assertEquals(0x3EC7AE15, Float.floatToRawIntBits(result[0]));
    }

    @Test
    void sparseLedgerCountsAndIndicesAreUnsigned() {
        // 130 blocks (2080 columns): row 0 stores all 130 blocks (count byte 130 = (byte) -126),
        // row 1 stores only block 129 (index byte (byte) -127)
        int blocks = 130;
        byte[] ledger = new byte[1 + blocks + 2];
        ledger[0] = (byte) blocks;
        for (int i = 0; i < blocks; i++) {
            ledger[1 + i] = (byte) i;
        }
        ledger[1 + blocks] = 1;
        ledger[2 + blocks] = (byte) 129;
        byte[] m = concat(fill(16 * blocks, 1), fill(16, 3));
        byte[] v = concat(fill(16 * 129, 1), fill(16, 2));
        float[] result = {0f, 0f};
        PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(m, ledger, 2, 16 * blocks, v, new float[] {1f}, 1,
                result, null);
        // row 0: 2064 * 1 + 16 * 2 = 2096; row 1: 16 * 3 * 2 = 96
        assertBits(new float[] {2096f, 96f}, result, "unsigned ledger");
    }

    // ------------------------------------------------------------------ dotProduct and §3.9 helpers

    @Test
    void dotProductIsExactAndWraps() {
        assertEquals(32, PortableTensorUtils.dotProduct(bytes(1, 2, 3, 99), bytes(4, 5, 6), 3));
        assertEquals(16384, PortableTensorUtils.dotProduct(bytes(-128), bytes(-128), 1));
        assertEquals(-16256, PortableTensorUtils.dotProduct(bytes(-128), bytes(127), 1));
        assertEquals(0, PortableTensorUtils.dotProduct(new byte[0], new byte[0], 0));
        // 131072 * 16384 + 1 = 2^31 + 1 wraps to -2147483647
        int n = 131073;
        byte[] a = fill(n, -128);
        byte[] b = fill(n, -128);
        a[n - 1] = 1;
        b[n - 1] = 1;
        assertEquals(-2147483647, PortableTensorUtils.dotProduct(a, b, n));
    }

    @Test
    void reductionSumVectorAssigns() {
        int[] out = {100, 100, 100, 42};
        PortableTensorUtils.reductionSumVector(bytes(1, 2, 3, -128, -128, -128, 127, 0, 5), out, 3, 3);
        assertArrayEquals(new int[] {6, -384, 132, 42}, out);
        PortableTensorUtils.reductionSumVector(new byte[0], out, 2, 0);
        assertArrayEquals(new int[] {0, 0, 132, 42}, out, "empty sums assign 0");
    }

    @Test
    void matrixScalarMultiplyAccumulateWraps() {
        int[] out = {5, -5, 9};
        // row sums 254 and -127, scalar 2^24: 254 * 2^24 = 4261412864 wraps to -33554432
        PortableTensorUtils.matrixScalarMultiplyAccumulate(bytes(127, 127, -128, 1), 1 << 24, 2, 2, out);
        // row 1: -127 * 2^24 - 5 = -2130706437
        assertArrayEquals(new int[] {-33554427, -2130706437, 9}, out);
        out = new int[] {1, 1};
        PortableTensorUtils.matrixScalarMultiplyAccumulate(bytes(1, 2, 3, -4, -5, -6), -3, 2, 3, out);
        assertArrayEquals(new int[] {1 - 18, 1 + 45}, out);
    }

    @Test
    void vectorScalarMultiplyAssignsRoundedProducts() {
        float[] out = {9f, 9f, 9f, 9f, 9f};
        PortableTensorUtils.vectorScalarMultiply(bytes(3, -128, 127, 0), 4, 1f / 3f, out);
        // 0.33333334f * 3 = 1 + 2^-25 -> 1.0f; * -128 exact; * 127 -> 42.333336f (0x42295556)
        assertEquals(Float.floatToRawIntBits(1.0f), Float.floatToRawIntBits(out[0]));
        assertEquals(0xC22AAAAB, Float.floatToRawIntBits(out[1]));
        assertEquals(0x42295556, Float.floatToRawIntBits(out[2]));
        assertEquals(0, Float.floatToRawIntBits(out[3]));
        Oracle.assertRawBits(9f, out[4]);
        PortableTensorUtils.vectorScalarMultiply(bytes(0, 2), 2, -0.5f, out);
        assertEquals(0x80000000, Float.floatToRawIntBits(out[0]), "-0.5 * 0 = -0.0");
        Oracle.assertRawBits(-1f, out[1]);
        PortableTensorUtils.vectorScalarMultiply(bytes(1), 1, Float.NaN, out);
        assertTrue(Float.isNaN(out[0]));
    }

    // ------------------------------------------------------------------ random sparse shapes

    @Test
    void randomSparseMatchesOracle() {
        long seed = 0x5BA45EL;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 2_000; i++) {
            int rows = rnd.nextInt(1, 7);
            int blocks = rnd.nextInt(1, 5);
            int cols = 16 * blocks;
            int nBatch = rnd.nextInt(1, 4);
            List<Integer> segs = new ArrayList<>();
            List<Integer> idx = new ArrayList<>();
            segs.add(0);
            for (int r = 0; r < rows; r++) {
                for (int blk = 0; blk < blocks; blk++) {
                    if (rnd.nextInt(3) != 0) {
                        idx.add(blk);
                    }
                }
                segs.add(idx.size());
            }
            int[] segments = segs.stream().mapToInt(Integer::intValue).toArray();
            int[] indices = idx.stream().mapToInt(Integer::intValue).toArray();
            byte[] ledger = new byte[rows + indices.length];
            int lp = 0;
            for (int r = 0; r < rows; r++) {
                ledger[lp++] = (byte) (segments[r + 1] - segments[r]);
                for (int k = segments[r]; k < segments[r + 1]; k++) {
                    ledger[lp++] = (byte) indices[k];
                }
            }
            byte[] m = new byte[16 * indices.length];
            for (int j = 0; j < m.length; j++) {
                m[j] = HybridMbvmaTest.randomInt8(rnd);
            }
            byte[] v = new byte[nBatch * cols];
            for (int j = 0; j < v.length; j++) {
                v[j] = HybridMbvmaTest.randomInt8(rnd);
            }
            int[] bias = rnd.nextBoolean() ? null : rnd.ints(rows, -50000, 50000).toArray();
            int inOff = rnd.nextInt(-127, 129);
            int mult = P30 + rnd.nextInt(P30);
            int shift = rnd.nextInt(-16, 1);
            int[] pcm = null;
            int[] pcs = null;
            if (rnd.nextBoolean()) {
                pcm = new int[rows];
                pcs = new int[rows];
                for (int r = 0; r < rows; r++) {
                    pcm[r] = P30 + rnd.nextInt(P30);
                    pcs[r] = rnd.nextInt(-16, 1);
                }
            }
            int outOff = rnd.nextInt(-128, 128);
            int actMin = rnd.nextInt(-128, 0);
            int actMax = rnd.nextInt(0, 128);
            Rounding rounding = rnd.nextBoolean() ? D : S;
            float[] sf = new float[nBatch];
            for (int b = 0; b < nBatch; b++) {
                sf[b] = (float) rnd.nextDouble(1e-3, 2);
            }
            float[] fpcs = rnd.nextBoolean() ? null : new float[rows];
            if (fpcs != null) {
                for (int r = 0; r < rows; r++) {
                    fpcs[r] = (float) rnd.nextDouble(0.01, 3);
                }
            }
            byte[] expected = new byte[nBatch * rows];
            float[] fres = new float[nBatch * rows];
            for (int j = 0; j < fres.length; j++) {
                fres[j] = (float) rnd.nextGaussian();
            }
            float[] fexp = fres.clone();
            for (int b = 0; b < nBatch; b++) {
                int mp = 0;
                for (int r = 0; r < rows; r++) {
                    long dot = 0;
                    long plain = 0;
                    for (int k = segments[r]; k < segments[r + 1]; k++) {
                        for (int c = 0; c < 16; c++, mp++) {
                            int vv = v[b * cols + indices[k] * 16 + c];
                            dot += (long) m[mp] * (vv + inOff);
                            plain += (long) m[mp] * vv;
                        }
                    }
                    int acc = (int) (dot + (bias == null ? 0 : bias[r]));
                    int y = Oracle.mbqm(acc, pcm == null ? mult : pcm[r], pcs == null ? shift : pcs[r], rounding)
                            + outOff;
                    expected[b * rows + r] = (byte) Math.max(actMin, Math.min(actMax, y));
                    float scale = fpcs == null ? sf[b] : sf[b] * fpcs[r];
                    fexp[b * rows + r] = fexp[b * rows + r] + (float) (int) plain * scale;
                }
            }
            String ctx = "seed " + seed + " case " + i + " (" + nBatch + "x" + rows + "x" + cols + ", segments "
                    + Arrays.toString(segments) + ", indices " + Arrays.toString(indices) + ", " + rounding + ")";
            byte[] out = fill(nBatch * rows, 99);
            PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(m, segments, indices, rows, cols, v, bias,
                    nBatch, inOff, mult, shift, pcm, pcs, outOff, actMin, actMax, out, rounding);
            assertArrayEquals(expected, out, ctx + " 1x16");
            PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(m, ledger, rows, cols, v, sf, nBatch, fres,
                    fpcs);
            assertBits(fexp, fres, ctx + " ledger");
        }
    }
}
