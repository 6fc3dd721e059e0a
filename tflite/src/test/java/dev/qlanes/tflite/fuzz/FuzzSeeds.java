package dev.qlanes.tflite.fuzz;

import dev.qlanes.tflite.schema.ActivationFunction;
import dev.qlanes.tflite.schema.AddOptions;
import dev.qlanes.tflite.schema.BuiltinOperator;
import dev.qlanes.tflite.schema.FullyConnectedOptions;
import dev.qlanes.tflite.schema.MulOptions;
import dev.qlanes.tflite.schema.ReshapeOptions;
import dev.qlanes.tflite.schema.SoftmaxOptions;
import dev.qlanes.tflite.schema.TensorType;
import dev.qlanes.tflite.testing.TfLiteModelWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The seed corpus of the fuzz targets: two real models and small models written with {@link TfLiteModelWriter}
 * that cover what the real ones lack. Deterministic (seeded weights); {@link SeedCorpusTest} checks that the
 * checked-in files are exactly these, and rewrites them with {@code -Dqlanes.fuzz.writeSeeds=true}.
 *
 * <p>The two ToyCar models (270 KB and 1 MB) are not seeds: a seed that large makes libFuzzer's maximum input length
 * as large, slowing every mutation, and the corpus would exceed what a repository should carry per target. Their
 * structure (a chain of hybrid FULLY_CONNECTED layers with per-tensor int8 weights, float biases and RELU) is in
 * {@code toycar_quant_mini}, at widths 40-8-4-8-40 instead of 640-128-8-128-640.
 */
final class FuzzSeeds {
    static final String READER_DIR = "dev/qlanes/tflite/fuzz/ModelReaderFuzzTestInputs/read";
    static final String RUN_DIR = "dev/qlanes/tflite/fuzz/ModelRunFuzzTestInputs/run";

    private FuzzSeeds() {}

    /** Model name to file bytes. */
    static Map<String, byte[]> models() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("hello_world_int8", resource("/models/hello_world_int8.tflite"));
        m.put("hello_world_float", resource("/models/hello_world_float.tflite"));
        m.put("toycar_quant_mini", toyCarQuantMini());
        m.put("int8_per_channel", int8PerChannel());
        m.put("int8_quantize_dequantize", int8QuantizeDequantize());
        m.put("float_ops", floatOps());
        return m;
    }

    /** File name to bytes for the reader target: the models as they are. */
    static Map<String, byte[]> readerSeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        models().forEach((name, bytes) -> seeds.put(name + ".tflite", bytes));
        return seeds;
    }

    /** File name to bytes for the run target: each model with a pool of input bytes and its own batch and mode. */
    static Map<String, byte[]> runSeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        int i = 0;
        for (var e : models().entrySet()) {
            Random random = new Random(i);
            byte[] pool = new byte[64];
            random.nextBytes(pool);
            int batch = 1 + i % 4;
            int requantization = i % 3;
            boolean rawFloats = i % 2 == 1;
            seeds.put(e.getKey() + ".bin", RunInput.encode(e.getValue(), pool, batch, requantization, rawFloats));
            i++;
        }
        return seeds;
    }

    /** ToyCar_quant's kind of graph, narrow: hybrid FULLY_CONNECTED 40-8-4-8-40, RELU on all but the last. */
    static byte[] toyCarQuantMini() {
        Random random = new Random(640);
        int[] widths = {40, 8, 4, 8, 40};
        TfLiteModelWriter w = new TfLiteModelWriter();
        int x = w.tensor("input_1", TensorType.FLOAT32, 1, widths[0]).add();
        int input = x;
        for (int l = 0; l + 1 < widths.length; l++) {
            int units = widths[l + 1];
            int cols = widths[l];
            byte[] weights = bytes(random, units * cols);
            int wt = w.tensor("dense_" + l + "/weights", TensorType.INT8, units, cols)
                    .quantization(0.002f + random.nextFloat() * 0.01f, 0).data(weights).add();
            int b = w.tensor("dense_" + l + "/bias", TensorType.FLOAT32, units).data(floats(random, units, 0.5f)).add();
            int y = w.tensor("dense_" + l + "/out", TensorType.FLOAT32, 1, units).add();
            ActivationFunction act = l + 2 < widths.length ? ActivationFunction.RELU : ActivationFunction.NONE;
            w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(x, wt, b).outputs(y)
                    .options(new FullyConnectedOptions(act, 0, false, false)).add();
            x = y;
        }
        return w.inputs(input).outputs(x).toBytes();
    }

    /** Full-integer FULLY_CONNECTED with per-channel weights, keep_num_dims on a rank-3 input, RELU6, no bias. */
    static byte[] int8PerChannel() {
        Random random = new Random(8);
        int units = 5;
        int cols = 6;
        TfLiteModelWriter w = new TfLiteModelWriter();
        int in = w.tensor("in", TensorType.INT8, 1, 2, cols).quantization(0.05f, -3).add();
        int wt = w.tensor("w", TensorType.INT8, units, cols).perChannel(floats(random, units, 0.01f, 0.05f), 0)
                .data(bytes(random, units * cols)).add();
        int b = w.tensor("b", TensorType.INT32, units).data(new int[] {100, -200, 0, 7, -1}).add();
        int mid = w.tensor("mid", TensorType.INT8, 1, 2, units).quantization(0.1f, 4).add();
        int wt2 = w.tensor("w2", TensorType.INT8, 3, units).quantization(0.02f, 0).data(bytes(random, 3 * units)).add();
        int out = w.tensor("out", TensorType.INT8, 2, 3).quantization(0.07f, -10).add();
        w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(in, wt, b).outputs(mid)
                .options(new FullyConnectedOptions(ActivationFunction.RELU6, 0, true, false)).add();
        w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(mid, wt2, -1).outputs(out)
                .options(new FullyConnectedOptions(ActivationFunction.RELU_N1_TO_1, 0, false, false)).add();
        return w.inputs(in).outputs(out).toBytes();
    }

    /** float → QUANTIZE → QUANTIZE (int8 → int8) → int8 FULLY_CONNECTED → DEQUANTIZE → float. */
    static byte[] int8QuantizeDequantize() {
        Random random = new Random(9);
        TfLiteModelWriter w = new TfLiteModelWriter();
        int x = w.tensor("x", TensorType.FLOAT32, 1, 7).add();
        int q1 = w.tensor("q1", TensorType.INT8, 1, 7).quantization(0.03f, 5).add();
        int q2 = w.tensor("q2", TensorType.INT8, 1, 7).quantization(0.045f, -7).add();
        int wt = w.tensor("w", TensorType.INT8, 4, 7).quantization(0.015f, 0).data(bytes(random, 28)).add();
        int b = w.tensor("b", TensorType.INT32, 4).data(new int[] {10, -20, 30, -40}).add();
        int y = w.tensor("y", TensorType.INT8, 1, 4).quantization(0.08f, 2).add();
        int z = w.tensor("z", TensorType.FLOAT32, 1, 4).add();
        w.operator(BuiltinOperator.QUANTIZE).inputs(x).outputs(q1).add();
        w.operator(BuiltinOperator.QUANTIZE).inputs(q1).outputs(q2).add();
        w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(q2, wt, b).outputs(y)
                .options(new FullyConnectedOptions(ActivationFunction.RELU, 0, false, false)).add();
        w.operator(BuiltinOperator.DEQUANTIZE).inputs(y).outputs(z).add();
        return w.inputs(x).outputs(z).toBytes();
    }

    /**
     * The float operators: FULLY_CONNECTED (float weights, no bias), hybrid asymmetric per-channel
     * FULLY_CONNECTED, ADD with a second model input, MUL broadcasting a constant, RESHAPE, RELU, RELU6, LOGISTIC,
     * TANH and SOFTMAX; two outputs.
     */
    static byte[] floatOps() {
        Random random = new Random(10);
        TfLiteModelWriter w = new TfLiteModelWriter();
        int x = w.tensor("x", TensorType.FLOAT32, 1, 6).add();
        int x2 = w.tensor("x2", TensorType.FLOAT32, 8).add();
        int fw = w.tensor("fw", TensorType.FLOAT32, 8, 6).data(floats(random, 48, 1f)).add();
        int a = w.tensor("a", TensorType.FLOAT32, 1, 8).add();
        int sum = w.tensor("sum", TensorType.FLOAT32, 1, 8).add();
        int c = w.tensor("c", TensorType.FLOAT32, 2, 1, 4).data(floats(random, 8, 2f)).add();
        int r = w.tensor("r", TensorType.FLOAT32, 1, 2, 4).add();
        int prod = w.tensor("prod", TensorType.FLOAT32, 2, 2, 4).add();
        int relu = w.tensor("relu", TensorType.FLOAT32, 2, 2, 4).add();
        int relu6 = w.tensor("relu6", TensorType.FLOAT32, 2, 2, 4).add();
        int hw = w.tensor("hw", TensorType.INT8, 3, 4).perChannel(floats(random, 3, 0.01f, 0.04f), 0)
                .data(bytes(random, 12)).add();
        int hb = w.tensor("hb", TensorType.FLOAT32, 3).data(floats(random, 3, 1f)).add();
        int h = w.tensor("h", TensorType.FLOAT32, 4, 3).add();
        int lg = w.tensor("lg", TensorType.FLOAT32, 4, 3).add();
        int th = w.tensor("th", TensorType.FLOAT32, 4, 3).add();
        int sm = w.tensor("sm", TensorType.FLOAT32, 4, 3).add();
        w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(x, fw, -1).outputs(a)
                .options(new FullyConnectedOptions(ActivationFunction.NONE, 0, false, false)).add();
        w.operator(BuiltinOperator.ADD).inputs(a, x2).outputs(sum).options(new AddOptions(ActivationFunction.NONE))
                .add();
        w.operator(BuiltinOperator.RESHAPE).inputs(sum).outputs(r).options(new ReshapeOptions(new int[] {-1, 2, 4}))
                .add();
        w.operator(BuiltinOperator.MUL).inputs(r, c).outputs(prod).options(new MulOptions(ActivationFunction.RELU6))
                .add();
        w.operator(BuiltinOperator.RELU).inputs(prod).outputs(relu).add();
        w.operator(BuiltinOperator.RELU6).inputs(relu).outputs(relu6).add();
        w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(relu6, hw, hb).outputs(h)
                .options(new FullyConnectedOptions(ActivationFunction.RELU_N1_TO_1, 0, false, true)).add();
        w.operator(BuiltinOperator.LOGISTIC).inputs(h).outputs(lg).add();
        w.operator(BuiltinOperator.TANH).inputs(lg).outputs(th).add();
        w.operator(BuiltinOperator.SOFTMAX).inputs(th).outputs(sm).options(new SoftmaxOptions(0.7f)).add();
        return w.inputs(x, x2).outputs(sm, prod).toBytes();
    }

    /** Where the seeds live in this module's sources (surefire runs in the module directory). */
    static Path sourceDir(String dir) {
        return Path.of("src/test/resources").resolve(dir);
    }

    private static byte[] resource(String name) {
        try (InputStream in = FuzzSeeds.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static float[] floats(Random random, int n, float magnitude) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (random.nextFloat() * 2 - 1) * magnitude;
        }
        return f;
    }

    private static float[] floats(Random random, int n, float min, float max) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = min + random.nextFloat() * (max - min);
        }
        return f;
    }
}
