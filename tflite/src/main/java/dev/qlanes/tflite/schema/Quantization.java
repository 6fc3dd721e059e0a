package dev.qlanes.tflite.schema;

import java.util.Arrays;

/**
 * Affine quantization of a tensor, {@code real = scale * (q - zeroPoint)}: TFLite's {@code QuantizationParameters}
 * as its interpreter accepts them. One scale and zero point for the whole tensor (per-tensor), or one per index of
 * the shape's dimension {@code quantizedDimension} (per-channel, e.g. per output row of FULLY_CONNECTED weights).
 *
 * <p>Invariants (checked here and, with the file position in the message, by the reader): at least one scale; as
 * many zero points as scales; every scale finite and {@code > 0}; {@code quantizedDimension >= 0}. The reader also
 * checks what needs the tensor: zero points within its type's range, {@code quantizedDimension} within its rank,
 * and a per-channel count equal to {@code shape[quantizedDimension]}.
 *
 * @param scales one scale per tensor or per channel (copied in and out)
 * @param zeroPoints as many zero points as scales (copied in and out)
 * @param quantizedDimension the dimension of the shape the channels run along (0 for per-tensor)
 */
public record Quantization(float[] scales, long[] zeroPoints, int quantizedDimension) {

    /**
     * @throws IllegalArgumentException if an invariant above does not hold
     * @throws NullPointerException if an array is null
     */
    public Quantization {
        scales = scales.clone();
        zeroPoints = zeroPoints.clone();
        if (scales.length == 0) {
            throw new IllegalArgumentException("no scales");
        }
        if (zeroPoints.length != scales.length) {
            throw new IllegalArgumentException(zeroPoints.length + " zero points for " + scales.length + " scales");
        }
        for (int i = 0; i < scales.length; i++) {
            if (!isValidScale(scales[i])) {
                throw new IllegalArgumentException("scale[" + i + "] = " + scales[i] + " is not finite and > 0");
            }
        }
        if (quantizedDimension < 0) {
            throw new IllegalArgumentException("quantizedDimension " + quantizedDimension + " < 0");
        }
    }

    /**
     * A per-tensor quantization.
     *
     * @param scale the scale, finite and {@code > 0}
     * @param zeroPoint the zero point
     * @return quantization with one scale and zero point, quantized dimension 0
     */
    public static Quantization perTensor(float scale, long zeroPoint) {
        return new Quantization(new float[] {scale}, new long[] {zeroPoint}, 0);
    }

    static boolean isValidScale(float scale) {
        return scale > 0 && scale <= Float.MAX_VALUE; // false for NaN, zero, negatives and infinities
    }

    /** @return a copy of the scales */
    @Override
    public float[] scales() {
        return scales.clone();
    }

    /** @return a copy of the zero points */
    @Override
    public long[] zeroPoints() {
        return zeroPoints.clone();
    }

    /** @return the number of scales (1 per-tensor, else the channel count) */
    public int count() {
        return scales.length;
    }

    /**
     * @param channel {@code 0 <= channel < count()}
     * @return that channel's scale
     */
    public float scale(int channel) {
        return scales[channel];
    }

    /**
     * @param channel {@code 0 <= channel < count()}
     * @return that channel's zero point
     */
    public long zeroPoint(int channel) {
        return zeroPoints[channel];
    }

    /**
     * @return whether there is more than one scale. A per-channel tensor whose quantized dimension has size 1 has
     *         one scale and is per-tensor here, which computes the same.
     */
    public boolean perChannel() {
        return scales.length > 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantization q && quantizedDimension == q.quantizedDimension
                && Arrays.equals(scales, q.scales) && Arrays.equals(zeroPoints, q.zeroPoints);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(scales) + Arrays.hashCode(zeroPoints)) + quantizedDimension;
    }

    @Override
    public String toString() {
        return perChannel()
                ? "Quantization[" + scales.length + " channels along dimension " + quantizedDimension + ", scales="
                        + Arrays.toString(scales) + ", zeroPoints=" + Arrays.toString(zeroPoints) + "]"
                : "Quantization[scale=" + scales[0] + ", zeroPoint=" + zeroPoints[0] + "]";
    }
}
