package dev.qlanes.tflite.internal;

import dev.qlanes.tflite.schema.OperatorInfo;

/**
 * One operator of a model, prepared once per model (TFLite's {@code Prepare}: types checked, constants read,
 * layers built) and shared by every runner. A runner asks it for its output shape at the runner's batch size, then
 * binds it to the runner's arrays.
 */
public abstract class OpKernel {
    protected final OperatorInfo op;

    protected OpKernel(OperatorInfo op) {
        this.op = op;
    }

    /** The operator this kernel runs. */
    public OperatorInfo operator() {
        return op;
    }

    /**
     * The output's shape, given every tensor's shape in the runner (inputs already resolved).
     *
     * @throws IllegalArgumentException when the resized shapes do not fit the operator (the message names it)
     */
    public abstract int[] outputShape(int[][] shapes);

    /** The operator's call over the runner's arrays; runs without allocating. */
    public abstract Runnable bind(TensorArrays arrays, Backend backend);

    /** One line for {@code describe}: what this operator computes and with which parameters. */
    public abstract String summary();

    /** "operator 3 (FULLY_CONNECTED)", the prefix of every message about this operator. */
    protected String where() {
        return "operator " + op.index() + " (" + op.op().name() + ")";
    }
}
