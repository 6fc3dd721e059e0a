package dev.qlanes.tflite.internal;

import dev.qlanes.reference.Requantization;
import dev.qlanes.tflite.UnsupportedModelException;
import dev.qlanes.tflite.schema.ModelFile;
import dev.qlanes.tflite.schema.OperatorInfo;
import dev.qlanes.tflite.schema.TensorInfo;
import dev.qlanes.tflite.schema.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Subgraph 0 of a model, checked and prepared: TFLite executes operators in file order, so every tensor an
 * operator reads must be constant, a model input, or written by an earlier operator (which also rules out cycles),
 * and every tensor is written at most once. Each operator's kernel is prepared here, once per model.
 */
public final class GraphPlan {
    /** The largest element count of a runner's tensor: what a Java array can hold. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final List<TensorInfo> tensors;
    private final int[] inputs;
    private final int[] outputs;
    private final List<OpKernel> kernels;

    private GraphPlan(ModelFile file, List<OpKernel> kernels) {
        this.tensors = file.tensors();
        this.inputs = file.inputs();
        this.outputs = file.outputs();
        this.kernels = List.copyOf(kernels);
    }

    /** Checks the graph and prepares every operator. */
    public static GraphPlan prepare(ModelFile file, Requantization requantization) throws UnsupportedModelException {
        List<TensorInfo> tensors = file.tensors();
        String[] writer = new String[tensors.size()];
        for (TensorInfo t : tensors) {
            if (t.data() != null) {
                writer[t.index()] = "constant";
            }
        }
        if (file.inputs().length == 0 || file.outputs().length == 0) {
            throw new UnsupportedModelException("the model has " + file.inputs().length + " inputs and "
                    + file.outputs().length + " outputs; qlanes needs at least one of each");
        }
        for (int i : file.inputs()) {
            TensorInfo t = tensors.get(i);
            requireActivationType(t, "model input");
            if (writer[i] != null) {
                throw new UnsupportedModelException("model input tensor " + i + " '" + t.name() + "' is "
                        + (writer[i].equals("constant") ? "constant" : "listed twice"));
            }
            writer[i] = "model input";
        }
        List<OpKernel> kernels = new ArrayList<>();
        for (OperatorInfo op : file.operators()) {
            String where = "operator " + op.index() + " (" + op.op().name() + ")";
            for (int t : op.inputs()) {
                if (t >= 0 && writer[t] == null) {
                    throw new UnsupportedModelException(where + " reads tensor " + t + " '" + tensors.get(t).name()
                            + "', which is not constant, not a model input, and not written by an earlier operator");
                }
            }
            for (int t : op.outputs()) {
                if (writer[t] != null) {
                    throw new UnsupportedModelException(where + " writes tensor " + t + " '" + tensors.get(t).name()
                            + "', which is already " + (writer[t].startsWith("operator") ? "written by " : "a ")
                            + writer[t]);
                }
                writer[t] = where;
            }
            kernels.add(Operators.prepare(op, tensors, requantization));
        }
        for (int o : file.outputs()) {
            TensorInfo t = tensors.get(o);
            if (writer[o] == null) {
                throw new UnsupportedModelException("model output tensor " + o + " '" + t.name()
                        + "' is written by no operator");
            }
            requireActivationType(t, "model output");
        }
        return new GraphPlan(file, kernels);
    }

    private static void requireActivationType(TensorInfo t, String role) throws UnsupportedModelException {
        if (t.type() != TensorType.FLOAT32 && t.type() != TensorType.INT8) {
            throw new UnsupportedModelException(role + " tensor " + t.index() + " '" + t.name() + "' is " + t.type()
                    + "; qlanes runs FLOAT32 and INT8 inputs and outputs");
        }
    }

    /**
     * Every tensor's shape with input 0's first dimension set to {@code batch}, the other shapes derived operator
     * by operator as TFLite's {@code ResizeInputTensor} and {@code AllocateTensors} do.
     *
     * @throws IllegalArgumentException when the batch does not fit the graph or a tensor would exceed an array
     */
    public int[][] shapes(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch = " + batch + ", expected >= 1");
        }
        int[][] shapes = new int[tensors.size()][];
        for (TensorInfo t : tensors) {
            shapes[t.index()] = t.shape();
        }
        int in = inputs[0];
        if (shapes[in].length == 0) {
            throw new IllegalArgumentException("model input 0 '" + tensors.get(in).name()
                    + "' is a scalar; it has no batch dimension to resize");
        }
        shapes[in] = shapes[in].clone();
        shapes[in][0] = batch;
        // Every model input, not only the resized one: the runner allocates each and setInput takes its size.
        for (int i : inputs) {
            checkSize(i, shapes[i]);
        }
        for (OpKernel k : kernels) {
            int out = k.operator().outputs()[0];
            shapes[out] = k.outputShape(shapes);
            checkSize(out, shapes[out]);
        }
        return shapes;
    }

    private void checkSize(int t, int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > MAX_ELEMENTS) {
                throw new IllegalArgumentException("tensor " + t + " '" + tensors.get(t).name() + "' would have shape "
                        + Arrays.toString(shape) + ", more elements than a Java array holds");
            }
        }
    }

    public List<TensorInfo> tensors() {
        return tensors;
    }

    public int[] inputs() {
        return inputs.clone();
    }

    public int[] outputs() {
        return outputs.clone();
    }

    public List<OpKernel> kernels() {
        return kernels;
    }
}
