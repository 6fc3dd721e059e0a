package dev.qlanes;

import dev.qlanes.internal.Int8RowKernel;
import dev.qlanes.internal.KernelProvider;
import dev.qlanes.internal.LayerKernels;
import dev.qlanes.internal.WorkspacePool;
import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.QuantizedFullyConnectedParameters;
import dev.qlanes.reference.ReferenceQuantizedFullyConnected;
import dev.qlanes.reference.Requantization;
import dev.qlanes.reference.Rounding;
import dev.qlanes.reference.internal.Check;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.Executor;

/**
 * TFLite's full-integer int8 FULLY_CONNECTED (docs/semantics.md §4.2, the reference kernel) as a reusable layer: int8
 * input {@code [batch × inputSize]} with a real scale and zero point, int8 {@link PreparedWeights}
 * {@code [units × inputSize]} (symmetric, per-tensor or per-channel scales), optional int32 bias, int8 output
 * {@code [batch × units]} with a real scale and zero point.
 *
 * <p>With {@code acc[b][u] = Σ_c w[u][c]·(x[b][c] − zp_in) + bias[u]} (wrapping int32), each call computes
 * {@code out[b][u] = clamp(requant(acc[b][u]) + zp_out, act_min, act_max)} in the {@link Requantization} chosen on
 * the builder, with what it derives at construction through {@link QuantizedFullyConnectedParameters}:
 * <ul>
 *   <li>fixed point (default, {@link Requantization#FIXED_POINT_DOUBLE_ROUNDING}, TFLite's default build): what
 *       TFLite's {@code Prepare} derives (§1.5, §1.6), per tensor {@code M = fl64((double) fl32(S_in·S_w) / S_out)},
 *       per channel {@code M_u = (double) S_in · S_w[u] / S_out} in double, each turned into a Q0.31 multiplier and
 *       shift by {@code QuantizeMultiplier} in the requantization's {@link Rounding} build; then
 *       {@code requant(acc) = MBQM(acc, M_u, shift_u)};</li>
 *   <li>{@link Requantization#DOUBLE_FLOAT} (TFLite's {@code kReference} kernel since April 2025): per tensor and per
 *       channel {@code eff_u = (double) S_in · (double) S_w[u] / (double) S_out}; then
 *       {@code requant(acc) = trunc_i32(round(fl64((double) acc · eff_u)))}, ties away from zero, {@code INT32_MIN}
 *       when the rounded value leaves int32 (x86-64's conversion);</li>
 * </ul>
 * and the fused-activation clamp {@code [act_min, act_max]}. The result equals {@link ReferenceQuantizedFullyConnected}
 * (and so {@code ReferenceIntegerOps.fullyConnected[PerChannel]} or {@code fullyConnected[PerChannel]DoubleFloat})
 * bit for bit, for every parallelism. The input zero-point term is folded into the bias once
 * ({@code bias[u] − zp_in · rowSum[u]}, exact in wrapping int32).
 *
 * <p><b>Memory.</b> Activations are {@code byte[]} or {@link MemorySegment}s (heap or native). Segment
 * activations are staged through the call's workspace, so they may overlap; arrays must be distinct.
 *
 * <p><b>Threads.</b> Immutable after {@link Builder#build()}, safe for concurrent calls; pooled per-call
 * workspaces ({@link Builder#maxConcurrentCalls}) and optional splitting across an {@link Builder#executor}
 * ({@link Builder#parallelism}); no allocation per call in steady state.
 *
 * <p><b>Errors.</b> {@link Builder#build()} throws {@link IllegalArgumentException} for parameters TFLite cannot
 * represent (see {@link QuantizedFullyConnectedParameters}) and {@link IndexOutOfBoundsException} for a bias of
 * the wrong length; {@code eval} validates every argument before touching memory, exactly as
 * {@link HybridFullyConnected#eval(float[], int, float[])} does, and also rejects the same array as input and
 * output ({@link IllegalArgumentException}).
 */
public final class QuantizedFullyConnected {
    private final PreparedWeights weights;
    private final int units;
    private final int inputSize;
    private final QuantizedFullyConnectedParameters parameters;
    private final int[] bias;
    /** {@code bias[u] + inputOffset · rowSum[u]}: the whole input zero-point term, once. */
    private final int[] effectiveBias;
    /** Fixed point: one per channel (or one), else null. */
    private final int[] multipliers;
    /** Fixed point: one per channel (or one), else null. */
    private final int[] shifts;
    /** Fixed point: the build mode, else null. */
    private final Rounding rounding;
    /** {@link Requantization#DOUBLE_FLOAT}: {@code eff} per channel (or one), else null. */
    private final double[] effectiveScales;
    private final boolean perChannel;
    private final int outputOffset;
    private final int activationMin;
    private final int activationMax;
    private final int parallelism;
    private final Executor executor;
    private final long parallelThreshold;
    private final int expectedBatch;
    private final LayerKernels kernels;
    /**
     * Calls of one activation row in one pass, without the workspace pool and chunk grid, where the kernels have one
     * for this layer ({@link LayerKernels#int8Row}: a few outputs, fixed point in double rounding), else null.
     */
    private final Int8RowKernel singleRow;
    private final WorkspacePool<Call> workspaces;

    private QuantizedFullyConnected(Builder b, QuantizedFullyConnectedParameters parameters) {
        this.weights = b.weights;
        this.units = weights.rows();
        this.inputSize = weights.cols();
        this.parameters = parameters;
        this.bias = b.bias == null ? null : b.bias.clone();
        this.effectiveBias = new int[units];
        int[] rowSums = weights.rowSumsShared();
        for (int u = 0; u < units; u++) {
            effectiveBias[u] = (bias != null ? bias[u] : 0) + parameters.inputOffset() * rowSums[u];
        }
        boolean fixedPoint = parameters.requantization().isFixedPoint();
        this.multipliers = fixedPoint ? parameters.multipliers() : null;
        this.shifts = fixedPoint ? parameters.shifts() : null;
        this.rounding = fixedPoint ? parameters.rounding() : null;
        this.effectiveScales = fixedPoint ? null : parameters.effectiveScales();
        this.perChannel = parameters.perChannel();
        this.outputOffset = parameters.outputOffset();
        this.activationMin = parameters.activationMin();
        this.activationMax = parameters.activationMax();
        this.parallelism = b.parallelism;
        this.executor = b.parallelism > 1 ? b.executorOrDefault() : null;
        this.parallelThreshold = b.parallelThreshold;
        this.expectedBatch = b.expectedBatch;
        this.kernels = KernelProvider.layerKernels();
        this.singleRow = rounding == Rounding.DOUBLE_ROUNDING ? kernels.int8Row(weights.asSegment(), units, inputSize,
                effectiveBias, multipliers, shifts, perChannel, outputOffset, activationMin, activationMax) : null;
        this.workspaces = new WorkspacePool<>(b.maxConcurrentCalls, Call::new);
    }

    /**
     * A builder for a layer over {@code weights}; input and output quantization must be set, the rest defaults to
     * no bias, {@link FusedActivation#NONE}, {@link Requantization#FIXED_POINT_DOUBLE_ROUNDING} (TFLite's default
     * build), one thread.
     */
    public static Builder builder(PreparedWeights weights) {
        return new Builder(weights);
    }

    /** Configures a {@link QuantizedFullyConnected}; not thread-safe, reusable. */
    public static final class Builder extends LayerBuilder<Builder> {
        private boolean inputSet;
        private float inputScale;
        private int inputZeroPoint;
        private boolean outputSet;
        private float outputScale;
        private int outputZeroPoint;
        private int[] bias;
        private Requantization requantization = Requantization.FIXED_POINT_DOUBLE_ROUNDING;

        private Builder(PreparedWeights weights) {
            super(weights);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * The input tensor's quantization, {@code real = scale · (q − zeroPoint)}; required. Checked by
         * {@link #build()}: scale finite and {@code > 0}, zero point in {@code [-128, 127]}.
         */
        public Builder input(float scale, int zeroPoint) {
            this.inputSet = true;
            this.inputScale = scale;
            this.inputZeroPoint = zeroPoint;
            return this;
        }

        /** The output tensor's quantization; required, checked like {@link #input(float, int)}. */
        public Builder output(float scale, int zeroPoint) {
            this.outputSet = true;
            this.outputScale = scale;
            this.outputZeroPoint = zeroPoint;
            return this;
        }

        /**
         * The int32 bias, one per unit, quantized with scale {@code S_in · S_w} and zero point 0 (copied), or null.
         *
         * @throws IndexOutOfBoundsException if {@code bias.length != weights.rows()}
         */
        public Builder bias(int[] bias) {
            if (bias != null && bias.length != weights.rows()) {
                throw new IndexOutOfBoundsException("bias.length = " + bias.length + ", expected units = "
                        + weights.rows());
            }
            this.bias = bias == null ? null : bias.clone();
            return this;
        }

        /**
         * Fixed-point requantization in {@code rounding} (TFLite's {@code TFLITE_SINGLE_ROUNDING}): the same as
         * {@link #requantization(Requantization) requantization}{@code (Requantization.fixedPoint(rounding))}; the
         * last of the two setters called wins. Default {@link Rounding#DOUBLE_ROUNDING}.
         *
         * @throws NullPointerException if {@code rounding} is null
         */
        public Builder rounding(Rounding rounding) {
            this.requantization = Requantization.fixedPoint(rounding);
            return this;
        }

        /**
         * How accumulators become outputs: fixed point in either {@link Rounding} (TFLite's fixed-point reference
         * kernel, default {@link Requantization#FIXED_POINT_DOUBLE_ROUNDING}) or {@link Requantization#DOUBLE_FLOAT}
         * (TFLite's {@code kReference} kernel since April 2025). The last of this and {@link #rounding(Rounding)}
         * called wins.
         *
         * @throws NullPointerException if {@code requantization} is null
         */
        public Builder requantization(Requantization requantization) {
            this.requantization = Check.notNull("requantization", requantization);
            return this;
        }

        /**
         * The layer, with its parameters derived as TFLite's {@code Prepare} derives them.
         *
         * @throws IllegalStateException    if {@link #input(float, int)} or {@link #output(float, int)} was not called
         * @throws IllegalArgumentException if the input or output quantization is invalid, the derived fixed-point
         *                                  multipliers or clamp are not representable, or workspaces for
         *                                  {@link #expectedBatch(int)} rows would not fit Java arrays
         */
        public QuantizedFullyConnected build() {
            validateWorkspace();
            if (!inputSet || !outputSet) {
                throw new IllegalStateException((inputSet ? "output" : "input")
                        + " quantization is not set; call " + (inputSet ? "output" : "input") + "(scale, zeroPoint)");
            }
            QuantizedFullyConnectedParameters p = weights.perChannel()
                    ? QuantizedFullyConnectedParameters.perChannel(inputScale, inputZeroPoint, weights.scalesShared(),
                            outputScale, outputZeroPoint, activation, requantization)
                    : QuantizedFullyConnectedParameters.perTensor(inputScale, inputZeroPoint, weights.tensorScale(),
                            outputScale, outputZeroPoint, activation, requantization);
            return new QuantizedFullyConnected(this, p);
        }
    }

    /**
     * Evaluates the layer on {@code input[0 .. batch·inputSize)} into {@code output[0 .. batch·units)}.
     *
     * @param batch ≥ 0; 0 does nothing
     * @throws NullPointerException      if an array is null
     * @throws IllegalArgumentException  if {@code batch < 0} or {@code input == output}
     * @throws IndexOutOfBoundsException if an array is too small for the shape
     */
    public void eval(byte[] input, int batch, byte[] output) {
        Check.notNull("input", input);
        Check.notNull("output", output);
        Check.nonNegative("batch", batch);
        Check.length("input", input.length, (long) batch * inputSize, "batch * inputSize");
        Check.length("output", output.length, (long) batch * units, "batch * units");
        if (input == output) {
            throw new IllegalArgumentException("input and output are the same array; expected distinct arrays");
        }
        if (batch == 0 || units == 0) {
            return;
        }
        if (tookSingleRow(input, batch, output)) {
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
     * Evaluates the layer on the int8 values of {@code input} into {@code output} (heap or native segments; they
     * may overlap).
     *
     * @param input  at least {@code batch · inputSize} bytes
     * @param batch  ≥ 0; 0 does nothing
     * @param output at least {@code batch · units} bytes, writable
     * @throws NullPointerException      if a segment is null
     * @throws IllegalArgumentException  if {@code batch < 0}, the output is read-only, or a shape exceeds the
     *                                   largest heap workspace ({@code 2^31 − 17} elements)
     * @throws IndexOutOfBoundsException if a segment is too small for the shape
     * @throws IllegalStateException     if a segment's arena is closed
     * @throws WrongThreadException      if a segment is confined to another thread
     */
    public void eval(MemorySegment input, int batch, MemorySegment output) {
        SegmentChecks.layerCall(input, batch, output, inputSize, units, Byte.BYTES);
        if (batch == 0 || units == 0) {
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

    /**
     * The parameters derived at construction: offsets, clamp, the requantization and its multipliers and shifts
     * (fixed point) or effective scales ({@link Requantization#DOUBLE_FLOAT}).
     */
    public QuantizedFullyConnectedParameters parameters() {
        return parameters;
    }

    /** Output size per batch row. */
    public int units() {
        return units;
    }

    /** Input size per batch row. */
    public int inputSize() {
        return inputSize;
    }

    /** A copy of the bias, or null when there is none. */
    public int[] bias() {
        return bias == null ? null : bias.clone();
    }

    /** The most tasks one call splits into. */
    public int parallelism() {
        return parallelism;
    }

    /**
     * Runs a one-row call through the single-row kernel where the layer has one, and says whether it did (the array
     * path calls this before taking a workspace, the segment path after staging); validated arguments only.
     */
    private boolean tookSingleRow(byte[] input, int batch, byte[] output) {
        if (batch != 1 || singleRow == null) {
            return false;
        }
        singleRow.apply(input, 0, output, 0);
        return true;
    }

    /** Whether calls of one row take the kernels' single-row kernel (for tests). */
    boolean takesSingleRowKernel() {
        return singleRow != null;
    }

    @Override
    public String toString() {
        return "QuantizedFullyConnected[" + units + "x" + inputSize + ", " + parameters + ", parallelism "
                + parallelism + ", " + kernels.description() + "]";
    }

    /** One call's workspace: staging for segment activations (the dot-product scratch is {@link LayerCall}'s). */
    private final class Call extends LayerCall {
        private byte[] inputStage;
        private byte[] outputStage;
        private byte[] input;
        private byte[] output;

        Call() {
            super(units, inputSize, weights.dotRows().batchTile(), parallelism, executor, parallelThreshold);
            if (expectedBatch > 1) {
                stage(expectedBatch);
            }
        }

        private void stage(int batch) {
            int n = (int) Math.min((long) batch * inputSize, SegmentChecks.MAX_WORKSPACE);
            int m = (int) Math.min((long) batch * units, SegmentChecks.MAX_WORKSPACE);
            if (inputStage == null || inputStage.length < n) {
                inputStage = new byte[n];
            }
            if (outputStage == null || outputStage.length < m) {
                outputStage = new byte[m];
            }
        }

        void run(byte[] in, int batch, byte[] out) {
            this.input = in;
            this.output = out;
            runGrid(batch);
        }

        void run(MemorySegment in, int batch, MemorySegment out) {
            stage(batch);
            int n = batch * inputSize;
            int m = batch * units;
            MemorySegment.copy(in, ValueLayout.JAVA_BYTE, 0, inputStage, 0, n);
            if (!tookSingleRow(inputStage, batch, outputStage)) { // as eval does for arrays, once staged
                run(inputStage, batch, outputStage);
            }
            MemorySegment.copy(outputStage, 0, out, ValueLayout.JAVA_BYTE, 0, m);
        }

        void clear() {
            input = null;
            output = null;
        }

        @Override
        void compute(int slot, int b0, int b1, int r0, int r1) {
            dotBlocks(slot, b0, b1, r0, r1, input, weights);
        }

        @Override
        void block(int b, int r, int n, int[] dots, int offset) {
            if (effectiveScales != null) {
                kernels.requantizeInDouble(dots, offset, n, r, effectiveBias, effectiveScales, perChannel, outputOffset,
                        activationMin, activationMax, output, b * units + r);
            } else {
                kernels.requantize(dots, offset, n, r, effectiveBias, multipliers, shifts, perChannel, outputOffset,
                        activationMin, activationMax, rounding, output, b * units + r);
            }
        }
    }
}
