package dev.qlanes.jmh;

import dev.qlanes.TensorUtils;
import dev.qlanes.reference.PortableTensorUtils;
import dev.qlanes.reference.QuantizedMultiplier;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One fully-connected layer ({@code batch × cols} activations times a {@code rows × cols} int8 matrix) per
 * operation, through each of TFLite's paths, with qlanes' facade and with the scalar reference:
 * <ul>
 *   <li>{@code HYBRID}: float input → symmetric quantization per batch row → int8 MBVMA → float output,
 *       per-tensor weight scale (docs/semantics.md §4.1). The input quantization is part of the measured time.</li>
 *   <li>{@code HYBRID_ASYMMETRIC}: the same with asymmetric input quantization (zero points, cached row sums)
 *       and per-channel weight scales.</li>
 *   <li>{@code FULL_INTEGER}: int8 input → MBVMA with int32 bias and fixed-point requantization → int8 output
 *       (§3.6).</li>
 *   <li>{@code FLOAT}: float MBVMA (§3.1), sequential column order (bit-exact).</li>
 * </ul>
 * Outputs of both implementations are compared in {@code @Setup} (floats by raw bits) before anything is timed.
 * Each (shape, path) pair is a case of {@code kernel-cases.txt}, which sets the parameters of every {@code ./bench}
 * profile; the {@code @Param} lists are the fallback for a bare JMH command line and equal the registry's cases
 * (checked by {@code BenchmarkParamsTest}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FullyConnectedBenchmark {

    /** The four paths, each with the kernel family (without its tile name) its cases have in the registry. */
    public enum Path {
        HYBRID("f32-qs8w-fc-hybrid"),
        HYBRID_ASYMMETRIC("f32-qs8w-fc-hybrid_asym"),
        FULL_INTEGER("qs8-fc-int8out"),
        FLOAT("f32-fc-seq");

        private final String kernel;

        Path(String kernel) {
            this.kernel = kernel;
        }

        /** The path whose registry kernel is {@code kernel} (e.g. {@code qs8-fc-int8out}), or null. */
        public static Path of(String kernel) {
            for (Path p : values()) {
                if (p.kernel.equals(kernel)) {
                    return p;
                }
            }
            return null;
        }
    }

    // Fallback for a bare JMH command line: the registry's cases (kernel-cases.txt), BenchmarkParamsTest.
    @Param({"1x256x256", "4x256x256", "16x256x256", "64x256x256",
            "1x1024x1024", "4x1024x1024", "16x1024x1024", "64x1024x1024",
            "1x4096x1024", "4x4096x1024", "16x4096x1024", "64x4096x1024",
            "1x4096x4096", "4x4096x4096", "16x4096x4096", "64x4096x4096",
            "1x8192x8192", "16x8192x8192",
            "1x1000x1001", "16x1000x1001", "1x127x4099"})
    String shape;

    @Param({"HYBRID", "HYBRID_ASYMMETRIC", "FULL_INTEGER", "FLOAT"})
    Path path;

    private int batch;
    private int rows;
    private int cols;
    private byte[] weights;
    private float[] floatWeights;
    private float weightScale;
    private float[] channelScales;
    private int[] rowSums;
    private float[] bias;
    private float[] input;
    private byte[] quantized;
    private float[] scaling;
    private int[] zeroPoints;
    private float[] output;
    private byte[] int8Input;
    private int[] int32Bias;
    private byte[] int8Output;
    private QuantizedMultiplier multiplier;

    @Setup
    public void setUp() {
        Shape s = Shape.parse(shape);
        batch = s.batch();
        rows = s.rows();
        cols = s.cols();
        SplittableRandom random = new SplittableRandom(Data.SEED);
        bias = Data.floats(random, rows, 0.1);
        output = new float[batch * rows];
        switch (path) {
            case HYBRID, HYBRID_ASYMMETRIC -> {
                weights = Data.weights(random, rows * cols);
                weightScale = 0.01f;
                channelScales = Data.floats(random, rows, 0.01);
                rowSums = new int[rows];
                PortableTensorUtils.reductionSumVector(weights, rowSums, rows, cols);
                input = Data.floats(random, batch * cols, 1.0);
                quantized = new byte[batch * cols];
                scaling = new float[batch];
                zeroPoints = new int[batch];
            }
            case FULL_INTEGER -> {
                weights = Data.weights(random, rows * cols);
                int8Input = Data.int8(random, batch * cols);
                int32Bias = new int[rows];
                for (int r = 0; r < rows; r++) {
                    int32Bias[r] = random.nextInt(1 << 16) - (1 << 15);
                }
                int8Output = new byte[batch * rows];
                multiplier = QuantizedMultiplier.of(1.0 / (64.0 * Math.sqrt(cols)));
            }
            case FLOAT -> {
                floatWeights = Data.floats(random, rows * cols, 0.05);
                input = Data.floats(random, batch * cols, 1.0);
            }
        }
        Object expected = copy(run(false));
        Object actual = copy(run(true));
        if (expected instanceof float[] e) {
            Checks.sameBits("qlanes " + path + " " + shape, e, (float[]) actual);
        } else {
            Checks.equal("qlanes " + path + " " + shape, (byte[]) expected, (byte[]) actual);
        }
    }

    private static Object copy(Object out) {
        return out instanceof float[] f ? f.clone() : ((byte[]) out).clone();
    }

    /** One layer evaluation; {@code vector} picks qlanes' facade, else the reference. Returns the output. */
    private Object run(boolean vector) {
        switch (path) {
            case HYBRID, HYBRID_ASYMMETRIC -> {
                boolean asymmetric = path == Path.HYBRID_ASYMMETRIC;
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(bias, 0, output, b * rows, rows);
                }
                if (vector) {
                    TensorUtils.batchQuantizeFloats(input, batch, cols, quantized, scaling, zeroPoints, asymmetric);
                } else {
                    PortableTensorUtils.batchQuantizeFloats(input, batch, cols, quantized, scaling, zeroPoints,
                            asymmetric);
                }
                if (!asymmetric) {
                    for (int b = 0; b < batch; b++) {
                        scaling[b] *= weightScale;
                    }
                }
                float[] pcs = asymmetric ? channelScales : null;
                int[] offsets = asymmetric ? zeroPoints : null;
                int[] sums = asymmetric ? rowSums : null;
                if (vector) {
                    TensorUtils.matrixBatchVectorMultiplyAccumulate(weights, rows, cols, quantized, scaling, batch,
                            output, pcs, offsets, sums);
                } else {
                    PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(weights, rows, cols, quantized, scaling,
                            batch, output, pcs, offsets, sums);
                }
                return output;
            }
            case FULL_INTEGER -> {
                Arrays.fill(int8Output, (byte) 0);
                if (vector) {
                    TensorUtils.matrixBatchVectorMultiplyAccumulate(int8Input, int32Bias, weights,
                            multiplier.multiplier(), multiplier.shift(), batch, cols, rows, 0, int8Output);
                } else {
                    PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(int8Input, int32Bias, weights,
                            multiplier.multiplier(), multiplier.shift(), batch, cols, rows, 0, int8Output);
                }
                return int8Output;
            }
            case FLOAT -> {
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(bias, 0, output, b * rows, rows);
                }
                if (vector) {
                    TensorUtils.matrixBatchVectorMultiplyAccumulate(floatWeights, rows, cols, input, batch, output);
                } else {
                    PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(floatWeights, rows, cols, input, batch,
                            output);
                }
                return output;
            }
            default -> throw new AssertionError(path);
        }
    }

    @Benchmark
    public Object qlanes() {
        return run(true);
    }

    @Benchmark
    public Object reference() {
        return run(false);
    }
}
