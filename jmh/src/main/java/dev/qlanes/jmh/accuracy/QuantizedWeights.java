package dev.qlanes.jmh.accuracy;

import dev.qlanes.TensorUtils;

/**
 * Symmetric int8 weights {@code w ≈ S2 · q2} with {@code Z2 = 0} and {@code q2 ∈ [-127, 127]}, as TFLite
 * stores them for both the hybrid and the full-integer FULLY_CONNECTED. Quantized with qlanes'
 * {@link TensorUtils#symmetricQuantizeFloats(float[], int, byte[], float[])} (TFLite's
 * {@code SymmetricQuantizeFloats}, which TFLite's converter also uses for dynamic-range weights):
 * {@code S2 = max|w| / 127}, {@code q2 = round(w · 127 / max|w|)}.
 *
 * @param values        {@code [units][inputSize]} int8
 * @param scale         the per-tensor scale; for per-channel weights the largest channel scale (unused)
 * @param channelScales {@code [units]} per-row scales, or {@code null} for per-tensor weights
 */
public record QuantizedWeights(byte[] values, int units, int inputSize, float scale, float[] channelScales) {

    /** Whether each output row has its own scale. */
    public boolean perChannel() {
        return channelScales != null;
    }

    /** The scale that applies to output row {@code row}. */
    public float scaleOf(int row) {
        return channelScales != null ? channelScales[row] : scale;
    }

    /** One scale for the whole matrix: the largest |w| anywhere sets the step for every row. */
    public static QuantizedWeights perTensor(float[] weights, int units, int inputSize) {
        byte[] q = new byte[units * inputSize];
        float scale = TensorUtils.symmetricQuantizeFloats(weights, units * inputSize, q, new float[2]);
        return new QuantizedWeights(q, units, inputSize, scale, null);
    }

    /** One scale per output row (TFLite's quantized dimension 0 of the filter). */
    public static QuantizedWeights perChannel(float[] weights, int units, int inputSize) {
        byte[] q = new byte[units * inputSize];
        float[] scales = new float[units];
        float[] row = new float[inputSize];
        byte[] rowQ = new byte[inputSize];
        float largest = 0;
        for (int r = 0; r < units; r++) {
            System.arraycopy(weights, r * inputSize, row, 0, inputSize);
            scales[r] = TensorUtils.symmetricQuantizeFloats(row, inputSize, rowQ, new float[2]);
            System.arraycopy(rowQ, 0, q, r * inputSize, inputSize);
            largest = Math.max(largest, scales[r]);
        }
        return new QuantizedWeights(q, units, inputSize, largest, scales);
    }
}
