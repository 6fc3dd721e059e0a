package dev.qlanes.jmh.peers;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Map;

/**
 * ONNX Runtime as a benchmark peer: one {@link OrtSession} for one single-node model from {@link OnnxModels},
 * with its input and output tensors bound once to preallocated direct buffers.
 *
 * <p>All the expensive work (building the model, creating the session, which pre-packs the constant weights,
 * allocating the tensors) happens in the factory methods. A call then costs: copying the input into the
 * direct input buffer, one {@code OrtSession.run} into the pinned output tensor (no output allocation; the
 * Java API still allocates a small {@code Result} and a few wrapper objects per call), and copying the output
 * out. {@link #run()} skips both copies for callers that fill {@link #int8Input()} / {@link #floatInput()}
 * and read {@link #int32Output()} / {@link #floatOutput()} themselves.
 *
 * <p>Sessions run single-threaded on ONNX Runtime's default CPU execution provider (MLAS kernels): one
 * intra-op and one inter-op thread, sequential execution, all graph optimizations. The shared
 * {@link OrtEnvironment} singleton is used and never closed.
 *
 * <p>Layout: weights are qlanes' row-major {@code [rows][cols]}; inputs are {@code [batch][cols]} and outputs
 * {@code [batch][rows]}, row-major. What ONNX Runtime 1.29 runs for each {@link Kind} on x86-64 (MLAS):
 * <ul>
 *   <li>{@link Kind#MAT_MUL_INTEGER} (int8 × int8 → int32): exact, but without AVX-VNNI-INT8 MLAS has no
 *       vectorized s8×s8 kernel and runs its portable C++ one (slow).</li>
 *   <li>{@link Kind#MAT_MUL_INTEGER_U8S8}: the same product with the input shifted to uint8, which selects
 *       MLAS's optimized u8×s8 kernels. Without VNNI they add pairs of products with
 *       {@code vpmaddubsw}, which saturates at ±32767: results are wrong once
 *       {@code |a+128|·|w|} pairs exceed int16, e.g. for full-range weights.</li>
 *   <li>{@link Kind#MAT_MUL_INTEGER_U8U8}: both operands shifted to uint8: MLAS's u8×u8 kernels, which
 *       widen to 16 bits before multiplying; exact.</li>
 *   <li>{@link Kind#DYNAMIC_QUANTIZE_MAT_MUL}: the hybrid peer, float → float. It quantizes the whole input
 *       tensor (one scale and zero point for all batch rows, not per row) to uint8, then runs the u8×s8
 *       kernels, so it saturates like {@code MAT_MUL_INTEGER_U8S8}.</li>
 *   <li>{@link Kind#DYNAMIC_QUANTIZE_MAT_MUL_U8}: the same with the weights shifted to uint8: u8×u8
 *       kernels, no saturation; only the input quantization error remains.</li>
 * </ul>
 *
 * <p>Not thread-safe: one instance per benchmark thread. The JVM needs
 * {@code --enable-native-access=ALL-UNNAMED} to load ONNX Runtime's JNI library without a warning.
 */
public final class OnnxMatMul implements AutoCloseable {

    /** Which model, and so which {@code run} method: {@code byte[] → int[]} or {@code float[] → float[]}. */
    public enum Kind {
        MAT_MUL_INTEGER(OnnxModels.Operands.S8S8),
        MAT_MUL_INTEGER_U8S8(OnnxModels.Operands.U8S8),
        MAT_MUL_INTEGER_U8U8(OnnxModels.Operands.U8U8),
        DYNAMIC_QUANTIZE_MAT_MUL(null),
        DYNAMIC_QUANTIZE_MAT_MUL_U8(null);

        private final OnnxModels.Operands operands;

        Kind(OnnxModels.Operands operands) {
            this.operands = operands;
        }

        /** True for the {@code DynamicQuantizeMatMul} kinds (float input and output). */
        public boolean isFloat() {
            return operands == null;
        }

        /** True where the int8 input is fed to ORT as uint8 {@code a + 128}. */
        boolean unsignedInput() {
            return operands != null && operands != OnnxModels.Operands.S8S8;
        }
    }

    private static final int ALIGNMENT = 64;

    private final Kind kind;
    private final int rows;
    private final int cols;
    private final int batch;
    private final OrtSession session;
    private final ByteBuffer inputBytes;
    private final FloatBuffer inputFloats;
    private final IntBuffer outputInts;
    private final FloatBuffer outputFloats;
    private final OnnxTensor inputTensor;
    private final OnnxTensor outputTensor;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> outputs;

    private OnnxMatMul(Kind kind, byte[] model, int rows, int cols, int batch) throws OrtException {
        this.kind = kind;
        this.rows = rows;
        this.cols = cols;
        this.batch = batch;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] inputShape = {batch, cols};
        long[] outputShape = {batch, rows};
        OrtSession created = null;
        OnnxTensor in = null;
        try {
            try (SessionOptions options = singleThreaded()) {
                created = env.createSession(model, options);
            }
            if (kind.isFloat()) {
                inputBytes = null;
                inputFloats = direct(4L * batch * cols).asFloatBuffer();
                outputInts = null;
                outputFloats = direct(4L * batch * rows).asFloatBuffer();
                in = OnnxTensor.createTensor(env, inputFloats, inputShape);
                outputTensor = OnnxTensor.createTensor(env, outputFloats, outputShape);
            } else {
                inputBytes = direct((long) batch * cols);
                inputFloats = null;
                outputInts = direct(4L * batch * rows).asIntBuffer();
                outputFloats = null;
                OnnxJavaType type = kind.unsignedInput() ? OnnxJavaType.UINT8 : OnnxJavaType.INT8;
                in = OnnxTensor.createTensor(env, inputBytes, inputShape, type);
                outputTensor = OnnxTensor.createTensor(env, outputInts, outputShape);
            }
        } catch (OrtException | RuntimeException e) {
            if (in != null) {
                in.close();
            }
            if (created != null) {
                created.close();
            }
            throw e;
        }
        session = created;
        inputTensor = in;
        inputs = Map.of(OnnxModels.INPUT, inputTensor);
        outputs = Map.of(OnnxModels.OUTPUT, outputTensor);
    }

    /** {@code MatMulInteger}, int8 × int8 ({@link Kind#MAT_MUL_INTEGER}); run with {@link #run(byte[], int[])}. */
    public static OnnxMatMul matMulInteger(byte[] weights, int rows, int cols, int batch) throws OrtException {
        return matMulInteger(weights, rows, cols, batch, OnnxModels.Operands.S8S8);
    }

    /**
     * {@code MatMulInteger} with the given operand types ({@link Kind#MAT_MUL_INTEGER},
     * {@link Kind#MAT_MUL_INTEGER_U8S8} or {@link Kind#MAT_MUL_INTEGER_U8U8}); run with
     * {@link #run(byte[], int[])}, which takes int8 activations whatever the operand types.
     */
    public static OnnxMatMul matMulInteger(byte[] weights, int rows, int cols, int batch,
            OnnxModels.Operands operands) throws OrtException {
        Kind kind = switch (operands) {
            case S8S8 -> Kind.MAT_MUL_INTEGER;
            case U8S8 -> Kind.MAT_MUL_INTEGER_U8S8;
            case U8U8 -> Kind.MAT_MUL_INTEGER_U8U8;
        };
        return new OnnxMatMul(kind, OnnxModels.matMulInteger(weights, rows, cols, batch, operands, false),
                rows, cols, batch);
    }

    /**
     * {@code DynamicQuantizeMatMul} with int8 weights ({@link Kind#DYNAMIC_QUANTIZE_MAT_MUL}) and weight scales
     * of length 1 (per-tensor) or {@code rows} (per channel); run with {@link #run(float[], float[])}.
     */
    public static OnnxMatMul dynamicQuantizeMatMul(byte[] weights, int rows, int cols, int batch, float[] scales)
            throws OrtException {
        return dynamicQuantizeMatMul(weights, rows, cols, batch, scales, false);
    }

    /**
     * {@code DynamicQuantizeMatMul}; with {@code unsignedWeights} the weights are stored as uint8
     * {@code w + 128} ({@link Kind#DYNAMIC_QUANTIZE_MAT_MUL_U8}), else as int8
     * ({@link Kind#DYNAMIC_QUANTIZE_MAT_MUL}).
     */
    public static OnnxMatMul dynamicQuantizeMatMul(byte[] weights, int rows, int cols, int batch, float[] scales,
            boolean unsignedWeights) throws OrtException {
        Kind kind = unsignedWeights ? Kind.DYNAMIC_QUANTIZE_MAT_MUL_U8 : Kind.DYNAMIC_QUANTIZE_MAT_MUL;
        return new OnnxMatMul(kind,
                OnnxModels.dynamicQuantizeMatMul(weights, rows, cols, batch, scales, unsignedWeights, false),
                rows, cols, batch);
    }

    /**
     * Runs an integer model: {@code output[b*rows + r] = Σ_c input[b*cols + c] · W[r][c]}.
     *
     * @param input  {@code batch × cols} int8 activations
     * @param output receives {@code batch × rows} int32 results
     */
    public void run(byte[] input, int[] output) throws OrtException {
        if (inputBytes == null) {
            throw new IllegalStateException(kind + " takes float input");
        }
        checkLength(input.length, batch * cols, "input");
        checkLength(output.length, batch * rows, "output");
        if (kind.unsignedInput()) {
            for (int i = 0; i < input.length; i++) {
                inputBytes.put(i, (byte) (input[i] ^ 0x80)); // a + 128 as uint8
            }
        } else {
            inputBytes.put(0, input);
        }
        run();
        outputInts.get(0, output);
    }

    /**
     * Runs {@code DynamicQuantizeMatMul}: {@code output[b*rows + r] ≈ Σ_c input[b*cols + c] · scale[r] · W[r][c]}.
     *
     * @param input  {@code batch × cols} float activations
     * @param output receives {@code batch × rows} floats
     */
    public void run(float[] input, float[] output) throws OrtException {
        if (inputFloats == null) {
            throw new IllegalStateException(kind + " takes int8 input");
        }
        checkLength(input.length, batch * cols, "input");
        checkLength(output.length, batch * rows, "output");
        inputFloats.put(0, input);
        run();
        outputFloats.get(0, output);
    }

    /**
     * Runs the model on the current contents of the input buffer, writing the output buffer; no copies. For
     * the unsigned-input kinds the input buffer holds uint8 values {@code a + 128}.
     */
    public void run() throws OrtException {
        // Pinned output: ORT writes into outputTensor; the Result does not own it, closing it frees only the wrapper.
        try (OrtSession.Result ignored = session.run(inputs, outputs)) {
            // nothing to read: the output is already in the pinned buffer
        }
    }

    /** The direct input buffer of an integer model ({@code batch × cols} bytes, absolute indexing). */
    public ByteBuffer int8Input() {
        return require(inputBytes, "int8 input");
    }

    /** The direct input buffer of {@code DynamicQuantizeMatMul} ({@code batch × cols} floats). */
    public FloatBuffer floatInput() {
        return require(inputFloats, "float input");
    }

    /** The direct output buffer of an integer model ({@code batch × rows} ints). */
    public IntBuffer int32Output() {
        return require(outputInts, "int32 output");
    }

    /** The direct output buffer of {@code DynamicQuantizeMatMul} ({@code batch × rows} floats). */
    public FloatBuffer floatOutput() {
        return require(outputFloats, "float output");
    }

    public Kind kind() {
        return kind;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int batch() {
        return batch;
    }

    /** The ONNX Runtime native library version, e.g. {@code "1.29.0"}. */
    public static String version() {
        return OrtEnvironment.getEnvironment().getVersion();
    }

    /** Closes the session and the tensors (not the shared environment). */
    @Override
    public void close() throws OrtException {
        try {
            session.close();
        } finally {
            inputTensor.close();
            outputTensor.close();
        }
    }

    @Override
    public String toString() {
        return "OnnxMatMul[" + kind + ", " + batch + "x" + rows + "x" + cols + "]";
    }

    private static SessionOptions singleThreaded() throws OrtException {
        SessionOptions options = new SessionOptions();
        try {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /** A direct, native-order, 64-byte aligned buffer, so ORT can use it in place. */
    private static ByteBuffer direct(long bytes) {
        long padded = (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT; // alignedSlice also trims the end
        if (padded > Integer.MAX_VALUE - 2 * ALIGNMENT) {
            throw new IllegalArgumentException("tensor of " + bytes + " bytes is too large");
        }
        return ByteBuffer.allocateDirect((int) padded + ALIGNMENT).alignedSlice(ALIGNMENT)
                .limit((int) bytes).slice().order(ByteOrder.nativeOrder());
    }

    private static void checkLength(int actual, int expected, String what) {
        if (actual != expected) {
            throw new IllegalArgumentException(what + ".length = " + actual + ", expected " + expected);
        }
    }

    private <T> T require(T buffer, String what) {
        if (buffer == null) {
            throw new IllegalStateException(kind + " has no " + what);
        }
        return buffer;
    }
}
