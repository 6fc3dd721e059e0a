package dev.qlanes.reference;

import dev.qlanes.reference.internal.Check;
import java.util.Arrays;

/**
 * TFLite's float32 FULLY_CONNECTED as {@code Register_FULLY_CONNECTED_REF} computes it: {@code Eval}'s
 * empty-filter rule, then {@code reference_ops::FullyConnected} (float) with the activation bounds of
 * {@code CalculateActivationRange<float>}. Float input and weights, optional float bias, float output.
 */
public final class ReferenceFloatFullyConnected {
    private ReferenceFloatFullyConnected() {}

    /**
     * Evaluates the layer. For each batch row {@code b} and unit {@code u}:
     * <ol>
     *   <li>{@code total = 0.0f}, then {@code total += input[b][d] * weights[u][d]} for {@code d} in increasing
     *       order, each product and sum rounded to float (no FMA, no reordering);</li>
     *   <li>{@code output[b][u] = act(total + bias[u])}, with {@code 0.0f} for an absent bias;</li>
     *   <li>{@code act} is {@link FloatActivationRange#of(FusedActivation)}: NONE clamps to
     *       {@code [-FLT_MAX, FLT_MAX]}, so an infinite result becomes {@code ±Float.MAX_VALUE}; RELU clamps to
     *       {@code [0, FLT_MAX]}; NaN passes through every activation.</li>
     * </ol>
     * A filter with no columns ({@code inputSize == 0}) gives an all-{@code +0.0f} output whatever the bias and
     * activation, as TFLite's {@code Eval} zero-fills the output before reaching the kernel.
     *
     * <p>This is the reference kernel's order; TFLite's default kernel (ruy/Eigen GEMM) sums in another order
     * and can differ in the last bits.
     *
     * @param input   {@code [batch][inputSize]}, row-major
     * @param weights {@code [units][inputSize]}, row-major (TFLite's filter layout)
     * @param bias    nullable, {@code [units]}
     * @param output  {@code [batch][units]}, overwritten
     */
    public static void eval(float[] input, int batch, int inputSize, float[] weights, int units, float[] bias,
            FusedActivation activation, float[] output) {
        Check.nonNegative("batch", batch);
        Check.nonNegative("inputSize", inputSize);
        Check.nonNegative("units", units);
        Check.array("input", input, (long) batch * inputSize, "batch * inputSize");
        Check.array("weights", weights, (long) units * inputSize, "units * inputSize");
        Check.optionalArray("bias", bias, units, "units");
        FloatActivationRange range = FloatActivationRange.of(activation);
        Check.array("output", output, (long) batch * units, "batch * units");

        if (inputSize == 0) {
            Arrays.fill(output, 0, batch * units, 0.0f);
            return;
        }
        for (int b = 0; b < batch; b++) {
            for (int u = 0; u < units; u++) {
                float total = 0.0f;
                for (int d = 0; d < inputSize; d++) {
                    total += input[b * inputSize + d] * weights[u * inputSize + d];
                }
                float biasValue = bias != null ? bias[u] : 0.0f;
                output[b * units + u] = range.apply(total + biasValue);
            }
        }
    }
}
