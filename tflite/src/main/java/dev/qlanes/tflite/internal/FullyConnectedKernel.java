package dev.qlanes.tflite.internal;

import dev.qlanes.FloatFullyConnected;
import dev.qlanes.HybridFullyConnected;
import dev.qlanes.PreparedWeights;
import dev.qlanes.QuantizedFullyConnected;
import dev.qlanes.reference.FullyConnectedQuantization;
import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.ReferenceFloatFullyConnected;
import dev.qlanes.reference.ReferenceHybridFullyConnected;
import dev.qlanes.reference.ReferenceQuantizedFullyConnected;
import dev.qlanes.reference.Requantization;
import dev.qlanes.tflite.UnsupportedModelException;
import dev.qlanes.tflite.schema.FullyConnectedOptions;
import dev.qlanes.tflite.schema.OperatorInfo;
import dev.qlanes.tflite.schema.Quantization;
import dev.qlanes.tflite.schema.TensorInfo;
import dev.qlanes.tflite.schema.TensorType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * FULLY_CONNECTED in the three forms TFLite's {@code fully_connected.cc} chooses by tensor types: float (float
 * input and weights), hybrid (float input, int8 weights: {@code EvalHybrid}) and full-integer int8 (int8 input,
 * weights and output). {@code Prepare}'s checks happen here, once per model; int8 weights stay in the model file's
 * memory (read into native memory at open) for the qlanes layers, except small ones ({@link
 * WeightScales#HEAP_COPY_BYTES}), which are copied onto the heap.
 */
abstract sealed class FullyConnectedKernel extends OpKernel {
    final int units;
    final int cols;
    final boolean keepNumDims;
    final FusedActivation activation;
    final TensorInfo weights;
    /** The weights as an array, for the reference backend only: copied on its first use. */
    private byte[] referenceWeights;

    private FullyConnectedKernel(Operand in) {
        super(in.op);
        this.weights = in.weights;
        this.units = weights.shape()[0];
        this.cols = weights.shape()[1];
        this.keepNumDims = in.options.keepNumDims();
        this.activation = in.activation;
    }

    /** Checks the operator as TFLite's {@code Prepare} does and builds the form its tensor types select. */
    static OpKernel of(Operators.Context cx, Requantization requantization) throws UnsupportedModelException {
        Operand in = Operand.check(cx);
        TensorType x = in.input.type();
        TensorType w = in.weights.type();
        if (x == TensorType.FLOAT32 && w == TensorType.FLOAT32) {
            cx.requireOutputType(0, TensorType.FLOAT32);
            return new FloatForm(in, cx.optionalBias(TensorType.FLOAT32, in.units()));
        }
        if (x == TensorType.FLOAT32 && w == TensorType.INT8) {
            cx.requireOutputType(0, TensorType.FLOAT32);
            return new HybridForm(in, cx.optionalBias(TensorType.FLOAT32, in.units()));
        }
        if (x == TensorType.INT8 && w == TensorType.INT8) {
            cx.requireOutputType(0, TensorType.INT8);
            return new Int8Form(in, cx.optionalBias(TensorType.INT32, in.units()), cx, requantization);
        }
        throw cx.unsupported("input " + x + " with weights " + w + "; supported: FLOAT32 with FLOAT32 (float), "
                + "FLOAT32 with INT8 (hybrid), INT8 with INT8 (full integer)");
    }

    @Override
    public int[] outputShape(int[][] shapes) {
        int[] in = shapes[op.inputs()[0]];
        long n = TensorArrays.product(in);
        if (n % cols != 0) {
            throw new IllegalArgumentException(where() + ": input shape " + Arrays.toString(in) + " has " + n
                    + " elements, not a multiple of the weights' " + cols + " columns");
        }
        if (keepNumDims) {
            if (in.length == 0 || in[in.length - 1] != cols) {
                throw new IllegalArgumentException(where() + ": keep_num_dims needs the input's last dimension "
                        + "to equal the weights' " + cols + " columns, input shape " + Arrays.toString(in));
            }
            int[] out = in.clone();
            out[out.length - 1] = units;
            return out;
        }
        return new int[] {Math.toIntExact(n / cols), units};
    }

    /** The batch TFLite derives: every input element belongs to one row of {@code cols}. */
    final int batch(TensorArrays a) {
        return a.count(op.inputs()[0]) / cols;
    }

    final synchronized byte[] referenceWeights() {
        if (referenceWeights == null) {
            referenceWeights = Constants.bytes(weights);
        }
        return referenceWeights;
    }

    final String shapeSummary() {
        return units + "x" + cols + ", " + activation + (keepNumDims ? ", keep_num_dims" : "");
    }

    /** The operands every form shares, checked once. */
    private record Operand(OperatorInfo op, TensorInfo input, TensorInfo weights, FullyConnectedOptions options,
            FusedActivation activation) {
        static Operand check(Operators.Context cx) throws UnsupportedModelException {
            cx.requireInputs(2, 3);
            cx.requireOutputs(1);
            FullyConnectedOptions options = cx.options(FullyConnectedOptions.class);
            if (options.weightsFormat() != 0) {
                throw cx.unsupported("weights_format " + options.weightsFormat() + "; only DEFAULT (0) is supported");
            }
            TensorInfo weights = cx.constantInput(1, "weights");
            if (weights.shape().length != 2) {
                throw cx.unsupported("weights of rank " + weights.shape().length + "; FULLY_CONNECTED needs rank 2");
            }
            if (weights.shape()[1] == 0) {
                throw cx.unsupported("weights with no columns, shape " + Arrays.toString(weights.shape()));
            }
            return new Operand(cx.op, cx.input(0), weights, options, cx.activation(options.activation()));
        }

        int units() {
            return weights.shape()[0];
        }
    }

    /**
     * Float FULLY_CONNECTED: TFLite's reference loop (sum from 0 in column order, then bias, then clamp), on
     * {@link FloatFullyConnected} (weights laid out once, bit-identical to the loop) for the qlanes backend.
     */
    static final class FloatForm extends FullyConnectedKernel {
        private final float[] weightArray;
        private final float[] bias;
        private final FloatFullyConnected layer;

        FloatForm(Operand in, TensorInfo bias) {
            super(in);
            this.weightArray = Constants.floats(weights);
            this.bias = bias == null ? null : Constants.floats(bias);
            this.layer = FloatFullyConnected.builder(weightArray, units, cols).bias(this.bias).activation(activation)
                    .build();
        }

        @Override
        public Runnable bind(TensorArrays a, Backend backend) {
            float[] x = a.floats(op.inputs()[0]);
            float[] y = a.floats(op.outputs()[0]);
            int batch = batch(a);
            if (backend == Backend.QLANES) {
                return () -> layer.eval(x, batch, y);
            }
            return () -> ReferenceFloatFullyConnected.eval(x, batch, cols, weightArray, units, bias, activation, y);
        }

        @Override
        public String summary() {
            return "float " + shapeSummary() + (bias == null ? ", no bias" : "");
        }
    }

    /** Hybrid FULLY_CONNECTED ({@code EvalHybridDense}): {@link HybridFullyConnected} on the model's weights, in place. */
    static final class HybridForm extends FullyConnectedKernel {
        private final WeightScales scales;
        private final float[] bias;
        private final boolean asymmetric;
        private final HybridFullyConnected layer;

        HybridForm(Operand in, TensorInfo bias) throws UnsupportedModelException {
            super(in);
            this.scales = WeightScales.of(in.op, weights, units);
            this.bias = bias == null ? null : Constants.floats(bias);
            this.asymmetric = in.options.asymmetricQuantizeInputs();
            this.layer = HybridFullyConnected.builder(scales.prepare(weights, units, cols))
                    .bias(this.bias).activation(activation).asymmetricInputs(asymmetric).build();
        }

        @Override
        public Runnable bind(TensorArrays a, Backend backend) {
            float[] x = a.floats(op.inputs()[0]);
            float[] y = a.floats(op.outputs()[0]);
            int batch = batch(a);
            if (backend == Backend.QLANES) {
                return () -> layer.eval(x, batch, y);
            }
            byte[] w = referenceWeights();
            return () -> ReferenceHybridFullyConnected.eval(x, batch, cols, w, units, scales.perTensor(),
                    scales.perChannel(), bias, asymmetric, activation, y);
        }

        @Override
        public String summary() {
            return "hybrid " + shapeSummary() + ", " + scales + ", " + (asymmetric ? "asymmetric" : "symmetric")
                    + " inputs" + (bias == null ? ", no bias" : "");
        }
    }

    /** Full-integer int8 FULLY_CONNECTED: {@link QuantizedFullyConnected} on the model's weights, in place. */
    static final class Int8Form extends FullyConnectedKernel {
        private final WeightScales scales;
        private final int[] bias;
        private final float inputScale;
        private final int inputZeroPoint;
        private final float outputScale;
        private final int outputZeroPoint;
        private final Requantization requantization;
        private final QuantizedFullyConnected layer;

        Int8Form(Operand in, TensorInfo bias, Operators.Context cx, Requantization requantization)
                throws UnsupportedModelException {
            super(in);
            this.scales = WeightScales.of(in.op, weights, units);
            this.bias = bias == null ? null : Constants.ints(bias);
            Quantization qi = cx.perTensorQuantization(in.input, "input");
            Quantization qo = cx.perTensorQuantization(cx.output(0), "output");
            this.inputScale = qi.scales()[0];
            this.inputZeroPoint = (int) qi.zeroPoints()[0];
            this.outputScale = qo.scales()[0];
            this.outputZeroPoint = (int) qo.zeroPoints()[0];
            this.requantization = requantization;
            if (bias != null && scales.perChannel() == null) {
                checkBiasScale(cx, bias);
            }
            try {
                this.layer = QuantizedFullyConnected.builder(scales.prepare(weights, units, cols))
                        .input(inputScale, inputZeroPoint).output(outputScale, outputZeroPoint).bias(this.bias)
                        .activation(activation).requantization(requantization).build();
            } catch (IllegalArgumentException e) {
                // Scales TFLite's Prepare would also refuse (e.g. a multiplier it cannot represent).
                throw cx.unsupported(e.getMessage());
            }
        }

        /** TFLite's per-tensor {@code Prepare} refuses a bias whose scale is off by more than 2% of an output step. */
        private void checkBiasScale(Operators.Context cx, TensorInfo bias) throws UnsupportedModelException {
            Quantization q = bias.quantization();
            float biasScale = q == null || q.scales().length == 0 ? 0.0f : q.scales()[0];
            if (!FullyConnectedQuantization.biasScaleMatches(inputScale, scales.perTensor(), biasScale, outputScale)) {
                throw cx.unsupported("bias tensor " + bias.index() + " '" + bias.name() + "' has scale " + biasScale
                        + ", but input scale x weight scale is " + (double) inputScale * scales.perTensor()
                        + " (TFLite's Prepare needs them within 0.02 output steps, output scale " + outputScale + ")");
            }
        }

        @Override
        public Runnable bind(TensorArrays a, Backend backend) {
            byte[] x = a.bytes(op.inputs()[0]);
            byte[] y = a.bytes(op.outputs()[0]);
            int batch = batch(a);
            if (backend == Backend.QLANES) {
                return () -> layer.eval(x, batch, y);
            }
            byte[] w = referenceWeights();
            return () -> ReferenceQuantizedFullyConnected.eval(x, batch, cols, inputScale, inputZeroPoint, w, units,
                    scales.perTensor(), scales.perChannel(), bias, outputScale, outputZeroPoint, activation,
                    requantization, y);
        }

        @Override
        public String summary() {
            return "int8 " + shapeSummary() + ", " + scales + ", input (" + inputScale + ", " + inputZeroPoint
                    + "), output (" + outputScale + ", " + outputZeroPoint + "), " + requantization
                    + (bias == null ? ", no bias" : "") + "; " + layer.parameters();
        }
    }

    /** The weights' symmetric int8 quantization: one scale, or one per output channel (dimension 0). */
    record WeightScales(float perTensor, float[] perChannel) {
        static WeightScales of(OperatorInfo op, TensorInfo w, int units)
                throws UnsupportedModelException {
            String where = "operator " + op.index() + " (" + op.op().name() + "): weights tensor " + w.index()
                    + " '" + w.name() + "'";
            Quantization q = w.quantization();
            if (q == null || q.scales().length == 0) {
                throw new UnsupportedModelException(where + " is INT8 without quantization parameters");
            }
            for (long zp : q.zeroPoints()) {
                if (zp != 0) {
                    throw new UnsupportedModelException(where + " has zero point " + zp
                            + "; int8 weights must be symmetric (zero point 0)");
                }
            }
            if (q.scales().length == 1) {
                return new WeightScales(q.scales()[0], null);
            }
            if (q.quantizedDimension() != 0 || q.scales().length != units) {
                throw new UnsupportedModelException(where + " has " + q.scales().length
                        + " scales along dimension " + q.quantizedDimension() + "; per-channel weights need one scale"
                        + " per output channel (" + units + ") along dimension 0");
            }
            return new WeightScales(0.0f, q.scales());
        }

        /**
         * Weights of at most this many bytes are copied onto the heap; larger ones are read in place from the
         * model's memory. The segment loops' per-row-tile cost showed on the small layers: ToyCar's hybrid model at
         * batch 1 ran 18.8 µs reading its weights from the model's segment, 13.1 µs with heap copies (JMH, two
         * forks, Zen 4). A copy costs the layer's weights once more, so only small layers get one.
         */
        static final long HEAP_COPY_BYTES = 1 << 20;

        PreparedWeights prepare(TensorInfo w, int units, int cols) {
            // a segment over an array is read in place through the array, so the copy is made once, here
            MemorySegment data = w.data().byteSize() <= HEAP_COPY_BYTES
                    ? MemorySegment.ofArray(w.data().toArray(ValueLayout.JAVA_BYTE)) : w.data();
            return perChannel == null ? PreparedWeights.perTensor(data, units, cols, perTensor)
                    : PreparedWeights.perChannel(data, units, cols, perChannel);
        }

        @Override
        public String toString() {
            return perChannel == null ? "weight scale " + perTensor : "per-channel weight scales ("
                    + perChannel.length + ")";
        }

    }

}
