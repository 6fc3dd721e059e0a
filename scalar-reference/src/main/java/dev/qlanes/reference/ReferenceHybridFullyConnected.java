package dev.qlanes.reference;

import dev.qlanes.reference.internal.Check;

/**
 * TFLite's hybrid FULLY_CONNECTED ({@code EvalHybridDense}, docs/semantics.md §4.1): float input, int8 weights
 * with a per-tensor or per-output-channel float scale, float output. There is no output scale or zero
 * point: the int32 accumulator is dequantized directly with {@code input_scale × weight_scale}.
 */
public final class ReferenceHybridFullyConnected {
    private ReferenceHybridFullyConnected() {}

    /**
     * Evaluates the layer, in TFLite's order: {@code output = bias} (or 0); if every input element is
     * {@code == 0.0f} only the activation is applied; otherwise the input rows are quantized
     * ({@link PortableTensorUtils#batchQuantizeFloats}, symmetric or asymmetric), the scales combined
     * ({@code fl32(sf[b] * filterScale)} per tensor, or {@code perChannelScale} per row), and the §3.4 product
     * accumulated with the zero points and row sums; the activation comes last. A filter with no columns
     * ({@code inputSize == 0}) gives an all-zero output, as in TFLite. Each output is
     * {@code act(fl32(bias[u] + fl32((float)(Σ w·q − rowSum·zp) · S)))}.
     *
     * @param input           {@code [batch][inputSize]}
     * @param filter          {@code [units][inputSize]} int8, symmetric
     * @param filterScale     the per-tensor weight scale; ignored when {@code perChannelScale} is given
     * @param perChannelScale nullable, {@code [units]} weight scales per output channel
     * @param bias            nullable, {@code [units]}
     * @param output          {@code [batch][units]}, overwritten
     */
    public static void eval(float[] input, int batch, int inputSize, byte[] filter, int units, float filterScale,
            float[] perChannelScale, float[] bias, boolean asymmetricInputs, FusedActivation activation,
            float[] output) {
        Check.nonNegative("batch", batch);
        Check.nonNegative("inputSize", inputSize);
        Check.nonNegative("units", units);
        Check.array("input", input, (long) batch * inputSize, "batch * inputSize");
        Check.array("filter", filter, (long) units * inputSize, "units * inputSize");
        Check.optionalArray("perChannelScale", perChannelScale, units, "units");
        Check.optionalArray("bias", bias, units, "units");
        Check.notNull("activation", activation);
        Check.array("output", output, (long) batch * units, "batch * units");

        if (inputSize == 0) { // TFLite zero-fills the output of a filter with no columns, bias and all
            java.util.Arrays.fill(output, 0, batch * units, 0.0f);
            return;
        }
        for (int b = 0; b < batch; b++) {
            for (int u = 0; u < units; u++) {
                output[b * units + u] = bias != null ? bias[u] : 0.0f;
            }
        }
        if (!PortableTensorUtils.isZeroVector(input, batch * inputSize)) {
            byte[] quantized = new byte[batch * inputSize];
            float[] scalingFactors = new float[batch];
            int[] zeroPoints = new int[batch];
            PortableTensorUtils.batchQuantizeFloats(input, batch, inputSize, quantized, scalingFactors, zeroPoints,
                    asymmetricInputs);
            if (perChannelScale == null) {
                for (int b = 0; b < batch; b++) {
                    scalingFactors[b] *= filterScale;
                }
            }
            PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(filter, units, inputSize, quantized,
                    scalingFactors, batch, output, perChannelScale, zeroPoints, null);
        }
        for (int i = 0; i < batch * units; i++) {
            output[i] = activation.apply(output[i]);
        }
    }
}
