package dev.qlanes.internal.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.qlanes.internal.DotRows;
import java.util.Arrays;

/**
 * Checks any {@link DotRows} on a row range against dot products in long arithmetic computed here: one activation row
 * ({@code dots}) and {@code BATCH_TILE} of them ({@code dotsTile}), each result in its own slot and canaries around
 * them untouched. The weights are row-major at {@code weights[offset ..]}.
 */
final class DotRowsCheck {
    static final int DOTS_OFFSET = 2;
    static final int CANARY = 0xC0FFEE;

    private DotRowsCheck() {}

    static void dots(String kernel, DotRows loops, byte[] weights, int offset, int cols, byte[] x, int rowFrom,
            int rowTo, String where) {
        int n = rowTo - rowFrom;
        int[] expected = canaries(DOTS_OFFSET + n + Fixtures.CANARY_PADDING);
        for (int r = 0; r < n; r++) {
            expected[DOTS_OFFSET + r] = dot(weights, offset, cols, rowFrom + r, x);
        }
        short[] xw = new short[cols];
        loops.widen(x, 0, xw);
        int[] dots = canaries(expected.length);
        loops.dots(rowFrom, rowTo, xw, dots, DOTS_OFFSET);
        assertArrayEquals(expected, dots, Fixtures.kernelId(kernel + ".dots") + where);
    }

    /** {@code x.length} activation rows, also laid out one after the other in {@code tile}. */
    static void dotsTile(String kernel, DotRows loops, byte[] weights, int offset, int cols, byte[][] x, byte[] tile,
            int rowFrom, int rowTo, String where) {
        int n = rowTo - rowFrom;
        int stride = n + 3; // canaries between the activation rows' results
        int[] expected = canaries(DOTS_OFFSET + (x.length - 1) * stride + n + Fixtures.CANARY_PADDING);
        for (int k = 0; k < x.length; k++) {
            for (int r = 0; r < n; r++) {
                expected[DOTS_OFFSET + k * stride + r] = dot(weights, offset, cols, rowFrom + r, x[k]);
            }
        }
        short[] packed = new short[loops.packedLength()];
        loops.widenTile(tile, 0, packed);
        int[] dots = canaries(expected.length);
        loops.dotsTile(rowFrom, rowTo, packed, dots, DOTS_OFFSET, stride);
        assertArrayEquals(expected, dots, Fixtures.kernelId(kernel + ".dotsTile") + where);
    }

    private static int dot(byte[] weights, int offset, int cols, int row, byte[] x) {
        long sum = 0;
        for (int c = 0; c < cols; c++) {
            sum += (long) weights[offset + row * cols + c] * x[c];
        }
        return (int) sum;
    }

    private static int[] canaries(int n) {
        int[] a = new int[n];
        Arrays.fill(a, CANARY);
        return a;
    }
}
