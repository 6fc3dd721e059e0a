package dev.qlanes.tflite.schema;

import java.util.Arrays;
import java.util.Objects;

/**
 * One operator of a subgraph, in execution order: TFLite's {@code Operator} table with its operator code resolved.
 *
 * @param index the operator's position in its subgraph
 * @param op the operator ({@link BuiltinOperator#CUSTOM} for a custom operator, whose name is in its
 *        {@link CustomOptions})
 * @param inputs tensor indices, each a valid index of the subgraph or -1 for an absent optional input (copied in
 *        and out)
 * @param outputs tensor indices, each a valid index of the subgraph (copied in and out)
 * @param options the decoded options, never null: see {@link OperatorOptions}
 */
public record OperatorInfo(int index, BuiltinOperator op, int[] inputs, int[] outputs, OperatorOptions options) {

    /**
     * @throws IllegalArgumentException for a negative index, an input index below -1, a negative output index, or
     *         options that belong to another operator
     * @throws NullPointerException if op, an array or options is null
     */
    public OperatorInfo {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(options, "options");
        inputs = inputs.clone();
        outputs = outputs.clone();
        if (index < 0) {
            throw new IllegalArgumentException("index " + index + " < 0");
        }
        for (int i : inputs) {
            if (i < -1) {
                throw new IllegalArgumentException("input tensor index " + i + " < -1");
            }
        }
        for (int o : outputs) {
            if (o < 0) {
                throw new IllegalArgumentException("output tensor index " + o + " < 0");
            }
        }
        BuiltinOperator expected = switch (options) {
            case FullyConnectedOptions x -> BuiltinOperator.FULLY_CONNECTED;
            case SoftmaxOptions x -> BuiltinOperator.SOFTMAX;
            case AddOptions x -> BuiltinOperator.ADD;
            case MulOptions x -> BuiltinOperator.MUL;
            case ReshapeOptions x -> BuiltinOperator.RESHAPE;
            case CustomOptions x -> BuiltinOperator.CUSTOM;
            case OperatorOptions.None x -> null;
        };
        if (expected != null && expected != op) {
            throw new IllegalArgumentException(options + " given to a " + op + " operator");
        }
    }

    /** @return a copy of the input tensor indices */
    @Override
    public int[] inputs() {
        return inputs.clone();
    }

    /** @return a copy of the output tensor indices */
    @Override
    public int[] outputs() {
        return outputs.clone();
    }

    /** @return the number of inputs, absent optional ones (-1) included */
    public int inputCount() {
        return inputs.length;
    }

    /**
     * @param i {@code 0 <= i < inputCount()}
     * @return the tensor index of input {@code i}, or -1 when that optional input is absent
     */
    public int input(int i) {
        return inputs[i];
    }

    /** @return the number of outputs */
    public int outputCount() {
        return outputs.length;
    }

    /**
     * @param i {@code 0 <= i < outputCount()}
     * @return the tensor index of output {@code i}
     */
    public int output(int i) {
        return outputs[i];
    }

    /** @return the custom operator's name, or null for a builtin operator */
    public String customCode() {
        return options instanceof CustomOptions c ? c.customCode() : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OperatorInfo p && index == p.index && op == p.op && Arrays.equals(inputs, p.inputs)
                && Arrays.equals(outputs, p.outputs) && options.equals(p.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, op, Arrays.hashCode(inputs), Arrays.hashCode(outputs), options);
    }

    @Override
    public String toString() {
        return "OperatorInfo[" + index + " " + (op == BuiltinOperator.CUSTOM ? "CUSTOM '" + customCode() + "'" : op)
                + " inputs " + Arrays.toString(inputs) + " outputs " + Arrays.toString(outputs) + ", " + options + "]";
    }
}
