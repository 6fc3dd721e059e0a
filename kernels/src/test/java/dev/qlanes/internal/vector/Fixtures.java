package dev.qlanes.internal.vector;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Shared test material for the vector kernels: value profiles named by intent, shapes derived from the
 * kernels' lane counts and row tile, canary-padded outputs, and a test scale chosen per JVM fork
 * ({@code -Dqlanes.test.scale=small} for the slow forks: forced 512-bit on AVX2, -Xint).
 */
final class Fixtures {
    private Fixtures() {}

    static final VectorTensorKernels VECTOR = VectorTensorKernels.create();
    /** Elements appended after every output; they must come back unchanged. */
    static final int CANARY_PADDING = 7;
    static final byte BYTE_CANARY = (byte) 0x5A;
    static final float FLOAT_CANARY = -1234.5f;
    static final boolean SMALL = "small".equals(System.getProperty("qlanes.test.scale"));
    /** Seed of every random case; override with -Dqlanes.test.seed to reproduce a failure. */
    static final long SEED = Long.getLong("qlanes.test.seed", 0x5EED_0001L);

    /** A description of the kernel under test for failure messages. */
    static String kernelId(String kernel) {
        return kernel + " @ " + VectorShapes.BITS + "-bit, seed " + SEED;
    }

    /** int8 value profiles, named by what they exercise. */
    enum Bytes {
        UNIFORM, ALL_MIN, MAX_MIN, CORNER_CYCLE, WEIGHTS_SYMMETRIC, ZERO, SPARSE;

        byte[] fill(SplittableRandom random, int n) {
            byte[] a = new byte[n];
            for (int i = 0; i < n; i++) {
                a[i] = switch (this) {
                    case UNIFORM -> (byte) random.nextInt(256);
                    case ALL_MIN -> Byte.MIN_VALUE;
                    case MAX_MIN -> (i & 1) == 0 ? Byte.MAX_VALUE : Byte.MIN_VALUE;
                    case CORNER_CYCLE -> new byte[] {-128, 127, -1, 0, 1, -127}[i % 6];
                    case WEIGHTS_SYMMETRIC -> (byte) (random.nextInt(255) - 127);
                    case ZERO -> 0;
                    case SPARSE -> random.nextInt(8) == 0 ? (byte) random.nextInt(256) : 0;
                };
            }
            return a;
        }
    }

    /**
     * Column counts that hit every tail of a kernel stepping {@code lanes} elements: 1..2L+1, kL±1,
     * primes, and (full scale) deep columns up to 32k, where int32 accumulators near their extremes.
     */
    static List<Integer> columns(int lanes) {
        TreeSet<Integer> set = new TreeSet<>();
        for (int n = 1; n <= 2 * lanes + 1; n++) {
            set.add(n);
        }
        for (int k : new int[] {3, 4, 6, 7, 8}) {
            set.add(k * lanes - 1);
            set.add(k * lanes + 1);
        }
        for (int p : new int[] {31, 61, 127, 257}) {
            set.add(p);
        }
        if (!SMALL) {
            set.add(1021);
            set.add(4096);
            set.add(32768);
        }
        return new ArrayList<>(set);
    }

    /** Row counts around the row tile: every remainder of one and two tiles, plus a prime. */
    static int[] rows() {
        return SMALL ? new int[] {1, 3, 5, 9} : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 13, 17, 37};
    }

    static int[] batches() {
        return SMALL ? new int[] {1, 3, 5} : new int[] {1, 2, 3, 4, 5, 8, 9};
    }

    static byte[] padded(byte[] values) {
        byte[] out = java.util.Arrays.copyOf(values, values.length + CANARY_PADDING);
        java.util.Arrays.fill(out, values.length, out.length, BYTE_CANARY);
        return out;
    }

    static float[] padded(float[] values) {
        float[] out = java.util.Arrays.copyOf(values, values.length + CANARY_PADDING);
        java.util.Arrays.fill(out, values.length, out.length, FLOAT_CANARY);
        return out;
    }

    static float[] randomFloats(SplittableRandom random, int n, double scale) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (random.nextGaussian() * scale);
        }
        return f;
    }

    /** No detail beyond coordinates. */
    static final java.util.function.IntFunction<String> NO_DETAIL = i -> "";

    static void assertSameBits(float[] expected, float[] actual, int mRows, String where) {
        assertSameBits(expected, actual, mRows, where, NO_DETAIL);
    }

    static void assertSameBytes(byte[] expected, byte[] actual, int mRows, String where) {
        assertSameBytes(expected, actual, mRows, where, NO_DETAIL);
    }

    /**
     * Compares float outputs by raw bits, canaries included; {@code where} describes the case and
     * {@code detail} adds what is known about output {@code i} (e.g. its raw accumulator).
     */
    static void assertSameBits(float[] expected, float[] actual, int mRows, String where,
            java.util.function.IntFunction<String> detail) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(where + ": (batch " + i / Math.max(1, mRows) + ", row " + i % Math.max(1, mRows) + ") expected "
                        + expected[i] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + "), got "
                        + actual[i] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(actual[i])) + ")"
                        + (i >= expected.length - CANARY_PADDING ? " [canary overwritten]" : detail.apply(i)));
            }
        }
    }

    /** Compares int8 outputs element by element, canaries included. */
    static void assertSameBytes(byte[] expected, byte[] actual, int mRows, String where,
            java.util.function.IntFunction<String> detail) {
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                fail(where + ": (batch " + i / Math.max(1, mRows) + ", row " + i % Math.max(1, mRows) + ") expected "
                        + expected[i] + ", got " + actual[i]
                        + (i >= expected.length - CANARY_PADDING ? " [canary overwritten]" : detail.apply(i)));
            }
        }
    }

    /** The exact (long) dot product of one matrix row and one batch vector, for failure messages. */
    static long rawDot(byte[] matrix, int row, byte[] vectors, int batch, int mCols) {
        long sum = 0;
        for (int c = 0; c < mCols; c++) {
            sum += matrix[row * mCols + c] * vectors[batch * mCols + c];
        }
        return sum;
    }
}
