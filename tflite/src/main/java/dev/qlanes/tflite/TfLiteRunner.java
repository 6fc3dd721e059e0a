package dev.qlanes.tflite;

import dev.qlanes.tflite.internal.Backend;
import dev.qlanes.tflite.internal.GraphPlan;
import dev.qlanes.tflite.internal.OpKernel;
import dev.qlanes.tflite.internal.TensorArrays;
import dev.qlanes.tflite.schema.TensorInfo;
import dev.qlanes.tflite.schema.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * One batch size of a {@link TfLiteModel}, with its own activation arrays: set the inputs, {@link #run()}, read the
 * outputs. Not thread-safe: use one runner per thread (runners of one model share its prepared layers). In steady
 * state {@link #run()} allocates nothing.
 *
 * <p>Inputs and outputs are addressed by their position in the model's input and output lists. A FLOAT32 tensor
 * is set and read with {@code float[]}, an INT8 tensor with {@code byte[]}; the array's length must equal the
 * tensor's element count ({@link #inputShape}, {@link #outputShape}). Wrong arguments throw before anything is
 * written: {@link IndexOutOfBoundsException} for an index, {@link IllegalArgumentException} for a type or length,
 * {@link NullPointerException} for a null array.
 */
public final class TfLiteRunner {
    private final TfLiteModel model;
    private final List<TensorInfo> tensors;
    private final int[] inputs;
    private final int[] outputs;
    private final TensorArrays arrays;
    private final Runnable[] steps;
    private final int batch;

    TfLiteRunner(TfLiteModel model, GraphPlan plan, int batch, Backend backend) {
        this.model = model;
        this.tensors = plan.tensors();
        this.inputs = plan.inputs();
        this.outputs = plan.outputs();
        this.batch = batch;
        this.arrays = new TensorArrays(tensors, plan.shapes(batch));
        List<OpKernel> kernels = plan.kernels();
        this.steps = new Runnable[kernels.size()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = kernels.get(i).bind(arrays, backend);
        }
    }

    /** The model this runner runs. */
    public TfLiteModel model() {
        return model;
    }

    /** The batch this runner was made for (input 0's first dimension). */
    public int batch() {
        return batch;
    }

    public int inputCount() {
        return inputs.length;
    }

    public int outputCount() {
        return outputs.length;
    }

    /** Input {@code i}'s shape in this runner (a copy). */
    public int[] inputShape(int i) {
        return arrays.shape(input(i)).clone();
    }

    /** Output {@code i}'s shape in this runner (a copy). */
    public int[] outputShape(int i) {
        return arrays.shape(output(i)).clone();
    }

    /** Input {@code i}'s element type: {@link TensorType#FLOAT32} or {@link TensorType#INT8}. */
    public TensorType inputType(int i) {
        return tensors.get(input(i)).type();
    }

    /** Output {@code i}'s element type: {@link TensorType#FLOAT32} or {@link TensorType#INT8}. */
    public TensorType outputType(int i) {
        return tensors.get(output(i)).type();
    }

    /** Input {@code i}'s tensor, with its name and quantization. */
    public TensorInfo inputTensor(int i) {
        return tensors.get(input(i));
    }

    /** Output {@code i}'s tensor, with its name and quantization. */
    public TensorInfo outputTensor(int i) {
        return tensors.get(output(i));
    }

    /** Copies {@code values} into FLOAT32 input {@code i}. */
    public void setInput(int i, float[] values) {
        int t = input(i);
        check("input", i, t, TensorType.FLOAT32, Objects.requireNonNull(values, "values").length);
        System.arraycopy(values, 0, arrays.floats(t), 0, values.length);
    }

    /** Copies {@code values} into INT8 input {@code i}. */
    public void setInput(int i, byte[] values) {
        int t = input(i);
        check("input", i, t, TensorType.INT8, Objects.requireNonNull(values, "values").length);
        System.arraycopy(values, 0, arrays.bytes(t), 0, values.length);
    }

    /**
     * Runs the model's operators in order on the current inputs.
     *
     * @throws IllegalStateException if the model was closed
     */
    public void run() {
        model.checkOpen();
        for (Runnable step : steps) {
            step.run();
        }
    }

    /** Copies FLOAT32 output {@code i} into {@code into}. */
    public void getOutput(int i, float[] into) {
        int t = output(i);
        check("output", i, t, TensorType.FLOAT32, Objects.requireNonNull(into, "into").length);
        System.arraycopy(arrays.floats(t), 0, into, 0, into.length);
    }

    /** Copies INT8 output {@code i} into {@code into}. */
    public void getOutput(int i, byte[] into) {
        int t = output(i);
        check("output", i, t, TensorType.INT8, Objects.requireNonNull(into, "into").length);
        System.arraycopy(arrays.bytes(t), 0, into, 0, into.length);
    }

    private int input(int i) {
        if (i < 0 || i >= inputs.length) {
            throw new IndexOutOfBoundsException("input index " + i + ", expected [0, " + inputs.length + ")");
        }
        return inputs[i];
    }

    private int output(int i) {
        if (i < 0 || i >= outputs.length) {
            throw new IndexOutOfBoundsException("output index " + i + ", expected [0, " + outputs.length + ")");
        }
        return outputs[i];
    }

    private void check(String role, int i, int t, TensorType type, int length) {
        TensorInfo info = tensors.get(t);
        if (info.type() != type) {
            throw new IllegalArgumentException(role + " " + i + " '" + info.name() + "' is " + info.type()
                    + ", not " + type + ": use the " + (info.type() == TensorType.INT8 ? "byte[]" : "float[]")
                    + " overload");
        }
        if (length != arrays.count(t)) {
            throw new IllegalArgumentException(role + " " + i + " '" + info.name() + "' has "
                    + arrays.count(t) + " elements, the array " + length);
        }
    }
}
