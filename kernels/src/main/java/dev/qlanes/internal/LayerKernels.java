package dev.qlanes.internal;

import dev.qlanes.reference.Rounding;
import java.lang.foreign.MemorySegment;

/**
 * The building blocks of the layer objects ({@code HybridFullyConnected}, {@code QuantizedFullyConnected}), at
 * a granularity that lets a layer split rows and batches across threads and run without allocating: every
 * method works on a caller-given range and writes into caller-given buffers. Two implementations, the scalar
 * {@link ScalarLayerKernels} and the Java Vector API {@code VectorLayerKernels}, chosen once by
 * {@link LayerKernelProvider}; both return exactly the reference's bits. Arguments are trusted: the layers
 * validate them before calling.
 *
 * <p>Weights come either as a heap {@code byte[]} (loaded with array loads) or as a {@link MemorySegment}
 * (native, mapped, or another heap form), in separate methods so that one code path never sees both kinds:
 * mixing them is the profile-pollution trap of the foreign memory API. Activations are always heap arrays
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
     * {@code xw[c] = x[xOffset + c]} for {@code c < n}: one activation row widened to 16 bits, once per row, for
     * every {@code dots} call over that row.
     */
    void widen(byte[] x, int xOffset, int n, short[] xw);

    /**
     * {@code dots[dotsOffset + (r - rowFrom)] = Σ_c w[r][c] · xw[c]} (int32, wrapping) for
     * {@code rowFrom <= r < rowTo}, with {@code w[r][c]} at {@code weights[weightsOffset + r·cols + c]} and the
     * activations {@code xw} from {@link #widen} (int8 values, at offset 0).
     */
    void dots(byte[] weights, int weightsOffset, int cols, int rowFrom, int rowTo, short[] xw, int[] dots,
            int dotsOffset);

    /** As {@link #dots(byte[], int, int, int, int, short[], int[], int)}, weights in a segment at byte offsets. */
    void dots(MemorySegment weights, long weightsOffset, int cols, int rowFrom, int rowTo, short[] xw, int[] dots,
            int dotsOffset);

    /** The length of a {@link #widenRows4} buffer for rows of {@code n} columns. */
    int packedLength(int n);

    /**
     * Widens four activation rows, row {@code k} at {@code x[xOffset + k·n ...]}, into {@code packed} (at least
     * {@link #packedLength}{@code (n)} long) in whatever layout {@link #dots4} of the same kernels reads.
     */
    void widenRows4(byte[] x, int xOffset, int n, short[] packed);

    /**
     * {@link #dots(byte[], int, int, int, int, short[], int[], int)} for the four activation rows of a
     * {@link #widenRows4} buffer: {@code dots[dotsOffset + k·dotsStride + (r - rowFrom)] = Σ_c w[r][c] · x_k[c]}.
     */
    void dots4(byte[] weights, int weightsOffset, int cols, int rowFrom, int rowTo, short[] packed, int[] dots,
            int dotsOffset, int dotsStride);

    /** As {@link #dots4(byte[], int, int, int, int, short[], int[], int, int)}, weights in a segment. */
    void dots4(MemorySegment weights, long weightsOffset, int cols, int rowFrom, int rowTo, short[] packed, int[] dots,
            int dotsOffset, int dotsStride);

    /** {@code sums[r] = Σ_c w[r][c]} for {@code r < rows} (int32, wrapping). */
    void rowSums(byte[] weights, int weightsOffset, int rows, int cols, int[] sums);

    /** As {@link #rowSums(byte[], int, int, int, int[])}, weights in a segment. */
    void rowSums(MemorySegment weights, long weightsOffset, int rows, int cols, int[] sums);

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
