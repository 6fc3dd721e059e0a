package dev.qlanes;

import dev.qlanes.internal.FloatRows;
import dev.qlanes.internal.KernelProvider;
import dev.qlanes.reference.FloatActivationRange;
import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.ReferenceFloatFullyConnected;
import dev.qlanes.reference.internal.Check;
import java.util.Arrays;

/**
 * TFLite's float FULLY_CONNECTED (the reference kernel, docs/semantics.md §3.1 and §4.3) as a reusable layer: float
 * input {@code [batch × inputSize]}, float weights {@code [units × inputSize]} (copied and laid out once, at
 * {@link Builder#build()}), optional float bias, float output {@code [batch × units]}:
 * <pre>
 *   total = 0.0f;  for c in 0 .. inputSize-1:  total = fl32(total + fl32(x[b][c] · w[u][c]))
 *   out[b][u] = activation(fl32(total + bias[u]))          (bias 0.0f when absent)
 * </pre>
 * summed in the reference's column order without FMA, so results equal {@link ReferenceFloatFullyConnected#eval}
 * bit for bit (floats by raw bits), on the Vector API kernels and the scalar fallback alike, except which NaN a
 * NaN result is (docs/semantics.md §3.1, §6.11).
 * A layer with {@code inputSize == 0} writes zeros (no bias, no activation), as TFLite's reference does. The vector
 * kernels keep the weights transposed in panels of one vector's worth of rows, so each lane sums its own row in
 * order; this costs one more copy of the weights' size at build.
 *
 * <p>A layer is immutable and safe for concurrent calls; a call allocates nothing and runs on the calling thread.
 *
 * <p><b>Errors.</b> Every argument is validated before any output is written: null arrays throw
 * {@link NullPointerException}; a negative batch, or input and output being the same array,
 * {@link IllegalArgumentException}; arrays too small for {@code batch × inputSize} or {@code batch × units}
 * (computed in {@code long}) {@link IndexOutOfBoundsException}. Messages name the argument and the expected range.
 */
public final class FloatFullyConnected {
    private final int units;
    private final int inputSize;
    /** The bias, or zeros: {@code total + 0.0f} is what the reference adds without a bias. */
    private final float[] bias;
    private final boolean hasBias;
    private final FusedActivation activation;
    private final FloatActivationRange range;
    private final FloatRows rows;

    private FloatFullyConnected(Builder b) {
        this.units = b.units;
        this.inputSize = b.inputSize;
        this.hasBias = b.bias != null;
        this.bias = hasBias ? b.bias : new float[b.units];
        this.activation = b.activation;
        this.range = FloatActivationRange.of(b.activation);
        this.rows = KernelProvider.layerKernels().floatRows(b.weights.clone(), units, inputSize);
    }

    /**
     * A builder for a layer over {@code weights} (row-major {@code [units × inputSize]}, copied at build); defaults: no
     * bias, {@link FusedActivation#NONE}.
     *
     * @throws NullPointerException      if {@code weights} is null
     * @throws IllegalArgumentException  if {@code units} or {@code inputSize} is negative
     * @throws IndexOutOfBoundsException if {@code weights.length != units × inputSize}
     */
    public static Builder builder(float[] weights, int units, int inputSize) {
        Check.nonNegative("units", units);
        Check.nonNegative("inputSize", inputSize);
        Check.notNull("weights", weights);
        long required = (long) units * inputSize;
        if (weights.length != required) {
            throw new IndexOutOfBoundsException("weights.length = " + weights.length + ", expected units * inputSize = "
                    + units + " * " + inputSize + " = " + required);
        }
        return new Builder(weights, units, inputSize);
    }

    /** Configures a {@link FloatFullyConnected}; not thread-safe, reusable. */
    public static final class Builder {
        private final float[] weights;
        private final int units;
        private final int inputSize;
        private float[] bias;
        private FusedActivation activation = FusedActivation.NONE;

        private Builder(float[] weights, int units, int inputSize) {
            this.weights = weights;
            this.units = units;
            this.inputSize = inputSize;
        }

        /**
         * The bias, one per unit (copied), or null for none.
         *
         * @throws IndexOutOfBoundsException if {@code bias.length != units}
         */
        public Builder bias(float[] bias) {
            if (bias != null && bias.length != units) {
                throw new IndexOutOfBoundsException("bias.length = " + bias.length + ", expected units = " + units);
            }
            this.bias = bias == null ? null : bias.clone();
            return this;
        }

        /** The fused activation, applied last (C++ {@code std::max/min} NaN behaviour); default NONE. */
        public Builder activation(FusedActivation activation) {
            this.activation = Check.notNull("activation", activation);
            return this;
        }

        /** The layer; the weights are copied now. */
        public FloatFullyConnected build() {
            return new FloatFullyConnected(this);
        }
    }

    /**
     * Evaluates the layer on {@code input[0 .. batch·inputSize)} into {@code output[0 .. batch·units)} (row-major,
     * batch-major); longer arrays are fine, the rest is left alone.
     *
     * @param batch ≥ 0; 0 does nothing
     * @throws NullPointerException      if an array is null
     * @throws IllegalArgumentException  if {@code batch < 0} or {@code input == output}
     * @throws IndexOutOfBoundsException if an array is shorter than the shape needs
     */
    public void eval(float[] input, int batch, float[] output) {
        Check.nonNegative("batch", batch);
        Check.array("input", input, (long) batch * inputSize, "batch * inputSize");
        Check.array("output", output, (long) batch * units, "batch * units");
        if (input == output) {
            throw new IllegalArgumentException("input and output are the same array; the float layer needs two");
        }
        int n = batch * units;
        if (inputSize == 0) {
            Arrays.fill(output, 0, n, 0.0f);
            return;
        }
        rows.dots(input, batch, output, 0);
        for (int b = 0; b < batch; b++) {
            for (int u = 0; u < units; u++) {
                int i = b * units + u;
                output[i] = range.apply(output[i] + bias[u]);
            }
        }
    }

    /** Output channels. */
    public int units() {
        return units;
    }

    /** Input size. */
    public int inputSize() {
        return inputSize;
    }

    /** The fused activation. */
    public FusedActivation activation() {
        return activation;
    }

    @Override
    public String toString() {
        return "FloatFullyConnected[" + units + "x" + inputSize + (hasBias ? ", bias" : "") + ", " + activation
                + ", " + KernelProvider.info() + "]";
    }
}
