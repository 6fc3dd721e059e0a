package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS;
import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.FLOATS;
import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.INTS_CLASS;

import dev.qlanes.internal.DotRows;
import dev.qlanes.internal.FloatRows;
import dev.qlanes.internal.Int8RowKernel;
import dev.qlanes.internal.LayerKernels;
import dev.qlanes.reference.Rounding;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link LayerKernels} on Java Vector API kernels at {@link VectorShapes#BITS} bits: the generated loops
 * {@link ArrayDotLoops} for heap weights, {@link NativeDotLoops} and {@link NativeShortRowLoops} for segment weights,
 * {@link VectorFloatQuantizer}'s rows for the input quantization (as {@code VectorTensorKernels} uses them), and
 * lane-wise epilogues and requantization in the reference's operation order, with {@link IntegerRequantizer}'s
 * fixed-point loops. The lane loops are written out in single methods, so that once C2 has compiled them nothing
 * allocates: a vector passed to or returned from a call that is not inlined is boxed, and C2 does not inline a helper
 * it already compiled on its own (as happens during warm-up) when that code is large. Loaded reflectively by
 * {@code KernelProvider}.
 */
public final class VectorLayerKernels implements LayerKernels {
    /**
     * Elements tested one by one before the vector loop. A real activation row almost never starts with this many
     * zeros, so the scalar test settles nearly every call. The layers call this once per call, and at large shapes
     * the calling method runs thousands of calls in C1 before C2 compiles it; C1 does not intrinsify the Vector API,
     * so each vector op there allocates (~270 B per call at 64x4096x1024 until C2 took over, about 6 s in).
     */
    private static final int SCALAR_PREFIX = 16;

    /** The instance {@code KernelProvider} uses. */
    public static VectorLayerKernels create() {
        return new VectorLayerKernels();
    }

    private VectorLayerKernels() {}

    @Override
    public boolean vectorized() {
        return true;
    }

    @Override
    public String description() {
        return "vector " + VectorShapes.BITS + "-bit";
    }

    @Override
    public boolean isZero(float[] values, int offset, int n) {
        return allZero(values, offset, n);
    }

    /**
     * Whether every {@code values[offset .. offset+n)} is {@code == 0.0f}: -0.0 counts as zero, NaN does not
     * ({@code IsZeroVector} in docs/semantics.md). Shared by the layers and the {@code TensorUtils} facade.
     */
    static boolean allZero(float[] values, int offset, int n) {
        int i = 0;
        for (int prefix = Math.min(n, SCALAR_PREFIX); i < prefix; i++) {
            if (values[offset + i] != 0.0f) {
                return false;
            }
        }
        for (int bound = i + FLOATS.loopBound(n - i); i < bound; i += FLOATS.length()) {
            if (FloatVector.fromArray(FLOATS, values, offset + i).compare(VectorOperators.NE, 0.0f).anyTrue()) {
                return false;
            }
        }
        for (; i < n; i++) {
            if (values[offset + i] != 0.0f) {
                return false;
            }
        }
        return true;
    }

    @Override
    public float quantizeRow(float[] values, int offset, int n, byte[] quantized, boolean asymmetric,
            int[] zeroPoints, int zeroPointIndex, float[] extremes) {
        VectorFloatQuantizer.minMax(values, offset, n, extremes);
        if (asymmetric) {
            return VectorFloatQuantizer.asymmetricRow(values, offset, n, quantized, zeroPoints, zeroPointIndex,
                    extremes[0], extremes[1]);
        }
        zeroPoints[zeroPointIndex] = 0;
        return VectorFloatQuantizer.symmetricRow(values, offset, n, quantized, extremes[0], extremes[1]);
    }

    @Override
    public DotRows rows(byte[] weights, int offset, int rows, int cols) {
        return shortRows(new ArrayDotLoops(weights, offset, rows, cols),
                MemorySegment.ofArray(weights).asSlice(offset, (long) rows * cols), rows, cols);
    }

    /**
     * Native weights (mapped ones arrive copied, see {@code PreparedWeights}): loops of their own class, with uncounted
     * column loops for rows of few steps ({@link NativeShortRowLoops}).
     */
    @Override
    public DotRows rows(MemorySegment weights, int rows, int cols) {
        DotRows loops = cols <= NativeShortRowLoops.MAX_COLS ? new NativeShortRowLoops(weights, 0, rows, cols)
                : new NativeDotLoops(weights, 0, rows, cols);
        return shortRows(loops, weights, rows, cols);
    }

    /**
     * {@code loops}, or for rows shorter than the row-major loops' double step, in either memory, the
     * {@link TransposedDotRows} over them.
     */
    private static DotRows shortRows(DotRows loops, MemorySegment weights, int rows, int cols) {
        return TransposedDotRows.serves(rows, cols) ? new TransposedDotRows(loops, weights, rows, cols) : loops;
    }

    /** {@link LaneFoldLayer}: up to {@link LaneFoldLayer#MAX_ROWS} outputs, one int vector's lanes. */
    @Override
    public Int8RowKernel int8Row(MemorySegment weights, int rows, int cols, int[] bias, int[] multipliers,
            int[] shifts, boolean perChannel, int outputOffset, int min, int max) {
        return LaneFoldLayer.of(weights, rows, cols, bias, multipliers, shifts, perChannel, outputOffset, min, max);
    }

    @Override
    public FloatRows floatRows(float[] weights, int rows, int cols) {
        return new PackedFloatRows(weights, rows, cols);
    }

    @Override
    public void hybridEpilogue(int[] dots, int dotsOffset, int n, int row0, float scale, float[] perChannelScale,
            int[] rowSums, int zeroPoint, float[] bias, float[] result, int resultOffset) {
        HybridEpilogue.apply(dots, dotsOffset, n, row0, scale, perChannelScale, rowSums, zeroPoint, bias, row0, result,
                resultOffset);
    }

    /** {@link IntegerRequantizer#requantizeToInt8}: the facade's loop, with the bias, clamped and narrowed in its lanes. */
    @Override
    public void requantize(int[] acc, int accOffset, int n, int row0, int[] bias, int[] multipliers, int[] shifts,
            boolean perChannel, int outputOffset, int min, int max, Rounding rounding, byte[] out, int outOffset) {
        if (perChannel) {
            IntegerRequantizer.requantizeToInt8(acc, accOffset, n, bias, row0, 0, 0, multipliers, shifts, row0,
                    rounding, outputOffset, min, max, out, outOffset);
        } else {
            IntegerRequantizer.requantizeToInt8(acc, accOffset, n, bias, row0, multipliers[0], shifts[0], null, null,
                    0, rounding, outputOffset, min, max, out, outOffset);
        }
    }

    /**
     * {@code out[outOffset + i] = (byte) clamp(acc[accOffset + i], min, max)} for {@code i < n}, one int vector at a
     * time, a partial last one in scalar code: the {@code DOUBLE_FLOAT} stage's second pass (the fixed-point stage narrows in its
     * rounding loops). The scalar loop it replaces cost ~0.5 ns per output (the int8 layer 1x640x128 was 1.28x the
     * hybrid one); {@code IntegerRequantizer.toInt8}, called here instead, allocated at batch 6 in
     * {@code LayerAllocationTest}, so this loop is the smallest form: one conversion, part 0, nothing across a call.
     *
     * <p>No masked byte store: AVX2 has none, and C2 then boxes the converted vector on every iteration, partial or
     * not, once any call has taken the masked path (1,200 B per call of a 40-unit int8 layer at batch 6 in
     * {@code LayerAllocationTest}, after the rest of the suite, on Zen 3). Whole vectors store plainly; a partial last
     * one (a small layer's whole output) is clamped and narrowed one by one from {@code acc}, with no vector at all.
     * (Extracting the lanes of the converted vector instead, {@code lane(j)}, failed the tflite module's allocation
     * test once in five runs: 480 B per hello_world run at batch 4.) At 128 bits a byte vector holds twice the int lanes: the
     * plain store writes the unused upper half as zeros over outputs the next iteration writes again.
     */
    private static void clampToInt8(int[] acc, int accOffset, int n, int min, int max, byte[] out, int outOffset) {
        int i = 0;
        for (int bound = n - BYTES_FOR_INTS.length(); i <= bound; i += INTS.length()) {
            IntVector y = IntVector.fromArray(INTS, acc, accOffset + i).max(min).min(max);
            BYTES_FOR_INTS_CLASS.cast(INTS_CLASS.cast(y).convertShape(VectorOperators.I2B, BYTES_FOR_INTS, 0))
                    .intoArray(out, outOffset + i);
        }
        for (; i < n; i++) {
            out[outOffset + i] = (byte) Math.min(max, Math.max(min, acc[accOffset + i]));
        }
    }

    /** {@link DoubleFloatRequantizer#requantizeInPlace} with the bias, then clamp and narrow. */
    @Override
    public void requantizeInDouble(int[] acc, int accOffset, int n, int row0, int[] bias, double[] effectiveScales,
            boolean perChannel, int outputOffset, int min, int max, byte[] out, int outOffset) {
        if (perChannel) {
            DoubleFloatRequantizer.requantizeInPlace(acc, accOffset, n, bias, row0, 0.0, effectiveScales, row0,
                    outputOffset);
        } else {
            DoubleFloatRequantizer.requantizeInPlace(acc, accOffset, n, bias, row0, effectiveScales[0], null, 0,
                    outputOffset);
        }
        clampToInt8(acc, accOffset, n, min, max, out, outOffset);
    }
}
