package dev.qlanes.jmh.accuracy;

import dev.qlanes.TensorUtils;

/**
 * The unquantized layer {@code y = W·x + b}, twice: in double, the "truth" every path is measured against,
 * and in float32 the way TFLite's portable float FULLY_CONNECTED computes it (bias first, then
 * {@code MatrixBatchVectorMultiplyAccumulate} in float, products and sums rounded to float in column order).
 */
public final class FloatPath {
    private FloatPath() {}

    /**
     * {@code Σ_c (double) w[u][c] · (double) x[b][c] + bias[u]} in double: exact products (24-bit × 24-bit
     * significands fit in 53 bits) and a sum whose rounding error is far below anything float32 or int8 adds.
     */
    public static double[] truth(float[] weights, int units, int inputSize, float[] bias, float[] input, int batch) {
        double[] out = new double[batch * units];
        for (int b = 0; b < batch; b++) {
            for (int u = 0; u < units; u++) {
                double sum = 0;
                int w = u * inputSize;
                int x = b * inputSize;
                for (int c = 0; c < inputSize; c++) {
                    sum += (double) weights[w + c] * (double) input[x + c];
                }
                out[b * units + u] = sum + bias[u];
            }
        }
        return out;
    }

    /** TFLite's float32 result: {@code out = bias}, then {@code out += fl32 dot product} (docs/semantics.md §3.1). */
    public static float[] float32(float[] weights, int units, int inputSize, float[] bias, float[] input, int batch) {
        float[] out = new float[batch * units];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(bias, 0, out, b * units, units);
        }
        TensorUtils.matrixBatchVectorMultiplyAccumulate(weights, units, inputSize, input, batch, out);
        return out;
    }
}
