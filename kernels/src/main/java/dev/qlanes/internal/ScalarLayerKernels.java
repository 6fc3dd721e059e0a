package dev.qlanes.internal;

import dev.qlanes.reference.FixedPoint;
import dev.qlanes.reference.InputQuantizer;
import dev.qlanes.reference.ReferenceIntegerOps;
import dev.qlanes.reference.Rounding;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * {@link LayerKernels} as plain loops over the reference's own scalar functions ({@link InputQuantizer},
 * {@link FixedPoint}, {@link ReferenceIntegerOps#requantizeInDouble}): the implementation when the Vector API cannot be used. Segment weights are read one
 * byte at a time with {@link ValueLayout#JAVA_BYTE}.
 */
public final class ScalarLayerKernels implements LayerKernels {
    private final String description;

    /** The scalar kernels, described as {@code reference}. */
    public ScalarLayerKernels() {
        this("reference");
    }

    /** The scalar kernels with a description saying why they run. */
    public ScalarLayerKernels(String description) {
        this.description = description;
    }

    @Override
    public boolean vectorized() {
        return false;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public boolean isZero(float[] values, int offset, int n) {
        for (int i = offset; i < offset + n; i++) {
            if (values[i] != 0.0f) {
                return false;
            }
        }
        return true;
    }

    @Override
    public float quantizeRow(float[] values, int offset, int n, byte[] quantized, boolean asymmetric,
            int[] zeroPoints, int zeroPointIndex, float[] extremes) {
        long packed = InputQuantizer.minMaxIndices(values, offset, n);
        float min = values[offset + InputQuantizer.minIndex(packed)];
        float max = values[offset + InputQuantizer.maxIndex(packed)];
        return asymmetric ? asymmetricRow(values, offset, n, quantized, zeroPoints, zeroPointIndex, min, max)
                : symmetricRow(values, offset, n, quantized, zeroPoints, zeroPointIndex, min, max);
    }

    /** The symmetric row of §2.1 given the row's min and max, as the reference computes it. */
    static float symmetricRow(float[] values, int offset, int n, byte[] quantized, int[] zeroPoints,
            int zeroPointIndex, float min, float max) {
        zeroPoints[zeroPointIndex] = 0;
        float range = InputQuantizer.symmetricRange(min, max);
        if (range == 0.0f) {
            Arrays.fill(quantized, offset, offset + n, (byte) 0);
            return 1.0f;
        }
        float inverse = InputQuantizer.symmetricInverse(range);
        for (int i = offset; i < offset + n; i++) {
            quantized[i] = InputQuantizer.symmetricQuantize(values[i], inverse);
        }
        return InputQuantizer.symmetricScalingFactor(range);
    }

    /** The asymmetric row of §2.2 given the row's min and max, as the reference computes it. */
    static float asymmetricRow(float[] values, int offset, int n, byte[] quantized, int[] zeroPoints,
            int zeroPointIndex, float min, float max) {
        double rmin = InputQuantizer.asymmetricRangeMin(min);
        double rmax = InputQuantizer.asymmetricRangeMax(max);
        if (rmin == rmax) {
            Arrays.fill(quantized, offset, offset + n, (byte) 0);
            zeroPoints[zeroPointIndex] = 0;
            return 1.0f;
        }
        double scale = InputQuantizer.asymmetricScale(rmin, rmax);
        int zeroPoint = InputQuantizer.asymmetricZeroPoint(rmin, rmax, scale);
        float scalingFactor = (float) scale;
        float inverse = InputQuantizer.asymmetricInverse(scalingFactor);
        for (int i = offset; i < offset + n; i++) {
            quantized[i] = InputQuantizer.asymmetricQuantize(values[i], inverse, zeroPoint);
        }
        zeroPoints[zeroPointIndex] = zeroPoint;
        return scalingFactor;
    }

    /** None: speed is not this class's aim, and the layers' general path computes the same bits. */
    @Override
    public Int8RowKernel int8Row(MemorySegment weights, int rows, int cols, int[] bias, int[] multipliers,
            int[] shifts, boolean perChannel, int outputOffset, int min, int max) {
        return null;
    }

    /** The weights read one byte at a time; heap arrays through a segment over them (speed is not this class's aim). */
    @Override
    public DotRows rows(byte[] weights, int offset, int rows, int cols) {
        return new ScalarDotRows(MemorySegment.ofArray(weights).asSlice(offset, (long) rows * cols), rows, cols);
    }

    @Override
    public DotRows rows(MemorySegment weights, int rows, int cols) {
        return new ScalarDotRows(weights, rows, cols);
    }

    @Override
    public FloatRows floatRows(float[] weights, int rows, int cols) {
        return new ScalarFloatRows(weights, rows, cols);
    }

    @Override
    public void hybridEpilogue(int[] dots, int dotsOffset, int n, int row0, float scale, float[] perChannelScale,
            int[] rowSums, int zeroPoint, float[] bias, float[] result, int resultOffset) {
        for (int i = 0; i < n; i++) {
            float s = scale;
            if (perChannelScale != null) {
                s *= perChannelScale[row0 + i];
            }
            int dot = dots[dotsOffset + i] - rowSums[row0 + i] * zeroPoint;
            result[resultOffset + i] = bias[row0 + i] + (float) dot * s;
        }
    }

    @Override
    public void requantize(int[] acc, int accOffset, int n, int row0, int[] bias, int[] multipliers, int[] shifts,
            boolean perChannel, int outputOffset, int min, int max, Rounding rounding, byte[] out, int outOffset) {
        for (int i = 0; i < n; i++) {
            int channel = perChannel ? row0 + i : 0;
            int y = FixedPoint.multiplyByQuantizedMultiplier(acc[accOffset + i] + bias[row0 + i],
                    multipliers[channel], shifts[channel], rounding) + outputOffset;
            out[outOffset + i] = (byte) Math.min(max, Math.max(min, y));
        }
    }

    @Override
    public void requantizeInDouble(int[] acc, int accOffset, int n, int row0, int[] bias, double[] effectiveScales,
            boolean perChannel, int outputOffset, int min, int max, byte[] out, int outOffset) {
        for (int i = 0; i < n; i++) {
            double eff = effectiveScales[perChannel ? row0 + i : 0];
            int y = ReferenceIntegerOps.requantizeInDouble(acc[accOffset + i] + bias[row0 + i], eff) + outputOffset;
            out[outOffset + i] = (byte) Math.min(max, Math.max(min, y));
        }
    }
}
