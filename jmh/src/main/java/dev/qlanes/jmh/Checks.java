package dev.qlanes.jmh;

import dev.qlanes.reference.PortableTensorUtils;
import java.util.Arrays;

/** Result checks run in {@code @Setup}: a benchmark of a wrong answer must not produce a number. */
final class Checks {
    private Checks() {}

    static void equal(String what, long expected, long actual) {
        if (expected != actual) {
            throw new IllegalStateException(what + ": expected " + expected + ", got " + actual);
        }
    }

    static void equal(String what, byte[] expected, byte[] actual) {
        if (!Arrays.equals(expected, actual)) {
            throw new IllegalStateException(what + " differs from the reference at index "
                    + Arrays.mismatch(expected, actual));
        }
    }

    static void equal(String what, int[] expected, int[] actual) {
        if (!Arrays.equals(expected, actual)) {
            throw new IllegalStateException(what + " differs from the reference at index "
                    + Arrays.mismatch(expected, actual));
        }
    }

    /**
     * The reference twin's int32 products of a GEMM, {@code dots[b·rows + r] = dotProduct(w[r], x[b])}, for the exact
     * kernels' checks ({@code PortableTensorUtils.dotProduct} takes whole arrays, so each row is copied once).
     */
    static int[] referenceDots(byte[] w, int rows, int cols, byte[] x, int batch) {
        byte[][] inputs = new byte[batch][];
        for (int b = 0; b < batch; b++) {
            inputs[b] = Arrays.copyOfRange(x, b * cols, (b + 1) * cols);
        }
        int[] dots = new int[batch * rows];
        for (int r = 0; r < rows; r++) {
            byte[] row = Arrays.copyOfRange(w, r * cols, (r + 1) * cols);
            for (int b = 0; b < batch; b++) {
                dots[b * rows + r] = PortableTensorUtils.dotProduct(row, inputs[b], cols);
            }
        }
        return dots;
    }

    /** Float outputs by raw bits. */
    static void sameBits(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new IllegalStateException(what + " differs from the reference at index " + i + ": expected "
                        + expected[i] + ", got " + actual[i]);
            }
        }
    }
}
