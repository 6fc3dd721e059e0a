package dev.qlanes.internal;

import dev.qlanes.reference.Rounding;
import java.lang.foreign.MemorySegment;

/**
 * The building blocks of the layer objects ({@code HybridFullyConnected}, {@code QuantizedFullyConnected}), at
 * a granularity that lets a layer split rows and batches across threads and run without allocating: every
 * method works on a caller-given range and writes into caller-given buffers. Two implementations, the scalar
 * {@link ScalarLayerKernels} and the Java Vector API {@code VectorLayerKernels}, chosen once by
 * {@link KernelProvider}; both return exactly the reference's bits. Arguments are trusted: the layers
 * validate them before calling.
 *
 * <p>Weights are bound to their memory kind once, by {@link #rows}: the returned {@link DotRows} runs loops that only
 * ever see that kind (mixing kinds is the profile-pollution trap of the foreign memory API). Activations are always heap arrays
 * (layers copy segment activations into per-call workspaces, an {@code O(batch × size)} cost next to the
 * {@code O(batch × units × inputSize)} product).
 */
public interface LayerKernels {

    /** Whether these are the Java Vector API kernels. */
    boolean vectorized();

    /** One line for diagnostics, e.g. {@code vector 256-bit} or {@code reference}. */
    String description();

    /** Whether every {@code values[offset .. offset+n)} is {@code == 0.0f} ({@code IsZeroVector}: -0.0 counts, NaN does not). */
    boolean isZero(float[] values, int offset, int n);

    /**
     * Quantizes one row {@code values[offset .. offset+n)}, {@code n >= 1}, into {@code quantized} at the same
     * indices, symmetrically (§2.1, range from the data) or asymmetrically (§2.2), exactly as
     * {@code PortableTensorUtils.batchQuantizeFloats} does for one batch row.
     *
     * @param zeroPoints receives the row's zero point (0 when symmetric) at {@code zeroPointIndex}
     * @param extremes   scratch of length ≥ 2
     * @return the row's scaling factor
     */
    float quantizeRow(float[] values, int offset, int n, byte[] quantized, boolean asymmetric, int[] zeroPoints,
            int zeroPointIndex, float[] extremes);

    /**
     * The dot-product loops over {@code rows × cols} row-major weights at {@code weights[offset ..]}, read in place
     * through {@code byte[]} loads. Called once per weight matrix ({@code PreparedWeights}), so the memory kind is
     * decided once, not per call.
     */
    DotRows rows(byte[] weights, int offset, int rows, int cols);

    /**
     * As {@link #rows(byte[], int, int, int)} for weights in a segment of exactly {@code rows × cols} bytes (native or
     * mapped; each kind gets loops of its own, see {@link DotRows}).
     */
    DotRows rows(MemorySegment weights, int rows, int cols);

    /**
     * The float dot products over {@code rows × cols} row-major weights, laid out now for every later call (the
     * array is owned by the result: pass a copy).
     */
    FloatRows floatRows(float[] weights, int rows, int cols);

    /**
     * A kernel for whole calls of one activation row of a full-integer layer in {@code DOUBLE_ROUNDING} fixed point
     * ({@link Int8RowKernel}), or null where this implementation has none for the shape or parameters; the layer then
     * takes its general path, which computes the same bits. {@code bias} has the input offset's term folded in
     * ({@code bias[r] + inputOffset · rowSum[r]}); {@code multipliers} and {@code shifts} hold one value per row when
     * {@code perChannel}, else one. The kernel keeps copies: the arguments may change afterwards.
     */
    Int8RowKernel int8Row(MemorySegment weights, int rows, int cols, int[] bias, int[] multipliers, int[] shifts,
            boolean perChannel, int outputOffset, int min, int max);

    /**
     * The hybrid epilogue of rows {@code row0 .. row0+n-1} of one batch vector (docs/semantics.md §3.4, §4.1 step 6), in
     * the reference's order, without FMA:
     * <pre>
     *   S   = perChannelScale == null ? scale : fl32(scale · perChannelScale[row0+i])
     *   dot = dots[dotsOffset+i] − rowSums[row0+i] · zeroPoint                       (int32, wrapping)
     *   result[resultOffset+i] = fl32(bias[row0+i] + fl32((float) dot · S))
     * </pre>
     */
    void hybridEpilogue(int[] dots, int dotsOffset, int n, int row0, float scale, float[] perChannelScale,
            int[] rowSums, int zeroPoint, float[] bias, float[] result, int resultOffset);

    /**
     * The full-integer output stage of rows {@code row0 .. row0+n-1} of one batch vector (§4.2):
     * {@code out[outOffset+i] = clamp(MBQM(acc[accOffset+i] + bias[row0+i], M, s) + outputOffset, min, max)} with
     * {@code (M, s) = perChannel ? (multipliers[row0+i], shifts[row0+i]) : (multipliers[0], shifts[0])}. May
     * overwrite {@code acc[accOffset .. accOffset+n)}.
     */
    void requantize(int[] acc, int accOffset, int n, int row0, int[] bias, int[] multipliers, int[] shifts,
            boolean perChannel, int outputOffset, int min, int max, Rounding rounding, byte[] out, int outOffset);

    /**
     * The full-integer output stage of rows {@code row0 .. row0+n-1} of one batch vector with TFLite's float
     * requantization ({@code Requantization.DOUBLE_FLOAT}, §4.2):
     * {@code out[outOffset+i] = clamp(requantizeInDouble(acc[accOffset+i] + bias[row0+i], eff) + outputOffset, min,
     * max)} with {@code eff = perChannel ? effectiveScales[row0+i] : effectiveScales[0]} and
     * {@code ReferenceIntegerOps.requantizeInDouble}'s x86-64 conversion; int32 additions wrap. May overwrite
     * {@code acc[accOffset .. accOffset+n)}.
     */
    void requantizeInDouble(int[] acc, int accOffset, int n, int row0, int[] bias, double[] effectiveScales,
            boolean perChannel, int outputOffset, int min, int max, byte[] out, int outOffset);
}
