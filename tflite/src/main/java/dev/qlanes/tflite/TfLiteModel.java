package dev.qlanes.tflite;

import dev.qlanes.reference.Requantization;
import dev.qlanes.reference.Rounding;
import dev.qlanes.tflite.internal.Backend;
import dev.qlanes.tflite.internal.GraphPlan;
import dev.qlanes.tflite.internal.OpKernel;
import dev.qlanes.tflite.internal.Operators;
import dev.qlanes.tflite.schema.ModelFile;
import dev.qlanes.tflite.schema.Quantization;
import dev.qlanes.tflite.schema.TensorInfo;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A TensorFlow Lite model ({@code .tflite} file) prepared to run on qlanes: subgraph 0 with its FULLY_CONNECTED
 * layers (float, hybrid and full-integer int8) and the operators small FULLY_CONNECTED models carry
 * ({@link Operators#SUPPORTED}), computing bit for bit what TFLite's reference kernels compute
 * ({@code docs/tflite-compatibility.md}).
 *
 * <p>Opening reads the file into native memory (it is not mapped: a model file replaced or truncated in place
 * afterwards does not affect the model) and checks it completely: a malformed file throws
 * {@link dev.qlanes.tflite.schema.ModelFormatException}, a well-formed one that qlanes cannot run exactly throws
 * {@link UnsupportedModelException}, each naming what and where. Int8 weights are used in place from that memory,
 * except a layer's of at most 1 MiB, which are copied onto the heap (the loops over short rows run faster there);
 * each FULLY_CONNECTED layer is prepared once here (TFLite's {@code Prepare}) and shared by every runner.
 *
 * <p>A model is immutable and thread-safe: any number of {@link TfLiteRunner}s, one per thread, may run it at
 * once. {@link #close()} frees the file's memory; runners must not be used afterwards (their {@code run()} then
 * throws {@link IllegalStateException}).
 */
public final class TfLiteModel implements AutoCloseable {
    private final ModelFile file;
    /** Set by {@link #close()}; runners check it, since small layers no longer read the file's memory. */
    private volatile boolean closed;
    private final Requantization requantization;
    private final GraphPlan plan;

    private TfLiteModel(ModelFile file, Requantization requantization) throws UnsupportedModelException {
        this.file = file;
        this.requantization = requantization;
        this.plan = GraphPlan.prepare(file, requantization);
    }

    /**
     * Opens a model as TFLite's reference kernels run it today: int8 FULLY_CONNECTED requantizes in double
     * precision ({@link Requantization#DOUBLE_FLOAT}, TFLite since April 2025).
     *
     * @throws dev.qlanes.tflite.schema.ModelFormatException for a malformed file
     * @throws UnsupportedModelException for a model qlanes cannot run exactly
     * @throws IOException when the file cannot be read
     */
    public static TfLiteModel open(Path file) throws IOException {
        return open(file, Requantization.DOUBLE_FLOAT);
    }

    /**
     * Opens a model whose int8 FULLY_CONNECTED layers requantize with TFLite's fixed-point multiplier in the given
     * rounding: {@link Rounding#DOUBLE_ROUNDING} is TFLite's reference before April 2025 and its default build's
     * fixed point; {@link Rounding#SINGLE_ROUNDING} is ruy on ARM64 and {@code TFLITE_SINGLE_ROUNDING} builds.
     *
     * @see #open(Path)
     */
    public static TfLiteModel open(Path file, Rounding rounding) throws IOException {
        Objects.requireNonNull(rounding, "rounding");
        return open(file, Requantization.fixedPoint(rounding));
    }

    /** Opens a model with the given requantization of its int8 FULLY_CONNECTED layers. */
    public static TfLiteModel open(Path file, Requantization requantization) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(requantization, "requantization");
        ModelFile f = ModelFile.open(file);
        try {
            return new TfLiteModel(f, requantization);
        } catch (IOException | RuntimeException | Error e) {
            f.close();
            throw e;
        }
    }

    /**
     * A model from bytes the caller owns (for example a resource read into memory): the same checks as
     * {@link #open(Path, Requantization)}; the segment must stay valid while the model is used.
     */
    public static TfLiteModel read(MemorySegment bytes, Requantization requantization) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(requantization, "requantization");
        return new TfLiteModel(ModelFile.read(bytes), requantization);
    }

    /**
     * A runner for {@code batch} rows: input 0's first dimension is resized to {@code batch}, as TFLite's
     * {@code ResizeInputTensor}, and every other shape follows. The runner owns its activation arrays and
     * allocates nothing per {@link TfLiteRunner#run()}; use it from one thread at a time.
     *
     * @param batch ≥ 1
     * @throws IllegalArgumentException when the graph cannot take that batch (e.g. a RESHAPE to a fixed shape)
     */
    public TfLiteRunner newRunner(int batch) {
        return new TfLiteRunner(this, plan, batch, Backend.QLANES);
    }

    /**
     * A runner that executes every operator through its plain scalar twin in {@code dev.qlanes.reference}: slow,
     * and equal to {@link #newRunner(int)}'s results bit for bit. For checking and debugging.
     */
    public TfLiteRunner newReferenceRunner(int batch) {
        return new TfLiteRunner(this, plan, batch, Backend.REFERENCE);
    }

    /** How int8 FULLY_CONNECTED layers requantize in this model. */
    public Requantization requantization() {
        return requantization;
    }

    /**
     * A readable account of the model: its tensors (type, shape, quantization), its operators with what each
     * computes (layer sizes, per-tensor or per-channel scales, derived multipliers and shifts), inputs and outputs.
     */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append("model: schema version ").append(file.version());
        if (!file.description().isEmpty()) {
            s.append(", '").append(file.description()).append('\'');
        }
        s.append(", ").append(plan.tensors().size()).append(" tensors, ").append(plan.kernels().size())
                .append(" operators, requantization ").append(requantization).append('\n');
        s.append("inputs: ").append(Arrays.toString(plan.inputs())).append(", outputs: ")
                .append(Arrays.toString(plan.outputs())).append('\n');
        s.append("operators:\n");
        for (OpKernel k : plan.kernels()) {
            s.append(String.format("  %3d %-16s in %s out %s: %s%n", k.operator().index(), k.operator().op().name(),
                    Arrays.toString(k.operator().inputs()), Arrays.toString(k.operator().outputs()), k.summary()));
        }
        s.append("tensors:\n");
        for (TensorInfo t : plan.tensors()) {
            s.append(String.format("  %3d %-8s %-16s %s%s%s%n", t.index(), t.type(), Arrays.toString(t.shape()),
                    t.name(), t.data() != null ? " (constant)" : "", quantization(t.quantization())));
        }
        return s.toString();
    }

    private static String quantization(Quantization q) {
        if (q == null) {
            return "";
        }
        if (!q.perChannel()) {
            return ", scale " + q.scales()[0] + ", zero point " + q.zeroPoints()[0];
        }
        float[] scales = q.scales().clone(); // the reader guarantees finite positive scales
        Arrays.sort(scales);
        return ", per-channel along dimension " + q.quantizedDimension() + ": " + scales.length + " scales in ["
                + scales[0] + ", " + scales[scales.length - 1] + "]";
    }

    /** Frees the file's memory. Runners of this model must not be used afterwards: their {@code run()} throws. */
    @Override
    public void close() {
        closed = true;
        file.close();
    }

    /** Throws {@link IllegalStateException} once {@link #close()} has been called. */
    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this model was closed: its runners cannot run any more");
        }
    }
}
