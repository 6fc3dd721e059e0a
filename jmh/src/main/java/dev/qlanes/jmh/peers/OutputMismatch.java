package dev.qlanes.jmh.peers;

import java.util.Locale;
import java.util.Objects;

/**
 * How far an inexact peer's outputs are from the reference's: how many outputs differ, and by how much at most.
 * int8 outputs are compared by value, float outputs by raw bits (so {@code -0.0f} and {@code 0.0f} differ, with a
 * difference of 0).
 *
 * @param compared          outputs compared
 * @param differing         outputs that differ
 * @param largestDifference the largest {@code |actual − expected|} in output units (int8 steps, or float values;
 *                          infinite where one side is NaN or infinite and the other is not the same)
 * @param largestUlps       the largest distance in representable values: equal to {@code largestDifference} for int8,
 *                          units in the last place for floats ({@link Long#MAX_VALUE} where one side is NaN)
 * @param firstIndex        the first differing index, or -1 when none differs
 */
public record OutputMismatch(int compared, int differing, double largestDifference, long largestUlps,
                             int firstIndex) {

    /** Compares int8 outputs by value. */
    public static OutputMismatch of(byte[] expected, byte[] actual) {
        checkLengths(expected, actual);
        int differing = 0;
        int largest = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            int d = Math.abs(actual[i] - expected[i]);
            if (d != 0) {
                differing++;
                largest = Math.max(largest, d);
                first = first < 0 ? i : first;
            }
        }
        return new OutputMismatch(expected.length, differing, largest, largest, first);
    }

    /** Compares float outputs by raw bits; differences as values and as units in the last place. */
    public static OutputMismatch of(float[] expected, float[] actual) {
        checkLengths(expected, actual);
        int differing = 0;
        double largest = 0;
        long largestUlps = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            if (Float.floatToRawIntBits(e) == Float.floatToRawIntBits(a)) {
                continue;
            }
            differing++;
            first = first < 0 ? i : first;
            if (Float.isNaN(e) || Float.isNaN(a)) {
                largest = Double.POSITIVE_INFINITY;
                largestUlps = Long.MAX_VALUE;
                continue;
            }
            double d = Math.abs((double) a - (double) e); // exact for finite floats; infinite when one is
            largest = Math.max(largest, Double.isNaN(d) ? 0 : d); // NaN only for equal infinities, which are equal bits
            largestUlps = Math.max(largestUlps, Math.abs((long) ordered(a) - ordered(e)));
        }
        return new OutputMismatch(expected.length, differing, largest, largestUlps, first);
    }

    /**
     * The float's position on the number line as an int: consecutive floats map to consecutive ints, and both zeros
     * to 0, so the difference of two is their distance in units in the last place.
     */
    private static int ordered(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits >= 0 ? bits : Integer.MIN_VALUE - bits;
    }

    private static void checkLengths(Object expected, Object actual) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
        int e = java.lang.reflect.Array.getLength(expected);
        int a = java.lang.reflect.Array.getLength(actual);
        if (e != a) {
            throw new IllegalArgumentException("actual.length = " + a + ", expected " + e + " (expected.length)");
        }
    }

    /** Whether every output is equal (float: bit for bit). */
    public boolean exact() {
        return differing == 0;
    }

    /** The fraction of outputs that differ, in {@code [0, 1]}. */
    public double differingFraction() {
        return compared == 0 ? 0 : (double) differing / compared;
    }

    /** E.g. "123 of 16384 outputs differ (0.75 %), largest difference 1 (1 ulp), first at index 17". */
    public String describe() {
        if (exact()) {
            return "all " + compared + " outputs equal";
        }
        return String.format(Locale.ROOT, "%d of %d outputs differ (%.2f %%), largest difference %s (%d ulp), "
                        + "first at index %d", differing, compared, 100 * differingFraction(),
                largestDifference == Math.rint(largestDifference) && largestDifference < 1e15
                        ? String.valueOf((long) largestDifference) : String.format(Locale.ROOT, "%.3g", largestDifference),
                largestUlps, firstIndex);
    }

    @Override
    public String toString() {
        return describe();
    }
}
