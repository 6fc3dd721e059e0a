package dev.qlanes.jmh;

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
