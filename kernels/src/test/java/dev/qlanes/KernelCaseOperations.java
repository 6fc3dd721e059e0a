package dev.qlanes;

import static dev.qlanes.LayerFixtures.assertSameBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.PortableTensorUtils;
import dev.qlanes.reference.QuantizedMultiplier;
import dev.qlanes.reference.ReferenceHybridFullyConnected;
import dev.qlanes.reference.ReferenceQuantizedFullyConnected;
import dev.qlanes.reference.Requantization;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What {@link KernelCaseTester} runs for each kernel family of {@code kernel-cases.txt}: the family's public entry
 * point (the way its benchmark calls it) and its reference twin on the same random operands, compared bit for bit.
 */
final class KernelCaseOperations {
    private KernelCaseOperations() {}

    /** A family's public entry point compared with its twin at one shape. */
    interface Operation {
        /** The reference methods it compares with, as {@code kernel-cases.txt} names them. */
        List<String> twin();

        void check(KernelCaseTester.Shape s, SplittableRandom random, String where);
    }

    /** Family (without its tile name) → its check; every registry family must have one, and only those. */
    static final Map<String, Operation> OPERATIONS = Map.of(
            "qs8-dot", new Dot(),
            "f32-qs8w-fc-hybrid", new Hybrid(false),
            "f32-qs8w-fc-hybrid_asym", new Hybrid(true),
            "qs8-fc-int8out", new Int8Out(),
            "f32-fc-seq", new FloatSeq(),
            "f32-qs8w-fc-layer", new HybridLayer(),
            "qs8-fc-layer", new QuantizedLayer());

    /**
     * Floats compared by raw bits, except that any NaN matches any NaN: NaN bit patterns are not part of the contract
     * (docs/semantics.md §6.11), as in TensorUtilsFacadeTest. The first difference is reported with (batch, unit).
     */
    static void assertSameFloats(float[] expected, float[] actual, int units, String where) {
        assertEquals(expected.length, actual.length, where);
        for (int i = 0; i < expected.length; i++) {
            int e = Float.floatToRawIntBits(expected[i]);
            int a = Float.floatToRawIntBits(actual[i]);
            if (e != a && !(Float.isNaN(expected[i]) && Float.isNaN(actual[i]))) {
                throw new AssertionError(where + ": (batch " + i / Math.max(1, units) + ", unit " + i % Math.max(1, units)
                        + ") expected " + expected[i] + " (0x" + Integer.toHexString(e) + "), got " + actual[i] + " (0x"
                        + Integer.toHexString(a) + ")" + (i >= expected.length - LayerFixtures.PADDING
                                ? " [canary overwritten]" : ""));
            }
        }
    }

    private static int[] nonZeroInts(SplittableRandom random, int n, int bound) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextInt(-bound, bound + 1);
        }
        return a;
    }

    /** An output of {@code n} values plus canary padding, starting from random values (the paths accumulate). */
    private static float[] accumulator(SplittableRandom random, int n) {
        float[] out = LayerFixtures.paddedFloats(n);
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }

    /** {@code TensorUtils.dotProduct}; operands longer than the length, so reading past it would be seen. */
    private static final class Dot implements Operation {
        @Override
        public List<String> twin() {
            return List.of("PortableTensorUtils.dotProduct");
        }

        @Override
        public void check(KernelCaseTester.Shape s, SplittableRandom random, String where) {
            int n = s.cols();
            byte[] a = LayerFixtures.bytes(random, n + LayerFixtures.PADDING);
            byte[] b = LayerFixtures.weights(random, n + LayerFixtures.PADDING);
            assertEquals(PortableTensorUtils.dotProduct(a, b, n), TensorUtils.dotProduct(a, b, n), where);
            byte[] min = new byte[n]; // every product 16384: the accumulator's extreme
            Arrays.fill(min, Byte.MIN_VALUE);
            assertEquals(PortableTensorUtils.dotProduct(min, min, n), TensorUtils.dotProduct(min, min, n),
                    where + ", all -128");
        }
    }

    /** Input quantization per batch row, then the hybrid MBVMA, as FullyConnectedBenchmark's HYBRID* paths run. */
    private record Hybrid(boolean asymmetric) implements Operation {
        @Override
        public List<String> twin() {
            return List.of("PortableTensorUtils.batchQuantizeFloats",
                    "PortableTensorUtils.matrixBatchVectorMultiplyAccumulate");
        }

        @Override
        public void check(KernelCaseTester.Shape s, SplittableRandom random, String where) {
            int batch = s.batch();
            int rows = s.rows();
            int cols = s.cols();
            byte[] weights = LayerFixtures.weights(random, rows * cols);
            float[] input = LayerFixtures.floats(random, batch, cols);
            float weightScale = LayerFixtures.scale(random);
            float[] channelScales = asymmetric ? LayerFixtures.scales(random, rows) : null;
            int[] rowSums = null;
            if (asymmetric) {
                rowSums = new int[rows];
                PortableTensorUtils.reductionSumVector(weights, rowSums, rows, cols);
            }
            float[] start = accumulator(random, batch * rows);
            float[][] outputs = new float[2][];
            byte[][] quantized = new byte[2][];
            float[][] scaling = new float[2][];
            for (int side = 0; side < 2; side++) {
                boolean facade = side == 1;
                byte[] q = LayerFixtures.paddedBytes(batch * cols);
                float[] sf = LayerFixtures.paddedFloats(batch);
                int[] zp = new int[batch];
                if (facade) {
                    TensorUtils.batchQuantizeFloats(input, batch, cols, q, sf, zp, asymmetric);
                } else {
                    PortableTensorUtils.batchQuantizeFloats(input, batch, cols, q, sf, zp, asymmetric);
                }
                float[] factors = sf.clone();
                if (!asymmetric) {
                    for (int b = 0; b < batch; b++) {
                        factors[b] *= weightScale;
                    }
                }
                float[] out = start.clone();
                if (facade) {
                    TensorUtils.matrixBatchVectorMultiplyAccumulate(weights, rows, cols, q, factors, batch, out,
                            channelScales, asymmetric ? zp : null, rowSums);
                } else {
                    PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(weights, rows, cols, q, factors, batch, out,
                            channelScales, asymmetric ? zp : null, rowSums);
                }
                outputs[side] = out;
                quantized[side] = q;
                scaling[side] = sf;
            }
            assertSameBytes(quantized[0], quantized[1], cols, where + ", quantized input");
            assertSameFloats(scaling[0], scaling[1], 1, where + ", scaling factors");
            assertSameFloats(outputs[0], outputs[1], rows, where + ", output");
        }
    }

    /** The full-integer MBVMA: int32 bias, fixed-point requantization, int8 output accumulated onto. */
    private static final class Int8Out implements Operation {
        @Override
        public List<String> twin() {
            return List.of("PortableTensorUtils.matrixBatchVectorMultiplyAccumulate");
        }

        @Override
        public void check(KernelCaseTester.Shape s, SplittableRandom random, String where) {
            int batch = s.batch();
            int rows = s.rows();
            int cols = s.cols();
            byte[] weights = LayerFixtures.weights(random, rows * cols);
            byte[] input = LayerFixtures.bytes(random, batch * cols);
            int[] bias = nonZeroInts(random, rows, 1 << 15);
            QuantizedMultiplier m = QuantizedMultiplier.of(1.0 / (64.0 * Math.sqrt(cols)));
            int outputZp = random.nextInt(-10, 11);
            byte[] expected = LayerFixtures.paddedBytes(batch * rows);
            for (int i = 0; i < batch * rows; i++) {
                expected[i] = (byte) random.nextInt(-64, 64);
            }
            byte[] actual = expected.clone();
            PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(input, bias, weights, m.multiplier(), m.shift(),
                    batch, cols, rows, outputZp, expected);
            TensorUtils.matrixBatchVectorMultiplyAccumulate(input, bias, weights, m.multiplier(), m.shift(), batch,
                    cols, rows, outputZp, actual);
            assertSameBytes(expected, actual, rows, where);
        }
    }

    /** The float MBVMA in sequential column order. */
    private static final class FloatSeq implements Operation {
        @Override
        public List<String> twin() {
            return List.of("PortableTensorUtils.matrixBatchVectorMultiplyAccumulate");
        }

        @Override
        public void check(KernelCaseTester.Shape s, SplittableRandom random, String where) {
            float[] matrix = LayerFixtures.floats(random, s.rows(), s.cols());
            float[] vectors = LayerFixtures.floats(random, s.batch(), s.cols());
            float[] expected = accumulator(random, s.batch() * s.rows());
            float[] actual = expected.clone();
            PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(matrix, s.rows(), s.cols(), vectors, s.batch(),
                    expected);
            TensorUtils.matrixBatchVectorMultiplyAccumulate(matrix, s.rows(), s.cols(), vectors, s.batch(), actual);
            assertSameFloats(expected, actual, s.rows(), where);
        }
    }

    /** {@link HybridFullyConnected} as LayerBenchmark builds it (asymmetric, per-channel, bias), on 1 and 2 threads. */
    private static final class HybridLayer implements Operation {
        @Override
        public List<String> twin() {
            return List.of("ReferenceHybridFullyConnected.eval");
        }

        @Override
        public void check(KernelCaseTester.Shape s, SplittableRandom random, String where) {
            byte[] weights = LayerFixtures.weights(random, s.rows() * s.cols());
            float[] scales = LayerFixtures.scales(random, s.rows());
            float[] bias = LayerFixtures.floats(random, 1, s.rows());
            float[] input = LayerFixtures.floats(random, s.batch(), s.cols());
            float[] expected = LayerFixtures.paddedFloats(s.batch() * s.rows());
            ReferenceHybridFullyConnected.eval(input, s.batch(), s.cols(), weights, s.rows(), 0f, scales, bias, true,
                    FusedActivation.NONE, expected);
            PreparedWeights prepared = PreparedWeights.perChannel(weights, s.rows(), s.cols(), scales);
            for (int threads = 1; threads <= 2; threads++) {
                HybridFullyConnected layer = HybridFullyConnected.builder(prepared).bias(bias).asymmetricInputs(true)
                        .activation(FusedActivation.NONE).parallelism(threads).executor(LayerFixtures.POOL).build();
                float[] actual = LayerFixtures.paddedFloats(s.batch() * s.rows());
                layer.eval(input, s.batch(), actual);
                assertSameFloats(expected, actual, s.rows(), where + ", " + threads + " thread(s)");
            }
        }
    }

    /** {@link QuantizedFullyConnected} as LayerBenchmark builds it (zero points on both sides), on 1 and 2 threads. */
    private static final class QuantizedLayer implements Operation {
        private static final float INPUT_SCALE = 0.05f;
        private static final int INPUT_ZERO_POINT = -3;
        private static final float OUTPUT_SCALE = 0.5f;
        private static final int OUTPUT_ZERO_POINT = 2;

        @Override
        public List<String> twin() {
            return List.of("ReferenceQuantizedFullyConnected.eval");
        }

        @Override
        public void check(KernelCaseTester.Shape s, SplittableRandom random, String where) {
            byte[] weights = LayerFixtures.weights(random, s.rows() * s.cols());
            float[] scales = LayerFixtures.scales(random, s.rows());
            byte[] input = LayerFixtures.bytes(random, s.batch() * s.cols());
            byte[] expected = LayerFixtures.paddedBytes(s.batch() * s.rows());
            ReferenceQuantizedFullyConnected.eval(input, s.batch(), s.cols(), INPUT_SCALE, INPUT_ZERO_POINT, weights,
                    s.rows(), 0f, scales, null, OUTPUT_SCALE, OUTPUT_ZERO_POINT, FusedActivation.NONE,
                    Requantization.FIXED_POINT_DOUBLE_ROUNDING, expected);
            PreparedWeights prepared = PreparedWeights.perChannel(weights, s.rows(), s.cols(), scales);
            for (int threads = 1; threads <= 2; threads++) {
                QuantizedFullyConnected layer = QuantizedFullyConnected.builder(prepared)
                        .input(INPUT_SCALE, INPUT_ZERO_POINT).output(OUTPUT_SCALE, OUTPUT_ZERO_POINT)
                        .parallelism(threads).executor(LayerFixtures.POOL).build();
                byte[] actual = LayerFixtures.paddedBytes(s.batch() * s.rows());
                layer.eval(input, s.batch(), actual);
                assertSameBytes(expected, actual, s.rows(), where + ", " + threads + " thread(s)");
            }
        }
    }
}
