package dev.qlanes.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.qlanes.reference.FixedPoint;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link LaneFoldLayer} against scalar sums and the scalar {@link FixedPoint} chain, bit for bit: the dot products for
 * every row count it serves and column counts around its blocks (the last block's overlap), activation offsets and
 * the extreme operand -128; the output stage on accumulators driven (through the bias) to edge values and ties, with
 * every shift, multipliers at both ends of the Q31 range and zero, activation clamps and output zero points. Canaries
 * before and after each output must survive. Runs in every vector test fork: the machine's width, 128 bits, C2
 * only and the interpreter.
 */
class LaneFoldLayerTest {
    private static final int BLOCK = LaneFoldLayer.BLOCK;
    /** The int lanes at this fork's width, for failure messages. */
    private static final int LANES = VectorShapes.INTS.length();
    /** What outputs and dot products outside the rows' range must still hold afterwards. */
    private static final int CANARY = 0x5A;
    /** Random layers for the output stage: each draws its rows, columns, parameters and edge accumulators. */
    private static final int ROUNDS = Fixtures.SMALL ? 40 : 400;

    /** Column counts: one block, its neighbours, two and more blocks with every kind of overlap, the longest rows. */
    private static final int[] COL_COUNTS = {BLOCK, BLOCK + 1, 2 * BLOCK - 1, 2 * BLOCK, 2 * BLOCK + 1,
        3 * BLOCK + BLOCK / 2, 5 * BLOCK - 3, LaneFoldLayer.MAX_COLS - 1, LaneFoldLayer.MAX_COLS};

    @Test
    void dotProductsEqualScalarSums() {
        SplittableRandom random = new SplittableRandom(Fixtures.SEED);
        for (int rows = 1; rows <= LaneFoldLayer.MAX_ROWS; rows++) {
            for (int cols : COL_COUNTS) {
                for (boolean extreme : new boolean[] {false, true}) {
                    byte[] w = bytes(random, rows * cols, extreme);
                    int xOffset = 1 + random.nextInt(7);
                    byte[] x = bytes(random, xOffset + cols, extreme);
                    LaneFoldLayer kernel = kernel(w, rows, cols, new int[rows], new int[] {1 << 30}, new int[] {0},
                            false, 0, -128, 127);
                    int[] dots = new int[rows + 3];
                    Arrays.fill(dots, CANARY);
                    kernel.dots(x, xOffset, dots);
                    for (int r = 0; r < rows; r++) {
                        int expected = 0;
                        for (int c = 0; c < cols; c++) {
                            expected += w[r * cols + c] * x[xOffset + c];
                        }
                        assertEquals(expected, dots[r], where(rows, cols) + ", extreme " + extreme + ", row " + r);
                    }
                    for (int r = rows; r < dots.length; r++) {
                        assertEquals(CANARY, dots[r], where(rows, cols) + ": wrote past the rows at " + r);
                    }
                }
            }
        }
    }

    @Test
    void outputsEqualTheFixedPointChainOnEdgeAccumulators() {
        SplittableRandom random = new SplittableRandom(Fixtures.SEED ^ 0x1A4EL);
        int[] edges = RequantizerLaneTest.edges();
        int[] multiplierEnds = {0, 1 << 30, (1 << 30) + 1, Integer.MAX_VALUE, Integer.MAX_VALUE - 1};
        for (int round = 0; round < ROUNDS; round++) {
            int rows = 1 + round % LaneFoldLayer.MAX_ROWS;
            int cols = COL_COUNTS[random.nextInt(COL_COUNTS.length - 2)]; // short rows: many rounds
            byte[] w = bytes(random, rows * cols, false);
            byte[] x = bytes(random, cols, false);
            boolean perChannel = random.nextBoolean();
            int channels = perChannel ? rows : 1;
            int[] multipliers = new int[channels];
            int[] shifts = new int[channels];
            for (int c = 0; c < channels; c++) {
                multipliers[c] = random.nextInt(4) == 0 ? multiplierEnds[random.nextInt(multiplierEnds.length)]
                        : (1 << 30) + random.nextInt(1 << 30);
                shifts[c] = random.nextInt(4) == 0 ? random.nextInt(FixedPoint.MIN_SHIFT, FixedPoint.MAX_SHIFT + 1)
                        : random.nextInt(-12, 2);
            }
            int zeroPoint = random.nextInt(-128, 128);
            int min = random.nextBoolean() ? -128 : random.nextInt(-128, 0);
            int max = random.nextBoolean() ? 127 : random.nextInt(0, 128);
            int[] dots = new int[rows];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    dots[r] += w[r * cols + c] * x[c];
                }
            }
            int[] accumulators = new int[rows];
            int[] bias = new int[rows];
            for (int r = 0; r < rows; r++) {
                accumulators[r] = random.nextBoolean() ? edges[random.nextInt(edges.length)] : random.nextInt();
                bias[r] = accumulators[r] - dots[r]; // wrapping: the kernel's sum lands on the edge value
            }
            LaneFoldLayer kernel = kernel(w, rows, cols, bias, multipliers, shifts, perChannel, zeroPoint, min, max);
            int outOffset = 1 + random.nextInt(5);
            byte[] out = new byte[outOffset + rows + 9];
            Arrays.fill(out, (byte) CANARY);
            kernel.apply(x, 0, out, outOffset);
            for (int r = 0; r < rows; r++) {
                int c = perChannel ? r : 0;
                int y = FixedPoint.multiplyByQuantizedMultiplier(accumulators[r], multipliers[c], shifts[c]) + zeroPoint;
                int expected = Math.min(max, Math.max(min, y));
                assertEquals(expected, out[outOffset + r], where(rows, cols) + ", row " + r + ": acc "
                        + accumulators[r] + ", M " + multipliers[c] + ", shift " + shifts[c] + ", zp " + zeroPoint);
            }
            for (int i = 0; i < out.length; i++) {
                if (i < outOffset || i >= outOffset + rows) {
                    assertEquals(CANARY, out[i], where(rows, cols) + ": wrote outside the outputs at " + i);
                }
            }
        }
    }

    @Test
    void servesOnlyWhatFitsItsLanes() {
        int rows = LaneFoldLayer.MAX_ROWS;
        assertNotNull(kernel(new byte[rows * BLOCK], rows, BLOCK, new int[rows], new int[] {1 << 30}, new int[] {0},
                false, 0, -128, 127));
        assertNull(kernel(new byte[(rows + 1) * BLOCK], rows + 1, BLOCK, new int[rows + 1], new int[] {1 << 30},
                new int[] {0}, false, 0, -128, 127), "more rows than lanes");
        assertNull(kernel(new byte[rows * (BLOCK - 1)], rows, BLOCK - 1, new int[rows], new int[] {1 << 30},
                new int[] {0}, false, 0, -128, 127), "a row shorter than a block");
        int longest = LaneFoldLayer.MAX_COLS + 1;
        assertNull(kernel(new byte[rows * longest], rows, longest, new int[rows], new int[] {1 << 30}, new int[] {0},
                false, 0, -128, 127), "rows longer than the copy allows");
        assertNull(kernel(new byte[rows * BLOCK], rows, BLOCK, new int[rows], new int[] {Integer.MIN_VALUE},
                new int[] {0}, false, 0, -128, 127), "a negative multiplier (SRDHM's saturating case)");
    }

    private static LaneFoldLayer kernel(byte[] w, int rows, int cols, int[] bias, int[] multipliers, int[] shifts,
            boolean perChannel, int zeroPoint, int min, int max) {
        return LaneFoldLayer.of(MemorySegment.ofArray(w), rows, cols, bias, multipliers, shifts, perChannel, zeroPoint,
                min, max);
    }

    private static byte[] bytes(SplittableRandom random, int n, boolean extreme) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = extreme ? Byte.MIN_VALUE : (byte) random.nextInt(256);
        }
        return b;
    }

    private static String where(int rows, int cols) {
        return Fixtures.kernelId("LaneFoldLayer " + rows + "x" + cols + " (" + LANES + " int lanes)");
    }
}
