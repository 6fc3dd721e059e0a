package dev.qlanes.tflite.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.qlanes.reference.Requantization;
import dev.qlanes.reference.Rounding;
import dev.qlanes.tflite.schema.ActivationFunction;
import dev.qlanes.tflite.schema.AddOptions;
import dev.qlanes.tflite.schema.BuiltinOperator;
import dev.qlanes.tflite.schema.FullyConnectedOptions;
import dev.qlanes.tflite.schema.MulOptions;
import dev.qlanes.tflite.schema.OperatorOptions;
import dev.qlanes.tflite.schema.ReshapeOptions;
import dev.qlanes.tflite.schema.SoftmaxOptions;
import dev.qlanes.tflite.schema.TensorType;
import dev.qlanes.tflite.testing.TfLiteModelWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Structure-aware fuzzing of the runner ({@code docs/fuzzing.md}): instead of mutating file bytes, which mostly
 * breaks the FlatBuffer (most of {@link ModelRunFuzzTest}'s inputs are rejected by the reader), the fuzzer's data
 * chooses a well-formed graph, written with {@link TfLiteModelWriter}: one or two inputs, up to six operators of the
 * supported kinds (and a few others) wired to earlier tensors or new constants, with fuzzer-chosen types, shapes
 * (rank 0-4, some dimensions 0 or huge), quantization, options, batch, requantization and input values. The model
 * then goes through exactly {@link ModelRunFuzzTest#check}: only the documented exceptions, the two runners equal bit
 * for bit, with a tighter size guard ({@value #MAX_BYTES} bytes of arrays, {@value #MAX_WORK} operations).
 */
class ModelGraphFuzzTest {
    private static final BuiltinOperator[] OPS = {BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.QUANTIZE,
        BuiltinOperator.DEQUANTIZE, BuiltinOperator.RESHAPE, BuiltinOperator.RELU, BuiltinOperator.RELU6,
        BuiltinOperator.LOGISTIC, BuiltinOperator.TANH, BuiltinOperator.SOFTMAX, BuiltinOperator.ADD,
        BuiltinOperator.MUL, BuiltinOperator.RELU_N1_TO_1};
    private static final int[] HUGE = {1 << 16, 1 << 20, 46341, Integer.MAX_VALUE};
    /**
     * The size guard, tighter than the run target's: generated graphs reach large shapes easily, and a logic error
     * shows as well at 256 KiB as at 16 MiB, at many more executions a second.
     */
    static final long MAX_BYTES = 256L << 10;
    static final long MAX_WORK = 1L << 18;

    @FuzzTest(maxDuration = "60s")
    void graph(FuzzedDataProvider data) throws IOException {
        byte[] model = new Builder(data).build();
        int batch = data.consumeInt(1, 4);
        Requantization rq = switch (data.consumeInt(0, 2)) {
            case 1 -> Requantization.fixedPoint(Rounding.DOUBLE_ROUNDING);
            case 2 -> Requantization.fixedPoint(Rounding.SINGLE_ROUNDING);
            default -> Requantization.DOUBLE_FLOAT;
        };
        boolean rawFloats = data.consumeBoolean();
        ModelRunFuzzTest.check(new RunInput(model, batch, rq, rawFloats, data.consumeRemainingAsBytes()), MAX_BYTES,
                MAX_WORK);
    }

    @AfterAll
    static void report() {
        ModelRunFuzzTest.report("ModelGraphFuzzTest.graph");
    }

    /** A tensor the graph can read at run time. */
    private record Value(int index, TensorType type, int[] shape) {
    }

    private static final class Builder {
        private final FuzzedDataProvider data;
        private final TfLiteModelWriter w = new TfLiteModelWriter();
        private final List<Value> values = new ArrayList<>();
        private int names;

        Builder(FuzzedDataProvider data) {
            this.data = data;
        }

        byte[] build() {
            int inputCount = data.consumeInt(1, 2);
            int[] inputs = new int[inputCount];
            for (int i = 0; i < inputCount; i++) {
                TensorType type = activationType();
                int[] shape = shape();
                inputs[i] = tensor(type, shape);
                values.add(new Value(inputs[i], type, shape));
            }
            int ops = data.consumeInt(1, 6);
            for (int i = 0; i < ops; i++) {
                operator();
            }
            Value last = values.get(values.size() - 1);
            int[] outputs = data.consumeBoolean() && values.size() > 2
                    ? new int[] {last.index(), pick().index()} : new int[] {last.index()};
            return w.inputs(inputs).outputs(outputs).toBytes();
        }

        private void operator() {
            BuiltinOperator op = data.pickValue(OPS);
            Value x = pick();
            TensorType outType = switch (op) {
                case QUANTIZE -> TensorType.INT8;
                case DEQUANTIZE -> TensorType.FLOAT32;
                case RESHAPE, FULLY_CONNECTED -> data.consumeBoolean() ? x.type() : activationType();
                default -> data.consumeInt(0, 7) == 0 ? activationType() : x.type();
            };
            int[] outShape = data.consumeBoolean() ? x.shape().clone() : shape();
            List<Integer> in = new ArrayList<>(List.of(x.index()));
            OperatorOptions options = null;
            switch (op) {
                case FULLY_CONNECTED -> {
                    int cols = data.consumeBoolean() && x.shape().length > 0 ? x.shape()[x.shape().length - 1]
                            : data.consumeInt(0, 9);
                    int units = data.consumeInt(0, 9);
                    if ((long) cols * units > 4096) {
                        cols = 8;
                    }
                    TensorType wt = data.consumeBoolean() ? TensorType.INT8 : TensorType.FLOAT32;
                    in.add(constant(wt, new int[] {units, cols}, wt == TensorType.INT8, true));
                    if (data.consumeBoolean()) {
                        TensorType bt = data.consumeBoolean() ? TensorType.INT32 : TensorType.FLOAT32;
                        in.add(constant(bt, new int[] {data.consumeBoolean() ? units : data.consumeInt(0, 9)}, false,
                                false));
                    } else if (data.consumeBoolean()) {
                        in.add(-1);
                    }
                    options = data.consumeInt(0, 7) == 0 ? null : new FullyConnectedOptions(activation(),
                            data.consumeInt(0, 7) == 0 ? 1 : 0, data.consumeBoolean(), data.consumeBoolean());
                }
                case RESHAPE -> {
                    int rank = data.consumeInt(0, 4);
                    int[] shape = new int[rank];
                    for (int i = 0; i < rank; i++) {
                        shape[i] = data.consumeBoolean() ? -1 : data.consumeBoolean() && i < x.shape().length
                                ? x.shape()[i] : data.consumeInt(-2, 9);
                    }
                    if (data.consumeBoolean()) {
                        in.add(w.tensor(name(), TensorType.INT32, rank).data(shape).add());
                    }
                    options = data.consumeBoolean() ? new ReshapeOptions(shape) : null;
                }
                case SOFTMAX -> options = data.consumeInt(0, 7) == 0 ? null
                        : new SoftmaxOptions(data.pickValue(new float[] {1f, 0f, 0.5f, -1f, 1e30f, Float.NaN}));
                case ADD, MUL -> {
                    if (data.consumeBoolean()) {
                        in.add(pick().index());
                    } else {
                        in.add(constant(TensorType.FLOAT32, data.consumeBoolean() ? x.shape().clone() : shape(), false,
                                false));
                    }
                    ActivationFunction a = activation();
                    options = data.consumeInt(0, 7) == 0 ? null : op == BuiltinOperator.ADD ? new AddOptions(a)
                            : new MulOptions(a);
                }
                default -> {
                    if (data.consumeInt(0, 15) == 0) {
                        in.add(pick().index()); // one input too many
                    }
                }
            }
            int out = tensor(outType, outShape);
            var b = w.operator(op).inputs(in.stream().mapToInt(Integer::intValue).toArray()).outputs(out);
            if (options != null) {
                b.options(options);
            }
            b.add();
            values.add(new Value(out, outType, outShape));
        }

        private Value pick() {
            return values.get(data.consumeInt(0, values.size() - 1));
        }

        private TensorType activationType() {
            return data.consumeInt(0, 15) == 0 ? TensorType.INT32 : data.consumeBoolean() ? TensorType.FLOAT32
                    : TensorType.INT8;
        }

        private ActivationFunction activation() {
            return data.pickValue(ActivationFunction.values());
        }

        private int[] shape() {
            int rank = data.consumeInt(0, 4);
            int[] shape = new int[rank];
            for (int i = 0; i < rank; i++) {
                shape[i] = data.consumeInt(0, 31) == 0 ? data.pickValue(HUGE) : data.consumeInt(0, 8);
            }
            return shape;
        }

        /** A run-time tensor; INT8 ones get a fuzzer-chosen per-tensor quantization (or none, rarely). */
        private int tensor(TensorType type, int[] shape) {
            var t = w.tensor(name(), type, shape);
            if (type == TensorType.INT8 && data.consumeInt(0, 15) != 0) {
                t.quantization(scale(), data.consumeInt(-128, 127));
            }
            return t.add();
        }

        /** Constant data of the shape (at most 4096 elements; else a small shape instead). */
        private int constant(TensorType type, int[] shape, boolean weights, boolean perChannelAllowed) {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            if (n > 4096 || n < 0) {
                shape = new int[] {2, 2};
                n = 4;
            }
            var t = w.tensor(name(), type, shape);
            int count = (int) n;
            switch (type) {
                case FLOAT32 -> {
                    float[] f = new float[count];
                    for (int i = 0; i < count; i++) {
                        f[i] = data.consumeInt(-128, 127) / 16f;
                    }
                    t.data(f);
                }
                case INT32 -> {
                    int[] v = new int[count];
                    for (int i = 0; i < count; i++) {
                        v[i] = data.consumeInt(-100000, 100000);
                    }
                    t.data(v);
                }
                default -> {
                    t.data(pad(count));
                }
            }
            if (weights) {
                if (perChannelAllowed && shape.length == 2 && shape[0] > 1 && data.consumeBoolean()) {
                    float[] scales = new float[shape[0]];
                    for (int i = 0; i < scales.length; i++) {
                        scales[i] = scale();
                    }
                    t.perChannel(scales, 0);
                } else if (data.consumeInt(0, 15) != 0) {
                    t.quantization(scale(), data.consumeInt(0, 15) == 0 ? 1 : 0);
                }
            }
            return t.add();
        }

        private byte[] pad(int count) {
            byte[] b = new byte[count];
            for (int i = 0; i < count; i++) {
                b[i] = data.consumeByte();
            }
            return b;
        }

        /** 2^e × (1 + m / 256) for e in [-40, 40]: ordinary scales, and ratios no multiplier can represent. */
        private float scale() {
            return Math.scalb(1 + data.consumeInt(0, 255) / 256f, data.consumeInt(-40, 40));
        }

        private String name() {
            return "t" + names++;
        }
    }
}
