package dev.qlanes.jmh.accuracy;

import dev.qlanes.TensorUtils;

/**
 * TFLite's hybrid ("dynamic-range") FULLY_CONNECTED, {@code EvalHybridDense} (docs/semantics.md §4.1), spelled
 * out with qlanes' {@link TensorUtils} so that each step is visible; it returns the same bits as
 * {@link dev.qlanes.reference.ReferenceHybridFullyConnected} (a test checks this).
 *
 * <p>Why it stays close to float: each batch row {@code x} is quantized on the fly with its own scale
 * {@code S1} (and zero point {@code Z1} if asymmetric), the int32 accumulator {@code Σ q2·(q1 − Z1)} is
 * exact, and it is turned back into float by one multiplication with {@code S1·S2}. There is no output
 * scale {@code S3}, no output zero point {@code Z3} and no second rounding to 8 bits, so nothing has to be
 * calibrated and no output can fall outside a range chosen in advance.
 */
public final class HybridPath {
    private HybridPath() {}

    /**
     * @param input      {@code [batch][inputSize]} float activations
     * @param weights    symmetric int8 weights, per tensor or per channel
     * @param bias       {@code [units]} float bias
     * @param asymmetric quantize inputs with a zero point ({@code asymmetric_quantize_inputs})
     * @return {@code [batch][units]} float outputs (activation NONE)
     */
    public static float[] run(float[] input, int batch, QuantizedWeights weights, float[] bias, boolean asymmetric) {
        int units = weights.units();
        int inputSize = weights.inputSize();
        // Step 1: out = bias. The int8 product is *accumulated* onto it, so the bias is never quantized.
        float[] out = new float[batch * units];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(bias, 0, out, b * units, units);
        }
        // Step 2: an all-zero input leaves out == bias exactly (TFLite's IsZeroVector shortcut).
        if (TensorUtils.isZeroVector(input, batch * inputSize)) {
            return out;
        }
        // Step 4: BatchQuantizeFloats: per row, S1 = range / 127 (symmetric) or (max − min) / 255 with Z1.
        byte[] q1 = new byte[batch * inputSize];
        float[] scale = new float[batch];
        int[] zeroPoint = new int[batch];
        TensorUtils.batchQuantizeFloats(input, batch, inputSize, q1, scale, zeroPoint, asymmetric);
        // Step 5: per tensor, fold S2 into the row scales now: S = fl32(S1 · S2). Per channel, the kernel
        // forms fl32(S1 · S2[u]) itself.
        float[] perChannel = weights.channelScales();
        if (perChannel == null) {
            for (int b = 0; b < batch; b++) {
                scale[b] *= weights.scale();
            }
        }
        // Step 6: out[b][u] += fl32((float)(Σ q2·q1 − rowSum[u]·Z1[b]) · S). The row sums Σ_c q2[u][c]
        // turn Σ q2·(q1 − Z1) into Σ q2·q1 − Z1·Σ q2, so the inner loop stays a plain int8 dot product.
        int[] rowSums = new int[units];
        TensorUtils.reductionSumVector(weights.values(), rowSums, units, inputSize);
        TensorUtils.matrixBatchVectorMultiplyAccumulate(weights.values(), units, inputSize, q1, scale, batch, out,
                perChannel, zeroPoint, rowSums);
        return out;
    }
}
