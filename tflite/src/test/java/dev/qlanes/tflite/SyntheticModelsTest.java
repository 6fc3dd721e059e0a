package dev.qlanes.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.ReferenceFloatFullyConnected;
import dev.qlanes.reference.ReferenceFloatOps;
import dev.qlanes.reference.ReferenceHybridFullyConnected;
import dev.qlanes.reference.ReferenceQuantizeOps;
import dev.qlanes.reference.ReferenceQuantizedFullyConnected;
import dev.qlanes.reference.Requantization;
import dev.qlanes.reference.Rounding;
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
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Models written here for every option the real models lack: per-channel weights, asymmetric inputs,
 * {@code keep_num_dims} with rank-3 inputs, no bias, each fused activation, QUANTIZE (float and int8 input) and
 * DEQUANTIZE around an int8 layer, RESHAPE, and the float operators. Each model's runner equals its reference runner
 * bit for bit, and equals the reference operations called directly on the values this test put into the file, so a
 * misread scale, zero point or option fails here even if both runners shared the mistake.
 */
class SyntheticModelsTest {
    static final ActivationFunction[] ACTIVATIONS = {ActivationFunction.NONE, ActivationFunction.RELU,
        ActivationFunction.RELU_N1_TO_1, ActivationFunction.RELU6};
    static final int UNITS = 9;
    static final int COLS = 19;
    /** Rank-3 input [batch, ROWS, COLS]: TFLite flattens it to batch · ROWS rows. */
    static final int ROWS = 3;

    static Stream<Arguments> hybridCases() {
        return Stream.of(ACTIVATIONS).flatMap(a -> Stream.of(
                Arguments.of(a, false, false, true, false),
                Arguments.of(a, true, false, true, true),
                Arguments.of(a, false, true, false, true),
                Arguments.of(a, true, true, false, false)));
    }

    @ParameterizedTest(name = "{0} perChannel={1} asymmetric={2} bias={3} keepNumDims={4}")
    @MethodSource("hybridCases")
    void hybridFullyConnected(ActivationFunction act, boolean perChannel, boolean asymmetric, boolean withBias,
            boolean keepNumDims) throws IOException {
        Random random = new Random(act.ordinal() * 16 + (perChannel ? 8 : 0) + (asymmetric ? 4 : 0));
        byte[] weights = int8Weights(random, UNITS * COLS);
        float[] scales = scales(random, perChannel ? UNITS : 1);
        float[] bias = withBias ? floats(random, UNITS, 0.5f) : null;
        TfLiteModelWriter w = new TfLiteModelWriter();
        int in = w.tensor("in", TensorType.FLOAT32, 1, ROWS, COLS).add();
        int wt = weightsTensor(w, weights, scales);
        int b = withBias ? w.tensor("bias", TensorType.FLOAT32, UNITS).data(bias).add() : -1;
        int out = keepNumDims ? w.tensor("out", TensorType.FLOAT32, 1, ROWS, UNITS).add()
                : w.tensor("out", TensorType.FLOAT32, ROWS, UNITS).add();
        w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(in, wt, b).outputs(out)
                .options(new FullyConnectedOptions(act, 0, keepNumDims, asymmetric)).add();
        w.inputs(in).outputs(out);

        for (int batch : new int[] {1, 4, 7}) {
            try (TfLiteModel m = read(w, Requantization.DOUBLE_FLOAT)) {
                TfLiteRunner r = m.newRunner(batch);
                assertArrayEquals(keepNumDims ? new int[] {batch, ROWS, UNITS} : new int[] {batch * ROWS, UNITS},
                        r.outputShape(0));
                float[] x = floats(random, batch * ROWS * COLS, 3f);
                r.setInput(0, x);
                r.run();
                float[] expected = new float[batch * ROWS * UNITS];
                ReferenceHybridFullyConnected.eval(x, batch * ROWS, COLS, weights, UNITS,
                        perChannel ? 0f : scales[0], perChannel ? scales : null, bias, asymmetric, fused(act),
                        expected);
                assertSameBits(expected, output(r));
                assertMatchesReferenceRunner(m, batch, random);
            }
        }
    }

    static Stream<Arguments> int8Cases() {
        return Stream.of(ACTIVATIONS).flatMap(a -> Stream.of(Requantization.values()).flatMap(rq -> Stream.of(
                Arguments.of(a, rq, false, true),
                Arguments.of(a, rq, true, false))));
    }

    @ParameterizedTest(name = "{0} {1} perChannel={2} bias={3}")
    @MethodSource("int8Cases")
    void int8FullyConnected(ActivationFunction act, Requantization rq, boolean perChannel, boolean withBias)
            throws IOException {
        Random random = new Random(act.ordinal() * 64 + rq.ordinal() * 4 + (perChannel ? 2 : 0));
        byte[] weights = int8Weights(random, UNITS * COLS);
        float[] scales = scales(random, perChannel ? UNITS : 1);
        int[] bias = withBias ? ints(random, UNITS, 2000) : null;
        float inScale = 0.04f;
        int inZp = -7;
        float outScale = 0.09f;
        int outZp = 5;
        TfLiteModelWriter w = new TfLiteModelWriter();
        int in = w.tensor("in", TensorType.INT8, 1, ROWS, COLS).quantization(inScale, inZp).add();
        int wt = weightsTensor(w, weights, scales);
        // The bias scale TFLite's Prepare expects: input scale x weight scale (per tensor it checks it).
        int b = withBias ? w.tensor("bias", TensorType.INT32, UNITS).data(bias)
                .quantization(inScale * scales[0], 0).add() : -1;
        int out = w.tensor("out", TensorType.INT8, 1, ROWS, UNITS).quantization(outScale, outZp).add();
        w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(in, wt, b).outputs(out)
                .options(new FullyConnectedOptions(act, 0, true, false)).add();
        w.inputs(in).outputs(out);

        for (int batch : new int[] {1, 5}) {
            try (TfLiteModel m = read(w, rq)) {
                TfLiteRunner r = m.newRunner(batch);
                byte[] x = new byte[batch * ROWS * COLS];
                random.nextBytes(x);
                r.setInput(0, x);
                r.run();
                byte[] expected = new byte[batch * ROWS * UNITS];
                ReferenceQuantizedFullyConnected.eval(x, batch * ROWS, COLS, inScale, inZp, weights, UNITS,
                        perChannel ? 0f : scales[0], perChannel ? scales : null, bias, outScale, outZp, fused(act), rq,
                        expected);
                byte[] actual = new byte[expected.length];
                r.getOutput(0, actual);
                assertArrayEquals(expected, actual);
                assertMatchesReferenceRunner(m, batch, random);
            }
        }
    }

    /** float → QUANTIZE → QUANTIZE (int8 → int8) → int8 FULLY_CONNECTED → DEQUANTIZE → float. */
    @Test
    void quantizeAndDequantizeAroundAnInt8Layer() throws IOException {
        Random random = new Random(11);
        byte[] weights = int8Weights(random, UNITS * COLS);
        float[] scales = scales(random, UNITS);
        TfLiteModelWriter w = new TfLiteModelWriter();
        int x = w.tensor("x", TensorType.FLOAT32, 1, COLS).add();
        int q1 = w.tensor("q1", TensorType.INT8, 1, COLS).quantization(0.03f, 2).add();
        int q2 = w.tensor("q2", TensorType.INT8, 1, COLS).quantization(0.05f, -4).add();
        int wt = weightsTensor(w, weights, scales);
        int y = w.tensor("y", TensorType.INT8, 1, UNITS).quantization(0.1f, 3).add();
        int z = w.tensor("z", TensorType.FLOAT32, 1, UNITS).add();
        w.operator(BuiltinOperator.QUANTIZE).inputs(x).outputs(q1).add();
        w.operator(BuiltinOperator.QUANTIZE).inputs(q1).outputs(q2).add();
        w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(q2, wt, -1).outputs(y)
                .options(new FullyConnectedOptions(ActivationFunction.RELU, 0, false, false)).add();
        w.operator(BuiltinOperator.DEQUANTIZE).inputs(y).outputs(z).add();
        w.inputs(x).outputs(z);
        for (Requantization rq : Requantization.values()) {
            int batch = 6;
            try (TfLiteModel m = read(w, rq)) {
                TfLiteRunner r = m.newRunner(batch);
                float[] in = floats(random, batch * COLS, 5f);
                r.setInput(0, in);
                r.run();
                byte[] a = new byte[batch * COLS];
                byte[] b = new byte[batch * COLS];
                byte[] c = new byte[batch * UNITS];
                float[] expected = new float[batch * UNITS];
                Rounding rounding = rq.isFixedPoint() ? rq.rounding() : Rounding.DOUBLE_ROUNDING;
                ReferenceQuantizeOps.quantize(in, in.length, 0.03f, 2, a);
                ReferenceQuantizeOps.requantize(a, a.length, 0.03f, 2, 0.05f, -4, b, rounding);
                ReferenceQuantizedFullyConnected.eval(b, batch, COLS, 0.05f, -4, weights, UNITS, 0f, scales, null,
                        0.1f, 3, FusedActivation.RELU, rq, c);
                ReferenceQuantizeOps.dequantize(c, c.length, 0.1f, 3, expected);
                assertSameBits(expected, output(r));
                assertMatchesReferenceRunner(m, batch, random);
            }
        }
    }

    /** Float FULLY_CONNECTED, RESHAPE, ADD and MUL with a constant, and each float activation operator. */
    @Test
    void floatGraphWithEveryFloatOperator() throws IOException {
        Random random = new Random(12);
        float[] weights = floats(random, UNITS * COLS, 0.3f);
        float[] addend = floats(random, UNITS, 1f);
        float[] factor = floats(random, UNITS, 2f);
        for (BuiltinOperator last : new BuiltinOperator[] {BuiltinOperator.RELU, BuiltinOperator.RELU6,
            BuiltinOperator.LOGISTIC, BuiltinOperator.TANH, BuiltinOperator.SOFTMAX}) {
            TfLiteModelWriter w = new TfLiteModelWriter();
            int x = w.tensor("x", TensorType.FLOAT32, 1, 1, COLS).add();
            int flat = w.tensor("flat", TensorType.FLOAT32, 1, COLS).add();
            int wt = w.tensor("w", TensorType.FLOAT32, UNITS, COLS).data(weights).add();
            int h = w.tensor("h", TensorType.FLOAT32, 1, UNITS).add();
            int cAdd = w.tensor("addend", TensorType.FLOAT32, UNITS).data(addend).add();
            int s = w.tensor("s", TensorType.FLOAT32, 1, UNITS).add();
            int cMul = w.tensor("factor", TensorType.FLOAT32, 1, UNITS).data(factor).add();
            int p = w.tensor("p", TensorType.FLOAT32, 1, UNITS).add();
            int y = w.tensor("y", TensorType.FLOAT32, 1, UNITS).add();
            w.operator(BuiltinOperator.RESHAPE).inputs(x).outputs(flat).options(new ReshapeOptions(new int[] {-1,
                COLS})).add();
            w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(flat, wt, -1).outputs(h)
                    .options(new FullyConnectedOptions(ActivationFunction.NONE, 0, false, false)).add();
            w.operator(BuiltinOperator.ADD).inputs(h, cAdd).outputs(s)
                    .options(new AddOptions(ActivationFunction.RELU6)).add();
            w.operator(BuiltinOperator.MUL).inputs(s, cMul).outputs(p)
                    .options(new MulOptions(ActivationFunction.NONE)).add();
            var op = w.operator(last).inputs(p).outputs(y);
            if (last == BuiltinOperator.SOFTMAX) {
                op.options(new SoftmaxOptions(0.7f));
            }
            op.add();
            w.inputs(x).outputs(y);
            int batch = 5;
            try (TfLiteModel m = read(w, Requantization.DOUBLE_FLOAT)) {
                TfLiteRunner r = m.newRunner(batch);
                float[] in = floats(random, batch * COLS, 2f);
                r.setInput(0, in);
                r.run();
                float[] hv = new float[batch * UNITS];
                float[] sv = new float[batch * UNITS];
                float[] pv = new float[batch * UNITS];
                float[] expected = new float[batch * UNITS];
                ReferenceFloatFullyConnected.eval(in, batch, COLS, weights, UNITS, null, FusedActivation.NONE, hv);
                ReferenceFloatOps.add(hv, new int[] {batch, UNITS}, addend, new int[] {UNITS}, sv,
                        new int[] {batch, UNITS}, FusedActivation.RELU6);
                ReferenceFloatOps.mul(sv, new int[] {batch, UNITS}, factor, new int[] {1, UNITS}, pv,
                        new int[] {batch, UNITS}, FusedActivation.NONE);
                switch (last) {
                    case RELU -> ReferenceFloatOps.relu(pv, expected, pv.length);
                    case RELU6 -> ReferenceFloatOps.relu6(pv, expected, pv.length);
                    case LOGISTIC -> ReferenceFloatOps.logistic(pv, expected, pv.length);
                    case TANH -> ReferenceFloatOps.tanh(pv, expected, pv.length);
                    default -> ReferenceFloatOps.softmax(pv, batch, UNITS, 0.7f, expected);
                }
                assertSameBits(expected, output(r));
                assertMatchesReferenceRunner(m, batch, random);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    static TfLiteModel read(TfLiteModelWriter w, Requantization rq) throws IOException {
        return TfLiteModel.read(MemorySegment.ofArray(w.toBytes()), rq);
    }

    static int weightsTensor(TfLiteModelWriter w, byte[] weights, float[] scales) {
        var t = w.tensor("weights", TensorType.INT8, UNITS, COLS).data(weights);
        return (scales.length == 1 ? t.quantization(scales[0], 0) : t.perChannel(scales, 0)).add();
    }

    static void assertMatchesReferenceRunner(TfLiteModel m, int batch, Random random) {
        TfLiteRunner fast = m.newRunner(batch);
        TfLiteRunner reference = m.newReferenceRunner(batch);
        Runners.fillRandom(random, fast, reference);
        fast.run();
        reference.run();
        Runners.assertSameOutputs(reference, fast, "runner vs reference runner, batch " + batch);
    }

    static float[] output(TfLiteRunner r) {
        float[] y = new float[Runners.count(r.outputShape(0))];
        r.getOutput(0, y);
        return y;
    }

    static void assertSameBits(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    "element " + i + ": expected " + expected[i] + ", got " + actual[i]);
        }
    }

    static FusedActivation fused(ActivationFunction a) {
        return FusedActivation.valueOf(a.name());
    }

    static byte[] int8Weights(Random random, int n) {
        byte[] w = new byte[n];
        for (int i = 0; i < n; i++) {
            w[i] = (byte) (random.nextInt(255) - 127);
        }
        return w;
    }

    static float[] scales(Random random, int n) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = 0.005f + random.nextFloat() * 0.03f;
        }
        return s;
    }

    static float[] floats(Random random, int n, float range) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (random.nextFloat() * 2 - 1) * range;
        }
        return f;
    }

    static int[] ints(Random random, int n, int range) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(2 * range + 1) - range;
        }
        return v;
    }
}
