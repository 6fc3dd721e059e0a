package dev.qlanes.jmh;

import ai.onnxruntime.OrtException;
import dev.qlanes.TensorUtils;
import dev.qlanes.jmh.nativeanchor.NativeAnchor;
import dev.qlanes.jmh.peers.OnnxMatMul;
import dev.qlanes.jmh.peers.OnnxModels;
import dev.qlanes.reference.PortableTensorUtils;
import dev.qlanes.reference.QuantizedMultiplier;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.util.VectorUtil;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * int8 GEMV/GEMM ({@code batch} int8 vectors times a {@code rows × cols} int8 matrix) in qlanes and its peers,
 * in the same run: Lucene's dot product row by row, the native C anchor through FFM, and ONNX Runtime's
 * {@code MatMulInteger} (s8s8, and u8u8 with inputs shifted by 128, both exact) and
 * {@code DynamicQuantizeMatMul} (the hybrid peer; not exact on AVX2, see {@code OnnxModels}). qlanes' full-integer
 * and hybrid outputs are checked bit for bit against the reference in {@link Operands#setUp()}, each exact peer's
 * int32 accumulators in its state's {@code @Setup}; a peer that cannot run here (no C compiler, say) fails only
 * its own benchmark.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PeerGemvBenchmark {

    /** The operands every implementation shares, and the reference's int32 accumulators. */
    @State(Scope.Benchmark)
    public static class Operands {
        // Fallback for a bare JMH command line: the registry's cases (kernel-cases.txt), BenchmarkParamsTest.
        @Param({"1x1024x1024", "16x1024x1024", "64x1024x1024", "256x1024x1024", "1x4096x1024", "16x4096x1024",
                "64x4096x1024", "1x4096x4096", "1x8192x8192"})
        String gemvShape;

        int batch;
        int rows;
        int cols;
        byte[] weights;
        byte[] input;
        int[] expectedDots;
        /** The reference's full-integer and hybrid outputs, what {@link #fullInteger()} and {@link #hybrid()} must return. */
        byte[] expectedInt8;
        float[] expectedFloat;
        int[] bias;
        byte[] int8Output;
        QuantizedMultiplier multiplier;
        float[] floatInput;
        float[] channelScales;
        int[] rowSums;
        byte[] quantized;
        float[] scaling;
        int[] zeroPoints;
        float[] floatOutput;

        @Setup
        public void setUp() {
            Shape s = Shape.parse(gemvShape);
            batch = s.batch();
            rows = s.rows();
            cols = s.cols();
            SplittableRandom random = new SplittableRandom(Data.SEED);
            weights = Data.weights(random, rows * cols);
            input = Data.int8(random, batch * cols);
            expectedDots = Checks.referenceDots(weights, rows, cols, input, batch);
            bias = new int[rows];
            int8Output = new byte[batch * rows];
            multiplier = QuantizedMultiplier.of(1.0 / (64.0 * Math.sqrt(cols)));
            floatInput = Data.floats(random, batch * cols, 1.0);
            channelScales = Data.floats(random, rows, 0.01);
            rowSums = new int[rows];
            PortableTensorUtils.reductionSumVector(weights, rowSums, rows, cols);
            quantized = new byte[batch * cols];
            scaling = new float[batch];
            zeroPoints = new int[batch];
            floatOutput = new float[batch * rows];
            expectedInt8 = new byte[batch * rows];
            PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(input, bias, weights, multiplier.multiplier(),
                    multiplier.shift(), batch, cols, rows, 0, expectedInt8);
            byte[] referenceQuantized = new byte[batch * cols];
            float[] referenceScaling = new float[batch];
            int[] referenceZeroPoints = new int[batch];
            PortableTensorUtils.batchQuantizeFloats(floatInput, batch, cols, referenceQuantized, referenceScaling,
                    referenceZeroPoints, true);
            expectedFloat = new float[batch * rows];
            PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(weights, rows, cols, referenceQuantized,
                    referenceScaling, batch, expectedFloat, channelScales, referenceZeroPoints, rowSums);
            checkFullInteger();
            checkHybrid();
        }

        /** What {@link #qlanesFullInteger} measures: bias, int8 GEMV and requantization to int8. */
        byte[] fullInteger() {
            Arrays.fill(int8Output, (byte) 0);
            TensorUtils.matrixBatchVectorMultiplyAccumulate(input, bias, weights, multiplier.multiplier(),
                    multiplier.shift(), batch, cols, rows, 0, int8Output);
            return int8Output;
        }

        /** What {@link #qlanesHybrid} measures: asymmetric input quantization, int8 GEMV and the float epilogue. */
        float[] hybrid() {
            Arrays.fill(floatOutput, 0.0f);
            TensorUtils.batchQuantizeFloats(floatInput, batch, cols, quantized, scaling, zeroPoints, true);
            TensorUtils.matrixBatchVectorMultiplyAccumulate(weights, rows, cols, quantized, scaling, batch,
                    floatOutput, channelScales, zeroPoints, rowSums);
            return floatOutput;
        }

        /** Throws {@link IllegalStateException} unless {@link #fullInteger()} equals the reference. */
        void checkFullInteger() {
            Checks.equal("qlanes full-integer GEMV", expectedInt8, fullInteger());
        }

        /** Throws {@link IllegalStateException} unless {@link #hybrid()} equals the reference by raw bits. */
        void checkHybrid() {
            Checks.sameBits("qlanes hybrid GEMV", expectedFloat, hybrid());
        }
    }

    @Benchmark
    public byte[] qlanesFullInteger(Operands o) {
        return o.fullInteger();
    }

    @Benchmark
    public float[] qlanesHybrid(Operands o) {
        return o.hybrid();
    }

    /** Lucene's API takes whole arrays, so the matrix is held as one array per row. */
    @State(Scope.Benchmark)
    public static class LuceneRows {
        byte[][] rows;
        byte[][] vectors;
        int[] out;

        @Setup
        public void setUp(Operands o) {
            rows = new byte[o.rows][];
            for (int r = 0; r < o.rows; r++) {
                rows[r] = Arrays.copyOfRange(o.weights, r * o.cols, (r + 1) * o.cols);
            }
            vectors = new byte[o.batch][];
            for (int b = 0; b < o.batch; b++) {
                vectors[b] = Arrays.copyOfRange(o.input, b * o.cols, (b + 1) * o.cols);
            }
            out = new int[o.batch * o.rows];
            run();
            Checks.equal("Lucene row-by-row GEMV", o.expectedDots, out);
        }

        int[] run() {
            for (int b = 0; b < vectors.length; b++) {
                for (int r = 0; r < rows.length; r++) {
                    out[b * rows.length + r] = VectorUtil.dotProduct(rows[r], vectors[b]);
                }
            }
            return out;
        }
    }

    @Benchmark
    public int[] luceneRowByRow(LuceneRows lucene) {
        return lucene.run();
    }

    /** The native anchor on native memory (its natural habitat), compiled on this machine. */
    @State(Scope.Benchmark)
    public static class Native {
        Arena arena;
        MemorySegment weights;
        MemorySegment input;
        MemorySegment out;
        int rows;
        int cols;
        int batch;

        @Setup
        public void setUp(Operands o) {
            if (!NativeAnchor.available()) {
                throw new IllegalStateException("native anchor unavailable: " + NativeAnchor.unavailableReason());
            }
            arena = Arena.ofShared();
            weights = arena.allocate(o.weights.length, 64).copyFrom(MemorySegment.ofArray(o.weights));
            input = arena.allocate(o.input.length, 64).copyFrom(MemorySegment.ofArray(o.input));
            out = arena.allocate((long) o.batch * o.rows * Integer.BYTES, 64);
            rows = o.rows;
            cols = o.cols;
            batch = o.batch;
            NativeAnchor.gemv(weights, rows, cols, input, batch, out);
            Checks.equal("native anchor GEMV", o.expectedDots, out.toArray(ValueLayout.JAVA_INT));
        }

        @TearDown
        public void tearDown() {
            arena.close();
        }
    }

    @Benchmark
    public MemorySegment nativeAnchor(Native n) {
        NativeAnchor.gemv(n.weights, n.rows, n.cols, n.input, n.batch, n.out);
        return n.out;
    }

    /** ONNX Runtime sessions, built once; single-threaded. */
    @State(Scope.Benchmark)
    public static class Onnx {
        OnnxMatMul s8s8;
        OnnxMatMul u8u8;
        OnnxMatMul dynamic;
        int[] dots;

        @Setup
        public void setUp(Operands o) throws OrtException {
            dots = new int[o.batch * o.rows];
            s8s8 = OnnxMatMul.matMulInteger(o.weights, o.rows, o.cols, o.batch);
            s8s8.run(o.input, dots);
            Checks.equal("ONNX Runtime MatMulInteger s8s8", o.expectedDots, dots);
            u8u8 = OnnxMatMul.matMulInteger(o.weights, o.rows, o.cols, o.batch, OnnxModels.Operands.U8U8);
            u8u8.run(o.input, dots);
            Checks.equal("ONNX Runtime MatMulInteger u8u8", o.expectedDots, dots);
            float[] scales = o.channelScales;
            dynamic = OnnxMatMul.dynamicQuantizeMatMul(o.weights, o.rows, o.cols, o.batch, scales);
            float[] floats = new float[o.batch * o.rows];
            dynamic.run(o.floatInput, floats); // inexact by design on AVX2 (saturating u8s8): nothing to compare
            // inputs are written once; run() then reuses the session's own buffers without copies
            s8s8.run(o.input, dots);
            u8u8.run(o.input, dots);
            dynamic.run(o.floatInput, floats);
        }

        @TearDown
        public void tearDown() throws OrtException {
            s8s8.close();
            u8u8.close();
            dynamic.close();
        }
    }

    @Benchmark
    public Object onnxMatMulIntegerS8S8(Onnx onnx) throws OrtException {
        onnx.s8s8.run();
        return onnx.s8s8;
    }

    @Benchmark
    public Object onnxMatMulIntegerU8U8(Onnx onnx) throws OrtException {
        onnx.u8u8.run();
        return onnx.u8u8;
    }

    @Benchmark
    public Object onnxDynamicQuantizeMatMul(Onnx onnx) throws OrtException {
        onnx.dynamic.run();
        return onnx.dynamic;
    }
}
