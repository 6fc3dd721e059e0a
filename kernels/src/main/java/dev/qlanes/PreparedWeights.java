package dev.qlanes;

import dev.qlanes.internal.DotRows;
import dev.qlanes.internal.KernelProvider;
import dev.qlanes.internal.LayerKernels;
import dev.qlanes.reference.internal.Check;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * int8 weights of a FULLY_CONNECTED layer, prepared once and shared: a row-major {@code [rows × cols]} matrix
 * ({@code rows} output channels, TFLite's filter {@code [units, input_size]}) with a per-tensor scale or one
 * scale per row (output channel), and its row sums ({@code Σ_c w[r][c]}, int32, the "row sums" TFLite caches for the
 * asymmetric-input and zero-point terms), computed in one pass over the weights. Weights of {@code -128} (which
 * TFLite's quantizer never produces, and its x86/NEON kernels mishandle) are computed exactly, like any other.
 *
 * <p><b>Sources.</b> From a {@code byte[]}, the weights are copied, so later changes to the array have no
 * effect. A {@link MemorySegment} must hold exactly {@code rows × cols} bytes (slice it) and be readable from every
 * thread that runs a layer (a global, automatic or shared arena, or a heap segment; a confined segment is
 * rejected). A <b>memory-mapped</b> segment (a weights file or a slice of one) is copied once into private native
 * memory, freed with these weights, so that nothing the file goes through later (truncated or rewritten in place
 * during a deploy, its arena closed) reaches a layer: on JDK 25 a read of a truncated mapping in C2-compiled Vector
 * API code kills the JVM with SIGBUS instead of throwing (see {@code docs/faults.md}). The copy costs
 * {@code rows × cols} bytes of memory and one pass, and counts against {@code -XX:MaxDirectMemorySize} (by default the
 * maximum heap size; beyond it the JDK throws {@link OutOfMemoryError}); a file truncated while it is being copied
 * gives {@link IllegalStateException}. Any other segment is used in place, without copying: it must stay alive as long as
 * layers use these weights, and its contents must not change afterwards (the row sums would go stale, as TFLite's
 * cached row sums do when a filter changes without a new {@code Prepare}). A writable heap segment over a
 * {@code byte[]} is read in place through that array; any other heap segment (read-only, or over another array
 * type) is copied once, so that the segment kernels only ever read native memory: a loop whose JIT profile has seen
 * both heap and native segments runs about 3x slower (profile pollution).
 *
 * <p><b>Short rows.</b> When the vector kernels run and rows are shorter than two of their vector steps (at most 63
 * columns at 512 bits, 31 at 256, 15 at 128) and the matrix holds at most 2^20 weights, the weights are also copied once,
 * from any source, into a column-major int32 heap array (4 bytes per weight) that the dot products read, vectorized
 * across rows: several times faster for layers like ToyCar's 8→128 (docs/performance.md). The rules above for
 * segments still hold.
 *
 * <p><b>Validation.</b> Every factory checks all its arguments before reading any weight: null arguments throw
 * {@link NullPointerException}; negative sizes, more than {@link #MAX_ROWS} rows, and scales that are not finite
 * and {@code > 0} throw {@link IllegalArgumentException}; a weights array or segment whose size is not {@code rows × cols} (computed
 * in {@code long}, so shapes whose product overflows {@code int} are reported, not wrapped) and a scale array
 * whose length is not {@code rows} throw {@link IndexOutOfBoundsException}; a closed segment throws
 * {@link IllegalStateException} and a thread-confined segment {@link IllegalArgumentException}. Messages name
 * the argument, its value and the expected range.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PreparedWeights {
    /** Most rows: per-row arrays (row sums, scales, layers' biases and outputs) must fit a Java array. */
    public static final int MAX_ROWS = Integer.MAX_VALUE - 16;
    /** An unstarted thread, only used to ask whether a segment is confined to its owner thread. */
    private static final Thread OTHER_THREAD = new Thread(() -> { }, "qlanes-confinement-probe");

    private final int rows;
    private final int cols;
    /** Heap weights: a private copy or the array behind a heap segment; null for other segments. */
    private final byte[] array;
    private final int arrayOffset;
    /** Segment weights, exactly {@code rows × cols} bytes; null when {@link #array} is used. */
    private final MemorySegment segment;
    private final float scale;
    /** One scale per row, or null per tensor. */
    private final float[] scales;
    private final int[] rowSums;
    /** The dot-product loops bound to this memory: the array-or-segment choice, made once here. */
    private final DotRows dotRows;

    private PreparedWeights(int rows, int cols, byte[] array, int arrayOffset, MemorySegment segment, float scale,
            float[] scales) {
        this.rows = rows;
        this.cols = cols;
        this.array = array;
        this.arrayOffset = arrayOffset;
        this.segment = segment;
        this.scale = scale;
        this.scales = scales;
        this.rowSums = new int[rows];
        LayerKernels kernels = KernelProvider.layerKernels();
        this.dotRows = array != null ? kernels.rows(array, arrayOffset, rows, cols) : kernels.rows(segment, rows, cols);
        dotRows.rowSums(rowSums);
    }

    /**
     * Weights with one scale for the whole tensor, copied from {@code weights}.
     *
     * @param weights {@code rows × cols} bytes, row-major; copied
     * @param rows    output channels (units), in {@code [0, MAX_ROWS]}
     * @param cols    input size, ≥ 0
     * @param scale   finite, {@code > 0}
     */
    public static PreparedWeights perTensor(byte[] weights, int rows, int cols, float scale) {
        validateShape(rows, cols);
        Check.notNull("weights", weights);
        exactSize("weights.length", weights.length, rows, cols);
        positiveFinite("scale", scale);
        return new PreparedWeights(rows, cols, weights.clone(), 0, null, scale, null);
    }

    /**
     * Weights with one scale per row (output channel), copied from {@code weights}.
     *
     * @param weights {@code rows × cols} bytes, row-major; copied
     * @param scales  {@code rows} scales, each finite and {@code > 0}; copied
     */
    public static PreparedWeights perChannel(byte[] weights, int rows, int cols, float[] scales) {
        validateShape(rows, cols);
        Check.notNull("weights", weights);
        float[] copy = validateScales(scales, rows);
        exactSize("weights.length", weights.length, rows, cols);
        return new PreparedWeights(rows, cols, weights.clone(), 0, null, Float.NaN, copy);
    }

    /**
     * Weights with one scale for the whole tensor, read in place from {@code weights} (see the class comment for
     * what the segment must satisfy, and which heap segments are copied).
     *
     * @param weights exactly {@code rows × cols} bytes, row-major; not copied
     * @param scale   finite, {@code > 0}
     */
    public static PreparedWeights perTensor(MemorySegment weights, int rows, int cols, float scale) {
        validateShape(rows, cols);
        validateSegment(weights, rows, cols);
        positiveFinite("scale", scale);
        return fromSegment(weights, rows, cols, scale, null);
    }

    /**
     * Weights with one scale per row (output channel), read in place from {@code weights} (see the class comment
     * for what the segment must satisfy, and which heap segments are copied).
     *
     * @param weights exactly {@code rows × cols} bytes, row-major; not copied
     * @param scales  {@code rows} scales, each finite and {@code > 0}; copied
     */
    public static PreparedWeights perChannel(MemorySegment weights, int rows, int cols, float[] scales) {
        validateShape(rows, cols);
        validateSegment(weights, rows, cols);
        float[] copy = validateScales(scales, rows);
        return fromSegment(weights, rows, cols, Float.NaN, copy);
    }

    private static PreparedWeights fromSegment(MemorySegment weights, int rows, int cols, float scale,
            float[] scales) {
        if (weights.isMapped()) {
            try {
                return new PreparedWeights(rows, cols, null, 0, MappedWeightsCopy.of(weights), scale, scales);
            } catch (InternalError e) {
                // the JDK's error for a fault in the mapping; it may surface after the copy returned (compiled code
                // delivers it at its next safepoint poll), so the whole preparation is covered
                throw MappedWeightsCopy.unreadable(weights, e);
            }
        }
        if (weights.isNative()) {
            return new PreparedWeights(rows, cols, null, 0, weights.asReadOnly(), scale, scales);
        }
        if (weights.heapBase().orElse(null) instanceof byte[] bytes) {
            // a writable heap segment over a byte[]: read in place through the array; its address is the offset
            return new PreparedWeights(rows, cols, bytes, (int) weights.address(), null, scale, scales);
        }
        // another heap segment (read-only, or over another array type): copied once, so that the segment kernels
        // only ever see native memory (a loop that has read both kinds runs ~3x slower: profile pollution)
        return new PreparedWeights(rows, cols, weights.toArray(ValueLayout.JAVA_BYTE), 0, null, scale, scales);
    }

    private static void validateShape(int rows, int cols) {
        Check.inRange("rows", rows, 0, MAX_ROWS);
        Check.nonNegative("cols", cols);
    }

    private static void exactSize(String name, long actual, int rows, int cols) {
        long required = (long) rows * cols;
        if (actual != required) {
            throw new IndexOutOfBoundsException(name + " = " + actual + ", expected rows * cols = " + rows + " * "
                    + cols + " = " + required);
        }
    }

    private static void validateSegment(MemorySegment weights, int rows, int cols) {
        Check.notNull("weights", weights);
        if (!weights.scope().isAlive()) {
            throw new IllegalStateException("weights segment is not alive: its arena was closed");
        }
        if (!weights.isAccessibleBy(OTHER_THREAD)) {
            throw new IllegalArgumentException("weights segment is confined to its owner thread; layers read it from"
                    + " any thread, so allocate or map it in a global, automatic or shared arena");
        }
        exactSize("weights.byteSize()", weights.byteSize(), rows, cols);
    }

    private static float[] validateScales(float[] scales, int rows) {
        Check.notNull("scales", scales);
        if (scales.length != rows) {
            throw new IndexOutOfBoundsException("scales.length = " + scales.length + ", expected rows = " + rows
                    + " (one scale per output channel)");
        }
        float[] copy = scales.clone();
        for (int r = 0; r < rows; r++) {
            positiveFinite("scales[" + r + "]", copy[r]);
        }
        return copy;
    }

    static void positiveFinite(String name, float value) {
        if (!(value > 0.0f) || value == Float.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(name + " = " + value + ", expected a finite value > 0");
        }
    }

    /** Output channels (TFLite's {@code units}, the filter's first dimension). */
    public int rows() {
        return rows;
    }

    /** Input size (the filter's second dimension). */
    public int cols() {
        return cols;
    }

    /** Whether there is one scale per row rather than one for the tensor. */
    public boolean perChannel() {
        return scales != null;
    }

    /** The scale of row {@code row} (the tensor's scale when per tensor). */
    public float scale(int row) {
        Objects.checkIndex(row, rows);
        return scales != null ? scales[row] : scale;
    }

    /**
     * The per-tensor scale.
     *
     * @throws IllegalStateException when the weights are per channel
     */
    public float scale() {
        if (scales != null) {
            throw new IllegalStateException("per-channel weights have one scale per row; use scale(row) or scales()");
        }
        return scale;
    }

    /** A copy of the scales as TFLite stores them: one per row when per channel, one element when per tensor. */
    public float[] scales() {
        return scales != null ? scales.clone() : new float[] {scale};
    }

    /** {@code Σ_c w[row][c]}, int32. */
    public int rowSum(int row) {
        Objects.checkIndex(row, rows);
        return rowSums[row];
    }

    /** A copy of all row sums. */
    public int[] rowSums() {
        return rowSums.clone();
    }

    /** Whether the weights live in native memory (a native or mapped segment) rather than on the heap. */
    public boolean isNative() {
        return segment != null && segment.isNative();
    }

    /** A read-only view of the {@code rows × cols} weights, row-major. */
    public MemorySegment asSegment() {
        return segment != null ? segment
                : MemorySegment.ofArray(array).asSlice(arrayOffset, (long) rows * cols).asReadOnly();
    }

    @Override
    public String toString() {
        return "PreparedWeights[" + rows + "x" + cols + ", " + (scales != null ? "per-channel" : "per-tensor scale "
                + scale) + ", " + (isNative() ? "native" : "heap") + "]";
    }

    // Package-private accessors for the layers.

    DotRows dotRows() {
        return dotRows;
    }

    int[] rowSumsShared() {
        return rowSums;
    }

    float[] scalesShared() {
        return scales;
    }

    float tensorScale() {
        return scale;
    }
}
