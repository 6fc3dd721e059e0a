package dev.qlanes.internal.vector;

/**
 * Per-thread scratch arrays for the stateless {@code TensorUtils} kernels, reused from call to call so that a
 * steady stream of calls allocates nothing. Each slot is one array that grows on demand; a request beyond
 * {@link #RETAINED_LIMIT} elements gets a fresh array that is not kept, so an occasional huge call does not pin
 * its memory to the thread. Contents are unspecified on return: callers overwrite what they read. Each slot
 * serves one purpose within a call, so slots never alias while a call is using them.
 */
final class Scratch {
    /** The largest array (elements) a thread keeps: 4 MiB of ints, more than any layer in the benchmarks needs. */
    static final int RETAINED_LIMIT = 1 << 20;

    private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

    /** Slot of {@link #ints} for dot products or accumulators. */
    static final int DOTS = 0;
    /** Slot of {@link #ints} for row sums. */
    static final int ROW_SUMS = 1;
    /** Slot of {@link #floats} for a transposed weight panel. */
    static final int PANEL = 0;
    /** Slot of {@link #floats} for partial sums kept across panels. */
    static final int PARTIAL = 1;

    private final int[][] ints = {new int[0], new int[0]};
    private final float[][] floats = {new float[0], new float[0]};
    private short[] widened = new short[0];
    private long[] longs = new long[0];
    private final float[] extremes = new float[2];

    private Scratch() {}

    /** This thread's scratch. */
    static Scratch get() {
        return PER_THREAD.get();
    }

    /** At least {@code n} ints in slot {@link #DOTS} or {@link #ROW_SUMS}. */
    int[] ints(int slot, int n) {
        if (ints[slot].length >= n) {
            return ints[slot];
        }
        int[] a = new int[n];
        if (n <= RETAINED_LIMIT) {
            ints[slot] = a;
        }
        return a;
    }

    /** At least {@code n} floats in slot {@link #PANEL} or {@link #PARTIAL}. */
    float[] floats(int slot, int n) {
        if (floats[slot].length >= n) {
            return floats[slot];
        }
        float[] a = new float[n];
        if (n <= RETAINED_LIMIT) {
            floats[slot] = a;
        }
        return a;
    }

    /** At least {@code n} shorts for widened activations. */
    short[] widened(int n) {
        if (widened.length >= n) {
            return widened;
        }
        short[] a = new short[n];
        if (n <= RETAINED_LIMIT) {
            widened = a;
        }
        return a;
    }

    /** At least {@code n} longs, for int64 accumulators. */
    long[] longs(int n) {
        if (longs.length >= n) {
            return longs;
        }
        long[] a = new long[n];
        if (n <= RETAINED_LIMIT) {
            longs = a;
        }
        return a;
    }

    /** Two floats for a row's {@code [min, max]}. */
    float[] extremes() {
        return extremes;
    }
}
