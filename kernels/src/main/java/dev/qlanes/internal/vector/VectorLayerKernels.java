package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.FLOATS;
import static dev.qlanes.internal.vector.VectorShapes.INTS;

import dev.qlanes.internal.LayerKernels;
import dev.qlanes.reference.InputQuantizer;
import dev.qlanes.reference.Rounding;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link LayerKernels} on Java Vector API kernels at {@link VectorShapes#BITS} bits: {@link RowRangeDotKernel}
 * for heap weights, {@link SegmentDotKernel} for segment weights, {@link VectorFloatQuantizer#minMax} and
 * {@link InputQuantizer} for the per-row quantization parameters (as {@code VectorTensorKernels} does), and
 * lane-wise quantization, epilogues and requantization in the reference's operation order, with the arithmetic of
 * {@link VectorFloatQuantizer} and {@link VectorFixedPoint}. The lane loops are written out in single methods, so
 * that once C2 has compiled them nothing allocates: a vector passed to or returned from a call that is not inlined
 * is boxed, and C2 does not inline a helper it already compiled on its own (as happens during warm-up) when that
 * code is large. Loaded reflectively by {@code LayerKernelProvider}.
 */
public final class VectorLayerKernels implements LayerKernels {


    /** The instance {@code LayerKernelProvider} uses. */
    public static VectorLayerKernels create() {
        return new VectorLayerKernels();
    }

    private VectorLayerKernels() {}

    /** Segment kernels for native and for memory-mapped weights: separate code, separate JIT profiles. */
    private final SegmentRowKernel nativeSegments;
    private final SegmentRowKernel mappedSegments;

    {
        SegmentRowKernel[] kinds = SegmentDotKernel.perKind();
        nativeSegments = kinds[0];
        mappedSegments = kinds[1];
    }

    private SegmentRowKernel segments(MemorySegment weights) {
        return weights.isMapped() ? mappedSegments : nativeSegments;
    }

    @Override
    public boolean vectorized() {
        return true;
    }

    @Override
    public String description() {
        return "vector " + VectorShapes.BITS + "-bit" + (mappedSegments == nativeSegments
                ? " (one segment kernel for native and mapped weights: no hidden-class copy)" : "");
    }

    @Override
    public boolean isZero(float[] values, int offset, int n) {
        int i = 0;
        for (int bound = FLOATS.loopBound(n); i < bound; i += FLOATS.length()) {
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
            double rmin = InputQuantizer.asymmetricRangeMin(extremes[0]);
            double rmax = InputQuantizer.asymmetricRangeMax(extremes[1]);
            if (rmin == rmax) {
                Arrays.fill(quantized, offset, offset + n, (byte) 0);
                zeroPoints[zeroPointIndex] = 0;
                return 1.0f;
            }
            double scale = InputQuantizer.asymmetricScale(rmin, rmax);
            int zeroPoint = InputQuantizer.asymmetricZeroPoint(rmin, rmax, scale);
            float scalingFactor = (float) scale;
            VectorFloatQuantizer.quantizeRow(values, offset, n, InputQuantizer.asymmetricInverse(scalingFactor), true,
                    zeroPoint,
                    InputQuantizer.INT8_MIN, InputQuantizer.INT8_MAX, quantized);
            zeroPoints[zeroPointIndex] = zeroPoint;
            return scalingFactor;
        }
        zeroPoints[zeroPointIndex] = 0;
        float range = InputQuantizer.symmetricRange(extremes[0], extremes[1]);
        if (range == 0.0f) {
            Arrays.fill(quantized, offset, offset + n, (byte) 0);
            return 1.0f;
        }
        VectorFloatQuantizer.quantizeRow(values, offset, n, InputQuantizer.symmetricInverse(range), false, 0,
                -InputQuantizer.SYMMETRIC_MAX, InputQuantizer.SYMMETRIC_MAX, quantized);
        return InputQuantizer.symmetricScalingFactor(range);
    }

    @Override
    public void widen(byte[] x, int xOffset, int n, short[] xw) {
        RowRangeDotKernel.widenRow(x, xOffset, n, xw);
    }

    @Override
    public void dots(byte[] weights, int weightsOffset, int cols, int rowFrom, int rowTo, short[] xw, int[] dots,
            int dotsOffset) {
        RowRangeDotKernel.dots(weights, weightsOffset, cols, rowFrom, rowTo, xw, dots, dotsOffset);
    }

    @Override
    public void dots(MemorySegment weights, long weightsOffset, int cols, int rowFrom, int rowTo, short[] xw,
            int[] dots, int dotsOffset) {
        segments(weights).dots(weights, weightsOffset, cols, rowFrom, rowTo, xw, dots, dotsOffset);
    }

    @Override
    public int packedLength(int n) {
        return RowRangeDotKernel.packedLength(n);
    }

    @Override
    public void widenRows4(byte[] x, int xOffset, int n, short[] packed) {
        RowRangeDotKernel.widenRows4(x, xOffset, n, packed);
    }

    @Override
    public void dots4(byte[] weights, int weightsOffset, int cols, int rowFrom, int rowTo, short[] packed, int[] dots,
            int dotsOffset, int dotsStride) {
        RowRangeDotKernel.dots4(weights, weightsOffset, cols, rowFrom, rowTo, packed, dots, dotsOffset, dotsStride);
    }

    @Override
    public void dots4(MemorySegment weights, long weightsOffset, int cols, int rowFrom, int rowTo, short[] packed,
            int[] dots, int dotsOffset, int dotsStride) {
        segments(weights).dots4(weights, weightsOffset, cols, rowFrom, rowTo, packed, dots, dotsOffset, dotsStride);
    }

    @Override
    public void rowSums(byte[] weights, int weightsOffset, int rows, int cols, int[] sums) {
        RowRangeDotKernel.rowSums(weights, weightsOffset, rows, cols, sums);
    }

    @Override
    public void rowSums(MemorySegment weights, long weightsOffset, int rows, int cols, int[] sums) {
        segments(weights).rowSums(weights, weightsOffset, rows, cols, sums);
    }

    @Override
    public boolean containsMinus128(byte[] weights, int offset, int n) {
        return RowRangeDotKernel.containsMinus128(weights, offset, n);
    }

    @Override
    public boolean containsMinus128(MemorySegment weights, long offset, long n) {
        return segments(weights).containsMinus128(weights, offset, n);
    }

    @Override
    public void hybridEpilogue(int[] dots, int dotsOffset, int n, int row0, float scale, float[] perChannelScale,
            int[] rowSums, int zeroPoint, float[] bias, float[] result, int resultOffset) {
        FloatVector broadcastScale = FloatVector.broadcast(FLOATS, scale);
        int i = 0;
        for (int bound = FLOATS.loopBound(n); i < bound; i += FLOATS.length()) {
            IntVector dot = IntVector.fromArray(INTS, dots, dotsOffset + i)
                    .sub(IntVector.fromArray(INTS, rowSums, row0 + i).mul(zeroPoint));
            FloatVector s = perChannelScale == null ? broadcastScale
                    : broadcastScale.mul(FloatVector.fromArray(FLOATS, perChannelScale, row0 + i));
            FloatVector product = ((FloatVector) dot.convert(VectorOperators.I2F, 0)).mul(s);
            FloatVector.fromArray(FLOATS, bias, row0 + i).add(product).intoArray(result, resultOffset + i);
        }
        for (; i < n; i++) {
            float s = scale;
            if (perChannelScale != null) {
                s *= perChannelScale[row0 + i];
            }
            int dot = dots[dotsOffset + i] - rowSums[row0 + i] * zeroPoint;
            result[resultOffset + i] = bias[row0 + i] + (float) dot * s;
        }
    }

    /** Bias, then {@link IntegerRequantizer#requantizeInPlace} (the facade's loop), then clamp and narrow. */
    @Override
    public void requantize(int[] acc, int accOffset, int n, int row0, int[] bias, int[] multipliers, int[] shifts,
            boolean perChannel, int outputOffset, int min, int max, Rounding rounding, byte[] out, int outOffset) {
        for (int i = 0; i < n; i++) {
            acc[accOffset + i] += bias[row0 + i];
        }
        if (perChannel) {
            IntegerRequantizer.requantizeInPlace(acc, accOffset, n, 0, 0, multipliers, shifts, row0, rounding,
                    outputOffset);
        } else {
            IntegerRequantizer.requantizeInPlace(acc, accOffset, n, multipliers[0], shifts[0], null, null, 0, rounding,
                    outputOffset);
        }
        for (int i = 0; i < n; i++) { // clamp, then narrow (exact)
            out[outOffset + i] = (byte) Math.min(max, Math.max(min, acc[accOffset + i]));
        }
    }
}
