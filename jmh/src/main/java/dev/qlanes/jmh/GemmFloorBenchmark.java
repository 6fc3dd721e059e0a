package dev.qlanes.jmh;

import dev.qlanes.Kernels;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
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
 * What bounds an int8 batch GEMM on this JDK, measured beside qlanes' layers, XNNPACK ({@link XnnpackGemmBenchmark})
 * and ONNX Runtime ({@link PeerGemvBenchmark}) in the {@code gemm} profile: one floor for each kind of vector lane
 * an exact kernel can sum in, and the float-lane kernel itself.
 *
 * <p>{@link #int16Floor} is {@link WideningFloorBenchmark#gemvFloor} at batch shapes: qlanes' own loops (B2S
 * widening, 16-bit products, four activation rows per widened weight chunk) without the split that makes them exact.
 * No kernel built on that widening can be faster.
 *
 * <p>Every int8 × int8 product has magnitude at most 2^14 and a float holds every integer up to 2^24, so a float lane
 * sums up to {@value #EXACT_PRODUCTS} products with no rounding, FMA or not. {@link #floatLaneGemm} is such a kernel:
 * weights converted {@code B2F} once per 2-row × 4-batch-row tile, activations converted once per batch tile, one
 * FMA per lane per product, lanes flushed to int32 every {@value #EXACT_PRODUCTS} products. Its result is the exact
 * int32 GEMM (checked against the reference in {@link Gemm#setUp}), so it could replace the int16 biased split for
 * batches; it was measured instead of adopted because it is no faster (docs/performance.md, GEMM section).
 *
 * <p>{@link #fmaFloor} is why: it issues the same number of vector FMAs as the GEMM ({@code batch·rows·cols / L}),
 * on registers only, with no load, conversion or reduction. Any float-lane kernel does at least that, so its time is
 * a floor for all of them; a peer faster than it (XNNPACK's qs8 operator, with {@code vpdpbusd} or {@code vpmaddwd})
 * cannot be matched with float lanes on this JDK and machine.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class GemmFloorBenchmark {

    /** The kernels' width ({@code -Dqlanes.vectorBits} included), in float lanes. */
    static final VectorSpecies<Float> FLOATS = VectorSpecies.of(float.class, Kernels.info().vectorized()
            ? VectorShape.forBitSize(Kernels.info().vectorBitSize()) : VectorShape.preferredShape());
    /** Quarter-width bytes: {@code B2F} into a full-width float vector. */
    static final VectorSpecies<Byte> BYTES_QUARTER =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(FLOATS.vectorBitSize() / 4));
    static final VectorSpecies<Integer> INTS = FLOATS.withLanes(int.class);
    static final int L = FLOATS.length();
    /** Products one float lane sums exactly: 1024 · 2^14 = 2^24. */
    static final int EXACT_PRODUCTS = 1024;
    /** Activation rows per tile, sharing each converted weight chunk. */
    static final int BATCH_TILE = 4;
    /** Independent FMA chains in {@link #fmaFloor}: enough to cover FMA latency times issue width (4 × 2 on x86). */
    static final int CHAINS = 12;

    /** Operands in the int8 layers' shapes; rows even, columns a multiple of {@code L}, batch a multiple of 4. */
    @State(Scope.Benchmark)
    public static class Gemm {
        // Fallback for a bare JMH command line: the registry's cases (kernel-cases.txt), BenchmarkParamsTest.
        @Param({"16x1024x1024", "64x1024x1024", "256x1024x1024", "16x4096x1024", "64x4096x1024"})
        String gemmShape;

        Shape shape;
        byte[] weights;
        byte[] input;
        float[] packed;
        int[] out;
        short[] widened;

        @Setup
        public void setUp() {
            shape = Shape.parse(gemmShape);
            SplittableRandom random = new SplittableRandom(Data.SEED);
            prepare(Data.weights(random, shape.rows() * shape.cols()), Data.int8(random, shape.batch() * shape.cols()));
        }

        /** Takes these operands and checks {@link #floatLaneGemm} against the reference's dot products. */
        void prepare(byte[] w, byte[] x) {
            requireMultiple("rows", shape.rows(), FloorDotLoops.ROW_TILE);
            requireMultiple("cols", shape.cols(), Math.max(L, 2 * FloorDotLoops.STEP));
            requireMultiple("batch", shape.batch(), BATCH_TILE);
            weights = w;
            input = x;
            packed = new float[BATCH_TILE * shape.cols()];
            out = new int[shape.batch() * shape.rows()];
            widened = new short[FloorDotLoops.packedLength(shape.cols())];
            floatLaneGemm(weights, shape.rows(), shape.cols(), input, shape.batch(), packed, out);
            Checks.equal("float-lane GEMM " + gemmShape, Checks.referenceDots(w, shape.rows(), shape.cols(), x,
                    shape.batch()), out);
        }
    }

    @Benchmark
    public int[] floatLaneGemm(Gemm g) {
        floatLaneGemm(g.weights, g.shape.rows(), g.shape.cols(), g.input, g.shape.batch(), g.packed, g.out);
        return g.out;
    }

    @Benchmark
    public float fmaFloor(Gemm g) {
        return fmaFloor(g.shape.macs() / L);
    }

    @Benchmark
    public int[] int16Floor(Gemm g) {
        WideningFloorBenchmark.gemvFloor(g.weights, g.shape.rows(), g.shape.cols(), g.input, g.shape.batch(),
                g.widened, g.out);
        return g.out;
    }

    private static void requireMultiple(String name, int value, int multiple) {
        if (value <= 0 || value % multiple != 0) {
            throw new IllegalArgumentException(name + " = " + value + ", expected a positive multiple of " + multiple);
        }
    }

    /** {@code out[b·rows + r] = Σ_c w[r][c] · x[b][c]}, exact int32, with float-lane sums (see the class comment). */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE) // compiled on its own, like a library call
    static void floatLaneGemm(byte[] w, int rows, int cols, byte[] x, int batch, float[] packed, int[] out) {
        Arrays.fill(out, 0, batch * rows, 0); // the tiles add their column chunks
        for (int b = 0; b < batch; b += BATCH_TILE) {
            // packed[4c + k·L + (c mod L)] = x[b + k][c]: one tile's activations, interleaved per L columns
            for (int c = 0; c < cols; c += L) {
                for (int k = 0; k < BATCH_TILE; k++) {
                    ((FloatVector) ByteVector.fromArray(BYTES_QUARTER, x, (b + k) * cols + c)
                            .convertShape(VectorOperators.B2F, FLOATS, 0)).intoArray(packed, BATCH_TILE * c + k * L);
                }
            }
            for (int r = 0; r < rows; r += 2) {
                for (int c0 = 0; c0 < cols; c0 += EXACT_PRODUCTS * L) {
                    tile(w, r, cols, c0, Math.min(cols, c0 + EXACT_PRODUCTS * L), packed, out, b * rows + r, rows);
                }
            }
        }
    }

    /** Rows {@code r, r+1} × the tile's 4 activation rows over columns {@code [from, to)}, added to {@code out}. */
    private static void tile(byte[] w, int r, int cols, int from, int to, float[] packed, int[] out, int o,
            int stride) {
        int m = r * cols;
        int n = m + cols;
        FloatVector a0 = FloatVector.zero(FLOATS), a1 = FloatVector.zero(FLOATS);
        FloatVector a2 = FloatVector.zero(FLOATS), a3 = FloatVector.zero(FLOATS);
        FloatVector c0 = FloatVector.zero(FLOATS), c1 = FloatVector.zero(FLOATS);
        FloatVector c2 = FloatVector.zero(FLOATS), c3 = FloatVector.zero(FLOATS);
        for (int c = from; c < to; c += L) {
            FloatVector wm = (FloatVector) ByteVector.fromArray(BYTES_QUARTER, w, m + c)
                    .convertShape(VectorOperators.B2F, FLOATS, 0);
            FloatVector wn = (FloatVector) ByteVector.fromArray(BYTES_QUARTER, w, n + c)
                    .convertShape(VectorOperators.B2F, FLOATS, 0);
            int p = BATCH_TILE * c;
            FloatVector x0 = FloatVector.fromArray(FLOATS, packed, p);
            FloatVector x1 = FloatVector.fromArray(FLOATS, packed, p + L);
            FloatVector x2 = FloatVector.fromArray(FLOATS, packed, p + 2 * L);
            FloatVector x3 = FloatVector.fromArray(FLOATS, packed, p + 3 * L);
            a0 = wm.fma(x0, a0);
            a1 = wm.fma(x1, a1);
            a2 = wm.fma(x2, a2);
            a3 = wm.fma(x3, a3);
            c0 = wn.fma(x0, c0);
            c1 = wn.fma(x1, c1);
            c2 = wn.fma(x2, c2);
            c3 = wn.fma(x3, c3);
        }
        // lanes are exact integers below 2^24; their total may not be, so they are summed as ints
        out[o] += exact(a0);
        out[o + stride] += exact(a1);
        out[o + 2 * stride] += exact(a2);
        out[o + 3 * stride] += exact(a3);
        out[o + 1] += exact(c0);
        out[o + 1 + stride] += exact(c1);
        out[o + 1 + 2 * stride] += exact(c2);
        out[o + 1 + 3 * stride] += exact(c3);
    }

    private static int exact(FloatVector lanes) {
        return lanes.convert(VectorOperators.F2I, 0).reinterpretAsInts().reduceLanes(VectorOperators.ADD);
    }

    /** {@code fmas} vector FMAs in {@value #CHAINS} independent chains, on registers only. */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static float fmaFloor(long fmas) {
        FloatVector half = FloatVector.broadcast(FLOATS, 0.5f); // x -> x/2 + 1 converges to 2: no overflow, no denormals
        FloatVector one = FloatVector.broadcast(FLOATS, 1.0f);
        FloatVector s0 = one, s1 = one, s2 = one, s3 = one, s4 = one, s5 = one;
        FloatVector s6 = one, s7 = one, s8 = one, s9 = one, s10 = one, s11 = one;
        for (long i = fmas / CHAINS; i > 0; i--) {
            s0 = s0.fma(half, one);
            s1 = s1.fma(half, one);
            s2 = s2.fma(half, one);
            s3 = s3.fma(half, one);
            s4 = s4.fma(half, one);
            s5 = s5.fma(half, one);
            s6 = s6.fma(half, one);
            s7 = s7.fma(half, one);
            s8 = s8.fma(half, one);
            s9 = s9.fma(half, one);
            s10 = s10.fma(half, one);
            s11 = s11.fma(half, one);
        }
        return s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7).add(s8).add(s9).add(s10).add(s11)
                .reduceLanes(VectorOperators.ADD);
    }
}
