package dev.qlanes;

import static dev.qlanes.LayerFixtures.assertSameBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.PortableTensorUtils;
import dev.qlanes.reference.QuantizedMultiplier;
import dev.qlanes.reference.ReferenceHybridFullyConnected;
import dev.qlanes.reference.ReferenceQuantizedFullyConnected;
import dev.qlanes.reference.Requantization;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks one registry case ({@code kernel-cases.txt}) through qlanes' public entry point against its reference twin,
 * bit for bit, XNNPACK-tester style:
 * <pre>
 *   KernelCases.all().forEach(c -&gt; KernelCaseTester.of(c).check());
 * </pre>
 * The shapes checked are the case's own and those derived from its family's vector step and tile: the case with its
 * columns replaced by {@code step-1, step, step+1}, its rows by {@code NR-1, NR, NR+1}, and (tiles of several
 * activation rows) its batch by {@code MR-1, MR, MR+1}; each with its rows cut, when needed, to about
 * {@link #BUDGET} multiply-adds, so that the large benchmark shapes stay affordable in every test fork while keeping
 * their depth and batch. Outputs carry canary padding and start non-zero (the paths accumulate). Only public API is used.
 */
final class KernelCaseTester {

    /**
     * Multiply-adds per checked shape: ~900 shapes per fork (each run by the facade and the twin) stay within ~10 s
     * at full scale; the -Xint and forced-512-bit forks run far slower, so small scale is 32x less.
     */
    static final long BUDGET = LayerFixtures.SMALL ? 1L << 13 : 1L << 18;
    /** Seed of every case's operands; override with -Dqlanes.test.seed to reproduce a failure. */
    static final long SEED = Long.getLong("qlanes.test.seed", 0x5EED_0018L);
    /** The narrowest width dispatch vectorizes at: the step the reference forks derive shapes from. */
    private static final int MIN_VECTOR_BITS = 128;

    /** One checked shape: {@code batch} activation rows times a {@code rows × cols} matrix. */
    record Shape(int batch, int rows, int cols) {
        long macs() {
            return (long) batch * rows * cols;
        }

        @Override
        public String toString() {
            return batch + "x" + rows + "x" + cols;
        }
    }

    /** A family's public entry point compared with its twin at one shape. */
    interface Operation {
        /** The reference methods it compares with, as {@code kernel-cases.txt} names them. */
        List<String> twin();

        void check(Shape s, SplittableRandom random, String where);
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

    /** Family and shape pairs already checked in this JVM: cases that derive the same shape share its check. */
    private static final Set<String> CHECKED = ConcurrentHashMap.newKeySet();

    private final KernelCases.Case kernelCase;
    private int vectorBits;

    private KernelCaseTester(KernelCases.Case kernelCase) {
        this.kernelCase = kernelCase;
        Kernels.Info info = Kernels.info();
        this.vectorBits = info.vectorized() ? info.vectorBitSize() : MIN_VECTOR_BITS;
    }

    static KernelCaseTester of(KernelCases.Case kernelCase) {
        return new KernelCaseTester(kernelCase);
    }

    /** Derives the shapes from {@code bits}-wide vectors instead of the width dispatch chose. */
    KernelCaseTester vectorBits(int bits) {
        this.vectorBits = bits;
        return this;
    }

    /** Elements per vector step of this case's family. */
    int step() {
        return vectorBits / kernelCase.family().laneBits();
    }

    /** The shapes {@link #check()} compares, in order, without duplicates. */
    List<Shape> shapes() {
        KernelCases.Family f = kernelCase.family();
        int b = kernelCase.batch();
        int r = kernelCase.rows();
        int c = kernelCase.cols();
        boolean dot = f.kernel().equals("qs8-dot");
        Set<Shape> shapes = new LinkedHashSet<>();
        shapes.add(fit(b, r, c));
        int step = step();
        for (int cols : new int[] {step - 1, step, step + 1}) {
            shapes.add(fit(b, r, cols));
        }
        if (!dot) {
            int nr = f.rowTile(step);
            for (int rows = Math.max(1, nr - 1); rows <= nr + 1; rows++) {
                shapes.add(fitColumns(b, rows, c));
            }
        }
        if (f.mr() > 1) {
            for (int batch = Math.max(2, f.mr() - 1); batch <= f.mr() + 1; batch++) {
                shapes.add(fit(batch, r, c));
            }
        }
        return new ArrayList<>(shapes);
    }

    /** {@code (batch, rows, cols)} with rows cut to fit {@link #BUDGET} (at least one row: depth and batch are kept). */
    private static Shape fit(int batch, int rows, int cols) {
        long perRow = (long) batch * cols;
        return new Shape(batch, (int) Math.max(1, Math.min(rows, BUDGET / perRow)), cols);
    }

    /** {@code (batch, rows, cols)} with columns cut instead, for the shapes whose row count is the point. */
    private static Shape fitColumns(int batch, int rows, int cols) {
        long perColumn = (long) batch * rows;
        return new Shape(batch, rows, (int) Math.max(1, Math.min(cols, BUDGET / perColumn)));
    }

    /**
     * Compares the entry point with the twin at every shape of {@link #shapes()}; returns how many shapes the case
     * covers (each is checked here or was checked in this JVM by a case deriving the same one).
     */
    int check() {
        Operation op = OPERATIONS.get(kernelCase.family().kernel());
        assertTrue(op != null, "no check for kernel family " + kernelCase.family().id()
                + ": add one to KernelCaseTester.OPERATIONS");
        assertEquals(kernelCase.family().twin(), op.twin(), kernelCase.family().id()
                + ": the twin kernel-cases.txt names vs the one KernelCaseTester compares with");
        List<Shape> shapes = shapes();
        for (Shape s : shapes) {
            if (CHECKED.add(kernelCase.family().id() + "@" + s)) {
                long seed = SEED ^ (31L * s.batch() + s.rows()) * 1_000_003L ^ s.cols();
                op.check(s, new SplittableRandom(seed), kernelCase.id() + " at " + s + " (" + vectorBits
                        + "-bit step " + step() + ", seed 0x" + Long.toHexString(seed) + ")");
            }
        }
        assertTrue(!shapes.isEmpty(), kernelCase.id() + ": no shape checked");
        return shapes.size();
    }

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
        public void check(Shape s, SplittableRandom random, String where) {
            int n = s.cols();
            byte[] a = LayerFixtures.bytes(random, n + LayerFixtures.PADDING);
            byte[] b = LayerFixtures.weights(random, n + LayerFixtures.PADDING);
            assertEquals(PortableTensorUtils.dotProduct(a, b, n), TensorUtils.dotProduct(a, b, n), where);
            byte[] min = new byte[n]; // every product 16384: the accumulator's extreme
            java.util.Arrays.fill(min, Byte.MIN_VALUE);
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
        public void check(Shape s, SplittableRandom random, String where) {
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
        public void check(Shape s, SplittableRandom random, String where) {
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
        public void check(Shape s, SplittableRandom random, String where) {
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
        public void check(Shape s, SplittableRandom random, String where) {
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
        public void check(Shape s, SplittableRandom random, String where) {
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
