package dev.qlanes.reference.internal;

/**
 * Argument checks with messages that name the argument, its value and the range that was expected.
 * Every public entry point of both tiers validates through here before it touches any array, so a
 * rejected call leaves every output untouched and both tiers reject the same inputs the same way.
 */
public final class Check {
    private Check() {}

    /** Throws {@link NullPointerException} naming {@code name} when {@code value} is null. */
    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
        return value;
    }

    /** Requires {@code value >= 0}. */
    public static int nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " = " + value + ", expected >= 0");
        }
        return value;
    }

    /** Requires {@code lo <= value <= hi}. */
    public static int inRange(String name, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException(name + " = " + value + ", expected in [" + lo + ", " + hi + "]");
        }
        return value;
    }

    /** Requires a finite {@code value > 0}, e.g. a quantization scale (NaN, infinities, zero and negatives fail). */
    public static float positiveFinite(String name, float value) {
        if (!(value > 0.0f) || value == Float.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(name + " = " + value + ", expected a finite value > 0");
        }
        return value;
    }

    /** Requires {@code value % divisor == 0}. */
    public static int multipleOf(String name, int value, int divisor) {
        if (value % divisor != 0) {
            throw new IllegalArgumentException(name + " = " + value + ", expected a multiple of " + divisor);
        }
        return value;
    }

    /**
     * Requires an array of at least {@code required} elements, {@code required} being computed in
     * {@code long} by the caller so that shapes whose product overflows {@code int} are reported, not wrapped.
     *
     * @param shape how {@code required} was derived, e.g. {@code "nBatch * mCols"}, for the message
     */
    public static void length(String name, int actual, long required, String shape) {
        if (actual < required) {
            throw new IndexOutOfBoundsException(name + ".length = " + actual + ", expected >= " + required
                    + " (" + shape + ")");
        }
    }

    /** {@link #notNull} then {@link #length} for a {@code double[]}. */
    public static void array(String name, double[] a, long required, String shape) {
        length(name, notNull(name, a).length, required, shape);
    }

    /** Requires a finite value (not NaN, not infinite). */
    public static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " = " + value + ", expected a finite value");
        }
        return value;
    }

    /** {@link #notNull} then {@link #length} for a {@code byte[]}. */
    public static void array(String name, byte[] a, long required, String shape) {
        length(name, notNull(name, a).length, required, shape);
    }

    /** {@link #notNull} then {@link #length} for a {@code short[]}. */
    public static void array(String name, short[] a, long required, String shape) {
        length(name, notNull(name, a).length, required, shape);
    }

    /** {@link #notNull} then {@link #length} for an {@code int[]}. */
    public static void array(String name, int[] a, long required, String shape) {
        length(name, notNull(name, a).length, required, shape);
    }

    /** {@link #notNull} then {@link #length} for a {@code float[]}. */
    public static void array(String name, float[] a, long required, String shape) {
        length(name, notNull(name, a).length, required, shape);
    }

    /** Like {@link #array(String, int[], long, String)} but a null array is allowed. */
    public static void optionalArray(String name, int[] a, long required, String shape) {
        if (a != null) {
            length(name, a.length, required, shape);
        }
    }

    /** Like {@link #array(String, float[], long, String)} but a null array is allowed. */
    public static void optionalArray(String name, float[] a, long required, String shape) {
        if (a != null) {
            length(name, a.length, required, shape);
        }
    }
}
