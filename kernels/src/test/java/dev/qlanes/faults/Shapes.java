package dev.qlanes.faults;

import dev.qlanes.HybridFullyConnected;
import dev.qlanes.PreparedWeights;
import dev.qlanes.QuantizedFullyConnected;
import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.ReferenceHybridFullyConnected;
import dev.qlanes.reference.ReferenceQuantizedFullyConnected;
import dev.qlanes.reference.Rounding;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;

/**
 * One hybrid and one full-integer layer over the same int8 weights, with their reference results: what the fault
 * tests run, in this JVM or in a child one. Results are compared by raw bits.
 */
record Shapes(int units, int inputSize, byte[] weights, float[] scales, float[] bias, int[] intBias) {
    static final float INPUT_SCALE = 0.02f;
    static final int INPUT_ZERO_POINT = -3;
    static final float OUTPUT_SCALE = 0.5f;
    static final int OUTPUT_ZERO_POINT = 4;

    static Shapes random(long seed, int units, int inputSize) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] w = new byte[units * inputSize];
        for (int i = 0; i < w.length; i++) {
            w[i] = (byte) random.nextInt(256);
        }
        float[] scales = new float[units];
        float[] bias = new float[units];
        int[] intBias = new int[units];
        for (int u = 0; u < units; u++) {
            scales[u] = (float) Math.pow(10, -3 + random.nextDouble());
            bias[u] = (float) random.nextGaussian();
            intBias[u] = random.nextInt(-5000, 5000);
        }
        return new Shapes(units, inputSize, w, scales, bias, intBias);
    }

    static float[] floats(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) random.nextGaussian();
        }
        return f;
    }

    static byte[] bytes(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }

    PreparedWeights prepared() {
        return PreparedWeights.perChannel(weights, units, inputSize, scales);
    }

    /** Asymmetric inputs, RELU: the full epilogue. {@code executor} null for one thread. */
    HybridFullyConnected hybrid(PreparedWeights w, int parallelism, Executor executor) {
        return hybridBuilder(w, parallelism, executor).build();
    }

    HybridFullyConnected.Builder hybridBuilder(PreparedWeights w, int parallelism, Executor executor) {
        HybridFullyConnected.Builder b = HybridFullyConnected.builder(w).bias(bias).asymmetricInputs(true)
                .activation(FusedActivation.RELU);
        if (parallelism > 1) {
            b.parallelism(parallelism).executor(executor).parallelThreshold(1 << 12);
        }
        return b;
    }

    QuantizedFullyConnected quantized(PreparedWeights w, int parallelism, Executor executor) {
        return quantizedBuilder(w, parallelism, executor).build();
    }

    QuantizedFullyConnected.Builder quantizedBuilder(PreparedWeights w, int parallelism, Executor executor) {
        QuantizedFullyConnected.Builder b = QuantizedFullyConnected.builder(w).input(INPUT_SCALE, INPUT_ZERO_POINT)
                .output(OUTPUT_SCALE, OUTPUT_ZERO_POINT).bias(intBias).activation(FusedActivation.RELU6)
                .rounding(Rounding.DOUBLE_ROUNDING);
        if (parallelism > 1) {
            b.parallelism(parallelism).executor(executor).parallelThreshold(1 << 12);
        }
        return b;
    }

    float[] hybridReference(float[] input, int batch) {
        float[] out = new float[batch * units];
        ReferenceHybridFullyConnected.eval(input, batch, inputSize, weights, units, 1.0f, scales, bias, true,
                FusedActivation.RELU, out);
        return out;
    }

    byte[] quantizedReference(byte[] input, int batch) {
        byte[] out = new byte[batch * units];
        ReferenceQuantizedFullyConnected.eval(input, batch, inputSize, INPUT_SCALE, INPUT_ZERO_POINT, weights, units,
                1.0f, scales, intBias, OUTPUT_SCALE, OUTPUT_ZERO_POINT, FusedActivation.RELU6,
                Rounding.DOUBLE_ROUNDING, out);
        return out;
    }

    /** The first index where the raw bits differ, or -1. */
    static int firstDifference(float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                return i;
            }
        }
        return -1;
    }

    static int firstDifference(byte[] expected, byte[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                return i;
            }
        }
        return -1;
    }
}
