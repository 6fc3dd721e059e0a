package dev.qlanes.jmh.accuracy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qlanes.TensorUtils;
import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.ReferenceHybridFullyConnected;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Invariants of the hybrid path that the report's argument rests on. */
class HybridPathTest {

    private static final boolean[] BOTH = {false, true};

    /** The step-by-step path in the report is TFLite's EvalHybridDense, bit for bit. */
    @Test
    void equalsReferenceHybridFullyConnectedBitForBit() {
        LayerCase layer = DataGenerator.generate(96, 24, 4, 5, WeightDistribution.STUDENT_T3,
                InputDistribution.OUTLIERS, 0.75, 7);
        for (boolean perChannel : BOTH) {
            QuantizedWeights w = quantize(layer.weights(), 24, 96, perChannel);
            for (boolean asymmetric : BOTH) {
                float[] ours = HybridPath.run(layer.evaluation(), 5, w, layer.bias(), asymmetric);
                float[] reference = new float[5 * 24];
                ReferenceHybridFullyConnected.eval(layer.evaluation(), 5, 96, w.values(), 24, w.scale(),
                        w.channelScales(), layer.bias(), asymmetric, FusedActivation.NONE, reference);
                assertArrayEquals(bits(reference), bits(ours), "perChannel=" + perChannel + " asym=" + asymmetric);
            }
        }
    }

    /**
     * An all-zero input returns the bias itself (TFLite's IsZeroVector shortcut), raw bits included: -0.0,
     * subnormals and huge values pass untouched because nothing is added to them.
     */
    @Test
    void allZeroInputGivesExactlyTheBias() {
        float[] bias = {-0.0f, Float.MIN_VALUE, 3.4e38f, -1.25f, 0.1f};
        float[] weights = new float[5 * 8];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextGaussian();
        }
        float[] input = new float[3 * 8];
        input[5] = -0.0f; // -0.0 == 0.0f, so it still counts as zero
        for (boolean perChannel : BOTH) {
            for (boolean asymmetric : BOTH) {
                float[] out = HybridPath.run(input, 3, quantize(weights, 5, 8, perChannel), bias, asymmetric);
                for (int b = 0; b < 3; b++) {
                    for (int u = 0; u < 5; u++) {
                        assertEquals(Float.floatToRawIntBits(bias[u]), Float.floatToRawIntBits(out[b * 5 + u]),
                                "row " + b + " unit " + u);
                    }
                }
            }
        }
        // The float path adds a +0.0 dot product, which turns the -0.0 bias into +0.0: hybrid is not "float
        // plus noise" here, it is the bias itself.
        float[] f = FloatPath.float32(weights, 5, 8, bias, input, 3);
        assertEquals(Float.floatToRawIntBits(0.0f), Float.floatToRawIntBits(f[0]));
    }

    /**
     * Integer inputs with max |x| = 127 in every row and integer weights with max |w| = 127 (in every row)
     * quantize to themselves (S1 = S2 = 1), so the int32 dot product is the exact dot product. The float path
     * computes the same dot product exactly too (every partial sum is an integer below 2^24), and both then
     * round {@code bias + dot} once, in the same operation: the results are identical bit for bit, and equal
     * to the correctly rounded exact value.
     */
    @Test
    void floatAndHybridAgreeExactlyOnRepresentableData() {
        int n = 1024; // 1024 · 127 · 127 < 2^24: no partial sum can round
        int units = 16;
        int batch = 4;
        SplittableRandom random = new SplittableRandom(2);
        float[] weights = integerMatrix(units, n, 127, random);
        float[] bias = new float[units];
        for (int u = 0; u < units; u++) {
            // Multiples of 1/16: dot + bias is exact in double (so `truth` is exact), but not always in float
            // once |dot| ≥ 2^20, so the final rounding is real.
            bias[u] = random.nextInt(-160, 161) / 16.0f;
        }
        float[] symmetricInput = integerMatrix(batch, n, 127, random); // |x| ≤ 127, ±127 present: S1 = 1
        float[] asymmetricInput = symmetricInput.clone();
        for (int b = 0; b < batch; b++) {
            asymmetricInput[b * n + 1] = -128; // range exactly [-128, 127]: S1 = 1, Z1 = 0
            asymmetricInput[b * n + 2] = 127;
        }
        for (boolean asymmetric : BOTH) {
            float[] input = asymmetric ? asymmetricInput : symmetricInput;
            float[] f = FloatPath.float32(weights, units, n, bias, input, batch);
            double[] truth = FloatPath.truth(weights, units, n, bias, input, batch);
            for (boolean perChannel : BOTH) {
                float[] h = HybridPath.run(input, batch, quantize(weights, units, n, perChannel), bias, asymmetric);
                assertArrayEquals(bits(f), bits(h), "asym=" + asymmetric + " perChannel=" + perChannel);
            }
            for (int i = 0; i < f.length; i++) {
                assertEquals((float) truth[i], f[i]);
            }
        }
    }

    /**
     * Non-negative integer inputs up to 255 quantize asymmetrically with S1 = 1 and Z1 = -128, i.e. to
     * {@code q1 = x − 128}: the kernel's {@code Σ q2·q1 − rowSum·Z1} must undo the shift exactly.
     */
    @Test
    void rowSumsUndoTheAsymmetricZeroPointExactly() {
        int n = 256;
        int units = 8;
        int batch = 3;
        SplittableRandom random = new SplittableRandom(3);
        float[] weights = integerMatrix(units, n, 127, random);
        float[] input = new float[batch * n];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < n; c++) {
                input[b * n + c] = random.nextInt(256);
            }
            input[b * n] = 255;
            input[b * n + 1] = 0;
        }
        byte[] q = new byte[input.length];
        float[] scales = new float[batch];
        int[] zeroPoints = new int[batch];
        TensorUtils.batchQuantizeFloats(input, batch, n, q, scales, zeroPoints, true);
        assertArrayEquals(new int[] {-128, -128, -128}, zeroPoints);
        assertArrayEquals(new float[] {1, 1, 1}, scales);

        float[] bias = new float[units];
        float[] f = FloatPath.float32(weights, units, n, bias, input, batch);
        for (boolean perChannel : BOTH) {
            float[] h = HybridPath.run(input, batch, quantize(weights, units, n, perChannel), bias, true);
            assertArrayEquals(bits(f), bits(h));
        }
    }

    /**
     * With row scales spanning 2^0 … 2^7, a per-tensor scale gives the small rows only a few int8 levels;
     * one scale per row removes that. Measured against the double result, per-channel must be clearly
     * (at least 2×) more accurate in relative RMS error, with either input quantization.
     */
    @Test
    void perChannelBeatsPerTensorWhenRowScalesVary() {
        int n = 256;
        int units = 64;
        int batch = 16;
        SplittableRandom random = new SplittableRandom(4);
        float[] weights = new float[units * n];
        for (int u = 0; u < units; u++) {
            double rowScale = Math.scalb(1.0, u % 8);
            for (int c = 0; c < n; c++) {
                weights[u * n + c] = (float) (rowScale * random.nextGaussian());
            }
        }
        float[] input = new float[batch * n];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian();
        }
        float[] bias = new float[units];
        double[] truth = FloatPath.truth(weights, units, n, bias, input, batch);
        for (boolean asymmetric : BOTH) {
            Metrics perTensor = Metrics.compare(truth,
                    HybridPath.run(input, batch, QuantizedWeights.perTensor(weights, units, n), bias, asymmetric));
            Metrics perChannel = Metrics.compare(truth,
                    HybridPath.run(input, batch, QuantizedWeights.perChannel(weights, units, n), bias, asymmetric));
            assertTrue(perChannel.relRmsError() < 0.5 * perTensor.relRmsError(),
                    "asym=" + asymmetric + ": per-channel " + perChannel + " vs per-tensor " + perTensor);
        }
    }

    static QuantizedWeights quantize(float[] weights, int units, int n, boolean perChannel) {
        return perChannel ? QuantizedWeights.perChannel(weights, units, n) : QuantizedWeights.perTensor(weights, units, n);
    }

    /** Random integers in [-limit, limit], with +limit and -limit present in every row. */
    static float[] integerMatrix(int rows, int cols, int limit, SplittableRandom random) {
        float[] m = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r * cols + c] = random.nextInt(-limit, limit + 1);
            }
            int hi = random.nextInt(cols);
            int lo = (hi + 1 + random.nextInt(cols - 1)) % cols;
            m[r * cols + hi] = limit;
            m[r * cols + lo] = -limit;
        }
        return m;
    }

    static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }
}
