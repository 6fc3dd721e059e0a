package dev.qlanes.tflite.internal;

import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.Requantization;
import dev.qlanes.tflite.UnsupportedModelException;
import dev.qlanes.tflite.schema.ActivationFunction;
import dev.qlanes.tflite.schema.BuiltinOperator;
import dev.qlanes.tflite.schema.OperatorInfo;
import dev.qlanes.tflite.schema.OperatorOptions;
import dev.qlanes.tflite.schema.Quantization;
import dev.qlanes.tflite.schema.TensorInfo;
import dev.qlanes.tflite.schema.TensorType;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The operators qlanes runs, and the one place that maps a model's operator to its kernel. */
public final class Operators {
    /** Every operator {@link #prepare} accepts; anything else is refused when the model is opened. */
    public static final Set<BuiltinOperator> SUPPORTED = EnumSet.of(BuiltinOperator.FULLY_CONNECTED,
            BuiltinOperator.QUANTIZE, BuiltinOperator.DEQUANTIZE, BuiltinOperator.RESHAPE, BuiltinOperator.RELU,
            BuiltinOperator.RELU6, BuiltinOperator.LOGISTIC, BuiltinOperator.TANH, BuiltinOperator.SOFTMAX,
            BuiltinOperator.ADD, BuiltinOperator.MUL);

    private Operators() {}

    /** The supported operators' names, sorted, for messages. */
    public static String supportedList() {
        return SUPPORTED.stream().map(Enum::name).sorted().collect(Collectors.joining(", "));
    }

    /**
     * Checks one operator as TFLite's {@code Prepare} would and prepares its kernel.
     *
     * @throws UnsupportedModelException naming the operator, its index and what is not supported
     */
    public static OpKernel prepare(OperatorInfo op, List<TensorInfo> tensors, Requantization requantization)
            throws UnsupportedModelException {
        Context cx = new Context(op, tensors);
        if (!SUPPORTED.contains(op.op())) {
            throw new UnsupportedModelException("operator " + op.index() + " is " + op.op().name()
                    + ", which qlanes cannot run; supported operators: " + supportedList());
        }
        return switch (op.op()) {
            case FULLY_CONNECTED -> FullyConnectedKernel.of(cx, requantization);
            case QUANTIZE, DEQUANTIZE -> QuantizeKernel.of(cx, requantization);
            case RESHAPE -> ReshapeKernel.of(cx);
            case RELU, RELU6, LOGISTIC, TANH, SOFTMAX -> UnaryFloatKernel.of(cx);
            case ADD, MUL -> BinaryFloatKernel.of(cx);
            default -> throw new AssertionError(op.op());
        };
    }

    /** One operator's operands, with the checks every kernel needs and messages that say where. */
    static final class Context {
        final OperatorInfo op;
        private final List<TensorInfo> tensors;

        Context(OperatorInfo op, List<TensorInfo> tensors) {
            this.op = op;
            this.tensors = tensors;
        }

        UnsupportedModelException unsupported(String what) {
            return new UnsupportedModelException("operator " + op.index() + " (" + op.op().name() + "): " + what);
        }

        void requireInputs(int min, int max) throws UnsupportedModelException {
            int n = op.inputs().length;
            if (n < min || n > max) {
                throw unsupported(n + " inputs, expected " + (min == max ? "" + min : min + " to " + max));
            }
        }

        void requireOutputs(int n) throws UnsupportedModelException {
            if (op.outputs().length != n) {
                throw unsupported(op.outputs().length + " outputs, expected " + n);
            }
        }

        TensorInfo input(int i) throws UnsupportedModelException {
            int t = i < op.inputs().length ? op.inputs()[i] : -1;
            if (t < 0) {
                throw unsupported("input " + i + " is missing");
            }
            return tensors.get(t);
        }

        TensorInfo output(int i) {
            return tensors.get(op.outputs()[i]);
        }

        TensorInfo constantInput(int i, String role) throws UnsupportedModelException {
            TensorInfo t = input(i);
            if (t.data() == null) {
                throw unsupported(role + " tensor " + t.index() + " '" + t.name() + "' is not constant; qlanes "
                        + "needs constant " + role);
            }
            return t;
        }

        /** Input 2 as a bias: absent (-1) gives null; present, it must be constant, of the type, with units elements. */
        TensorInfo optionalBias(TensorType type, int units) throws UnsupportedModelException {
            if (op.inputs().length < 3 || op.inputs()[2] < 0) {
                return null;
            }
            TensorInfo b = constantInput(2, "bias");
            if (b.type() != type) {
                throw unsupported("bias tensor " + b.index() + " '" + b.name() + "' is " + b.type() + ", expected "
                        + type);
            }
            if (b.elementCount() != units) {
                throw unsupported("bias tensor " + b.index() + " '" + b.name() + "' has " + b.elementCount()
                        + " elements, expected " + units + " (one per output unit)");
            }
            return b;
        }

        void requireType(TensorInfo t, String role, TensorType... types) throws UnsupportedModelException {
            if (!Arrays.asList(types).contains(t.type())) {
                throw unsupported(role + " tensor " + t.index() + " '" + t.name() + "' is " + t.type()
                        + ", expected " + (types.length == 1 ? types[0] : Arrays.toString(types)));
            }
        }

        void requireOutputType(int i, TensorType type) throws UnsupportedModelException {
            requireType(output(i), "output", type);
        }

        <T extends OperatorOptions> T options(Class<T> type) throws UnsupportedModelException {
            OperatorOptions o = op.options();
            if (!type.isInstance(o)) {
                throw unsupported("has no " + type.getSimpleName() + " (found " + o + ")");
            }
            return type.cast(o);
        }

        FusedActivation activation(ActivationFunction f) throws UnsupportedModelException {
            return switch (f) {
                case NONE -> FusedActivation.NONE;
                case RELU -> FusedActivation.RELU;
                case RELU_N1_TO_1 -> FusedActivation.RELU_N1_TO_1;
                case RELU6 -> FusedActivation.RELU6;
                default -> throw unsupported("fused activation " + f
                        + "; supported: NONE, RELU, RELU_N1_TO_1, RELU6");
            };
        }

        /** One scale and one zero point, the zero point in the tensor type's range; what int8 activations carry. */
        Quantization perTensorQuantization(TensorInfo t, String role) throws UnsupportedModelException {
            Quantization q = t.quantization();
            if (q == null || q.scales().length != 1 || q.zeroPoints().length != 1) {
                throw unsupported(role + " tensor " + t.index() + " '" + t.name() + "' needs one scale and one zero "
                        + "point, found " + (q == null ? "none" : q.scales().length + " and " + q.zeroPoints().length));
            }
            return q;
        }
    }
}
