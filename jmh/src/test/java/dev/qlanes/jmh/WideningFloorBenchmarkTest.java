package dev.qlanes.jmh;

import static dev.qlanes.jmh.WideningFloorBenchmark.STEP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The floors must do all the work they claim to bound: each is compared with a scalar model of its own (inexact)
 * arithmetic, so a loop that skipped columns, rows or batch rows, and so ran faster than the real work, fails here.
 */
class WideningFloorBenchmarkTest {

    /**
     * The floors' arithmetic over one stretch of {@code 2·STEP} columns: 16-bit pair sums of products, read back as
     * int lanes (odd 16-bit lane high, even lane low), summed with wrapping.
     */
    private static int modelBlocks(byte[] w, int wOff, byte[] x, int xOff, int n) {
        return modelBlocks(w, wOff, x, xOff, n, false);
    }

    /** With {@code fold}, each int lane also adds its high half, shifted down ({@code gemvFoldFloor}). */
    private static int modelBlocks(byte[] w, int wOff, byte[] x, int xOff, int n, boolean fold) {
        int sum = 0;
        for (int c = 0; c < n; c += 2 * STEP) {
            for (int k = 0; k < STEP / 2; k++) {
                int lane = pairSum(w, wOff + c, x, xOff + c, 2 * k + 1) << 16
                        | pairSum(w, wOff + c, x, xOff + c, 2 * k) & 0xFFFF;
                sum += fold ? lane + (lane >> 16) : lane;
            }
        }
        return sum;
    }

    private static short pairSum(byte[] w, int wOff, byte[] x, int xOff, int lane) {
        return (short) (w[wOff + lane] * x[xOff + lane] + w[wOff + STEP + lane] * x[xOff + STEP + lane]);
    }

    @ParameterizedTest
    @CsvSource({"1", "2", "5"})
    void dotFloorCoversEveryElement(int blocks) {
        int n = blocks * 4 * STEP;
        SplittableRandom random = new SplittableRandom(blocks);
        byte[] a = Data.int8(random, n);
        byte[] b = Data.int8(random, n);
        assertEquals(modelBlocks(a, 0, b, 0, n), WideningFloorBenchmark.dotFloor(a, b, n));
    }

    @ParameterizedTest
    @CsvSource({"1, 8, 2", "1, 4, 6", "1, 72, 1", "4, 8, 2", "8, 12, 3"})
    void gemvFloorsCoverEveryRowAndBatchRow(int batch, int rows, int colBlocks) {
        int cols = colBlocks * 2 * STEP;
        SplittableRandom random = new SplittableRandom(batch * 1000L + rows);
        byte[] w = Data.weights(random, rows * cols);
        byte[] x = Data.int8(random, batch * cols);
        for (boolean fold : new boolean[] {false, true}) {
            int[] out = new int[batch * rows];
            if (fold) {
                WideningFloorBenchmark.gemvFoldFloor(w, rows, cols, x, batch, new short[4 * cols], out);
            } else {
                WideningFloorBenchmark.gemvFloor(w, rows, cols, x, batch, new short[4 * cols], out);
            }
            int[] expected = new int[batch * rows];
            for (int b = 0; b < batch; b++) {
                for (int r = 0; r < rows; r++) {
                    expected[b * rows + r] = modelBlocks(w, r * cols, x, b * cols, cols, fold);
                }
            }
            assertArrayEquals(expected, out, fold ? "gemvFoldFloor" : "gemvFloor");
        }
    }
}
