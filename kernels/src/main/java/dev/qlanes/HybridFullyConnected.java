package dev.qlanes;

import dev.qlanes.internal.KernelProvider;
import dev.qlanes.internal.LayerKernels;
import dev.qlanes.internal.WorkspacePool;
import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.ReferenceHybridFullyConnected;
import dev.qlanes.reference.internal.Check;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.concurrent.Executor;

/**
 * TFLite's hybrid FULLY_CONNECTED ({@code EvalHybridDense}, docs/semantics.md §4.1) as a reusable layer: float input
 * {@code [batch × inputSize]}, int8 {@link PreparedWeights} {@code [units × inputSize]} with a per-tensor or
 * per-channel scale, optional float bias, float output {@code [batch × units]}. Each call, in TFLite's order:
 * <ol>
 *   <li>{@code output = bias} (or 0); if every input element is {@code == 0.0f} (the whole tensor; -0.0 counts,
 *       NaN does not), the activation is applied and nothing else happens;</li>
 *   <li>each input row is quantized to int8, symmetrically (§2.1) or, with {@link Builder#asymmetricInputs},
 *       asymmetrically with a zero point (§2.2);</li>
 *   <li>{@code output[b][u] = fl32(bias[u] + fl32((float)(Σ_c w[u][c]·q[b][c] − rowSum[u]·zp[b]) · S))} with
 *       {@code S = fl32(sf[b] · scale)} per tensor or {@code fl32(sf[b] · scale[u])} per channel (§3.4);</li>
 *   <li>the fused activation, with C++ {@code std::max/min} NaN behaviour ({@link FusedActivation#apply}).</li>
 * </ol>
 * A layer whose weights have no columns ({@code inputSize == 0}) writes zeros, as TFLite does. Results equal
 * {@link ReferenceHybridFullyConnected#eval} bit for bit (floats by raw bits), for every parallelism, on the
 * Vector API kernels and on the scalar fallback alike. The float-to-int conversions follow x86-64 (NaN and ±Inf
 * inputs quantize as desktop TFLite's do); see {@code docs/tflite-compatibility.md}.
 *
 * <p><b>Memory.</b> Activations are {@code float[]} or {@link MemorySegment}s (heap or native, floats in native
 * byte order, any alignment). Segment activations are copied into the call's workspace and the result copied
 * out at the end, so input and output segments may overlap; with arrays, input and output may even be the
 * same array (the input is fully read before the output is written).
 *
 * <p><b>Threads.</b> A layer is immutable after {@link Builder#build()} and safe for concurrent calls from any
 * number of threads. Each call takes a workspace from a pool sized at construction
 * ({@link Builder#maxConcurrentCalls}) and, with {@link Builder#parallelism} above 1, splits rows (or batches)
 * across tasks of the {@link Builder#executor}; in steady state a call allocates nothing.
 *
 * <p><b>Errors.</b> Every entry point validates all arguments before touching any memory, so a rejected call
 * leaves the output untouched: null arrays or segments throw {@link NullPointerException}; a negative batch
 * {@link IllegalArgumentException}; an array or segment too small for {@code batch × inputSize} or
 * {@code batch × units} (computed in {@code long}) {@link IndexOutOfBoundsException}; a read-only output segment
 * {@link IllegalArgumentException}; a closed segment {@link IllegalStateException}; a segment confined to
 * another thread {@link WrongThreadException}. If the weights' own segment is closed while a call runs, that
 * call throws {@link IllegalStateException} and an array output may be partly written.
 */
public final class HybridFullyConnected {
    private final PreparedWeights weights;
    private final int units;
    private final int inputSize;
    /** The bias, or zeros: {@code 0.0f + x} is what TFLite computes without a bias (it turns -0.0 into +0.0). */
    private final float[] bias;
    private final boolean hasBias;
    private final FusedActivation activation;
    private final boolean asymmetricInputs;
    private final int parallelism;
    private final Executor executor;
    private final long parallelThreshold;
    private final int expectedBatch;
    private final LayerKernels kernels;
    private final WorkspacePool<Call> workspaces;

    private HybridFullyConnected(Builder b) {
        this.weights = b.weights;
        this.units = weights.rows();
        this.inputSize = weights.cols();
        this.hasBias = b.bias != null;
        this.bias = hasBias ? b.bias.clone() : new float[units];
        this.activation = b.activation;
        this.asymmetricInputs = b.asymmetricInputs;
        this.parallelism = b.parallelism;
        this.executor = b.parallelism > 1 ? b.executorOrDefault() : null;
        this.parallelThreshold = b.parallelThreshold;
        this.expectedBatch = b.expectedBatch;
        this.kernels = KernelProvider.layerKernels();
        this.workspaces = new WorkspacePool<>(b.maxConcurrentCalls, Call::new);
    }

    /** A builder for a layer over {@code weights}; defaults: no bias, symmetric inputs, NONE, one thread. */
    public static Builder builder(PreparedWeights weights) {
        return new Builder(weights);
    }

    /** Configures a {@link HybridFullyConnected}; not thread-safe, reusable. */
    public static final class Builder extends LayerBuilder<Builder> {
        private float[] bias;
        private boolean asymmetricInputs;

        private Builder(PreparedWeights weights) {
            super(weights);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * The float bias, one per unit (copied), or null for none.
         *
         * @throws IndexOutOfBoundsException if {@code bias.length != weights.rows()}
         */
        public Builder bias(float[] bias) {
            if (bias != null && bias.length != weights.rows()) {
                throw new IndexOutOfBoundsException("bias.length = " + bias.length + ", expected units = "
                        + weights.rows());
            }
            this.bias = bias == null ? null : bias.clone();
            return this;
        }

        /**
         * Whether input rows are quantized asymmetrically, with a zero point (TFLite's
         * {@code asymmetric_quantize_inputs}); default false (symmetric).
         */
        public Builder asymmetricInputs(boolean asymmetric) {
            this.asymmetricInputs = asymmetric;
            return this;
        }

        /**
         * The layer.
         *
         * @throws IllegalArgumentException if workspaces for {@link #expectedBatch(int)} rows would not fit Java arrays
         */
        public HybridFullyConnected build() {
            validateWorkspace();
            return new HybridFullyConnected(this);
        }
    }

    /**
     * Evaluates the layer on {@code input[0 .. batch·inputSize)} into {@code output[0 .. batch·units)}
     * (row-major, batch-major); longer arrays are fine, the rest is left alone.
     *
     * @param batch ≥ 0; 0 does nothing
     * @throws NullPointerException      if an array is null
     * @throws IllegalArgumentException  if {@code batch < 0}
     * @throws IndexOutOfBoundsException if an array is too small for the shape
     */
    public void eval(float[] input, int batch, float[] output) {
        Check.notNull("input", input);
        Check.notNull("output", output);
        Check.nonNegative("batch", batch);
        Check.length("input", input.length, (long) batch * inputSize, "batch * inputSize");
        Check.length("output", output.length, (long) batch * units, "batch * units");
        if (batch == 0 || units == 0) {
            return;
        }
        if (inputSize == 0) { // TFLite zero-fills the output of a filter with no columns, bias and all
            Arrays.fill(output, 0, batch * units, 0.0f);
            return;
        }
        Call call = workspaces.acquire();
        try {
            call.run(input, batch, output);
        } finally {
            call.clear();
            workspaces.release(call);
        }
    }

    /**
     * Evaluates the layer on the floats of {@code input} into {@code output}, both row-major in native byte
     * order at any alignment; heap and native segments alike. Input and output may overlap.
     *
     * @param input  at least {@code 4 · batch · inputSize} bytes
     * @param batch  ≥ 0; 0 does nothing
     * @param output at least {@code 4 · batch · units} bytes, writable
     * @throws NullPointerException      if a segment is null
     * @throws IllegalArgumentException  if {@code batch < 0}, the output is read-only, or a shape exceeds the
     *                                   largest heap workspace ({@code 2^31 − 17} elements)
     * @throws IndexOutOfBoundsException if a segment is too small for the shape
     * @throws IllegalStateException     if a segment's arena is closed
     * @throws WrongThreadException      if a segment is confined to another thread
     */
    public void eval(MemorySegment input, int batch, MemorySegment output) {
        SegmentChecks.layerCall(input, batch, output, inputSize, units, Float.BYTES);
        long outputElements = (long) batch * units;
        if (batch == 0 || units == 0) {
            return;
        }
        if (inputSize == 0) { // TFLite zero-fills the output of a filter with no columns, bias and all
            output.asSlice(0, outputElements * Float.BYTES).fill((byte) 0);
            return;
        }
        Call call = workspaces.acquire();
        try {
            call.run(input, batch, output);
        } finally {
            call.clear();
            workspaces.release(call);
        }
    }

    /** The prepared weights. */
    public PreparedWeights weights() {
        return weights;
    }

    /** Output size per batch row (the weights' rows). */
    public int units() {
        return units;
    }

    /** Input size per batch row (the weights' columns). */
    public int inputSize() {
        return inputSize;
    }

    /** A copy of the bias, or null when there is none. */
    public float[] bias() {
        return hasBias ? bias.clone() : null;
    }

    /** The fused activation. */
    public FusedActivation activation() {
        return activation;
    }

    /** Whether input rows are quantized asymmetrically. */
    public boolean asymmetricInputs() {
        return asymmetricInputs;
    }

    /** The most tasks one call splits into. */
    public int parallelism() {
        return parallelism;
    }

    @Override
    public String toString() {
        return "HybridFullyConnected[" + units + "x" + inputSize + ", " + (weights.perChannel() ? "per-channel"
                : "per-tensor") + (asymmetricInputs ? ", asymmetric" : ", symmetric") + " inputs, " + activation
                + ", parallelism " + parallelism + ", " + kernels.description() + "]";
    }

    /** One call's workspace: quantized input, per-row parameters, scratch, staging for segment activations. */
    private final class Call extends LayerCall {
        private byte[] quantized;
        private float[] scales;
        private int[] zeroPoints;
        private float[] inputStage;
        private float[] outputStage;
        private final float[] extremes = new float[2];
        private float[] output;

        Call() {
            super(units, inputSize, weights.dotRows().batchTile(), parallelism, executor, parallelThreshold);
            ensureCapacity(expectedBatch);
        }

        private void ensureCapacity(int batch) {
            if (scales == null || scales.length < batch) {
                scales = new float[batch];
                zeroPoints = new int[batch];
            }
            long n = (long) batch * inputSize;
            if (quantized == null || quantized.length < n) {
                quantized = new byte[(int) Math.min(n, SegmentChecks.MAX_WORKSPACE)];
            }
        }

        void run(float[] in, int batch, float[] out) {
            ensureCapacity(batch);
            evaluate(in, batch, out);
        }

        void run(MemorySegment in, int batch, MemorySegment out) {
            ensureCapacity(batch);
            int n = batch * inputSize;
            int m = batch * units;
            if (inputStage == null || inputStage.length < n) {
                inputStage = new float[n];
            }
            if (outputStage == null || outputStage.length < m) {
                outputStage = new float[m];
            }
            MemorySegment.copy(in, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, inputStage, 0, n);
            evaluate(inputStage, batch, outputStage);
            MemorySegment.copy(outputStage, 0, out, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, m);
        }

        void clear() {
            output = null;
        }

        /** Evaluates {@code batch ≥ 1} rows; {@code units ≥ 1} and {@code inputSize ≥ 1} (empty shapes returned early). */
        private void evaluate(float[] in, int batch, float[] out) {
            if (kernels.isZero(in, 0, batch * inputSize)) {
                for (int b = 0; b < batch; b++) {
                    for (int u = 0; u < units; u++) {
                        out[b * units + u] = activation.apply(bias[u]);
                    }
                }
                return;
            }
            boolean perTensor = !weights.perChannel();
            float tensorScale = weights.tensorScale();
            for (int b = 0; b < batch; b++) {
                float sf = kernels.quantizeRow(in, b * inputSize, inputSize, quantized, asymmetricInputs, zeroPoints,
                        b, extremes);
                scales[b] = perTensor ? sf * tensorScale : sf;
            }
            this.output = out;
            runGrid(batch);
        }

        @Override
        void compute(int slot, int b0, int b1, int r0, int r1) {
            dotBlocks(slot, b0, b1, r0, r1, quantized, weights);
        }

        @Override
        void block(int b, int r, int n, int[] dots, int offset) {
            int o = b * units + r;
            kernels.hybridEpilogue(dots, offset, n, r, scales[b], weights.scalesShared(), weights.rowSumsShared(),
                    zeroPoints[b], bias, output, o);
            if (activation != FusedActivation.NONE) {
                for (int i = o; i < o + n; i++) {
                    output[i] = activation.apply(output[i]);
                }
            }
        }
    }
}
