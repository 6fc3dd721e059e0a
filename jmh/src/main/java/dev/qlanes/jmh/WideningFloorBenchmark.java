package dev.qlanes.jmh;

import dev.qlanes.Kernels;
import dev.qlanes.internal.vector.VectorShapes;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
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
 * Lower bounds, not kernels: loops that do strictly less work than any exact int8 kernel on this JDK, to be run in
 * the same JMH invocation as the peers ({@link DotProductBenchmark}, {@link PeerGemvBenchmark}) so that a target
 * ratio can be shown to be out of reach rather than merely missed: a peer faster than the floor cannot be matched.
 *
 * <p>{@link #dotFloor} and {@link #gemvFloor} run {@link FloorDotLoops}, generated from the kernels' own template
 * ({@code kernels/src/template/DotLoops.java.template}), so they keep the qlanes kernels' loop structure (half-width bytes widened
 * with {@code B2S}, 16-bit products summed in pairs, four weight rows per pass at batch 1, four activation rows per
 * widened weight chunk for larger batches) and drop the only step that makes them exact: the split of each 16-bit
 * pair sum into int32 (bias, shift, second accumulator). Their results are therefore wrong; any exact kernel with
 * this widening does everything they do and more, so it cannot be faster. (Splitting bytes with shifts instead of
 * {@code B2S} was measured slower: C2 emits 16-bit shifts with a register count and reloads their constants.)
 *
 * <p>The floors are compiled on their own ({@code DONT_INLINE}), as a library call would be, and {@code dotFloor}
 * names its widened operands before using them: written as one nested expression it ran at the kernel's speed for
 * a second and then, recompiled in JMH's fork, boxed its accumulators (2 KB per call, 4-100x slower). Every floor
 * must show 0 B/op under {@code -prof gc} for its time to count.
 *
 * <p>{@link WideningFloorBenchmarkTest} checks each floor against a scalar model of its own arithmetic, so a floor
 * that skipped part of the work (and so understated the bound) fails the build.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 7, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class WideningFloorBenchmark {

    /** The kernels' own width ({@code -Dqlanes.vectorBits} included), so the floor and the kernels compare alike. */
    static final VectorSpecies<Short> SHORTS = VectorSpecies.of(short.class, Kernels.info().vectorized()
            ? VectorShape.forBitSize(Kernels.info().vectorBitSize()) : VectorShape.preferredShape());
    static final VectorSpecies<Integer> INTS = SHORTS.withLanes(int.class);
    /** Half-width bytes: {@code B2S} into a full-width short vector is a fixed-width expansion, as in the kernels. */
    static final VectorSpecies<Byte> BYTES_HALF =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(SHORTS.vectorBitSize() / 2));
    /**
     * The vector classes of {@link #SHORTS}, {@link #INTS} and {@link #BYTES_HALF}, cast to as the kernels do
     * (VectorShapes' comment).
     */
    static final Class<? extends ShortVector> SHORTS_CLASS = VectorShapes.vectorClass(SHORTS);
    static final Class<? extends IntVector> INTS_CLASS = VectorShapes.vectorClass(INTS);
    static final Class<? extends ByteVector> BYTES_HALF_CLASS = VectorShapes.vectorClass(BYTES_HALF);
    /** Columns per vector step. */
    static final int STEP = SHORTS.length();
    /** Rows per pass, as in the kernels' tiles. */
    static final int TILE = FloorDotLoops.ROW_TILE;

    /** Two int8 operands of {@code length} elements; {@code length} a multiple of {@code 4·STEP}. */
    @State(Scope.Benchmark)
    public static class Dot {
        // Fallback for a bare JMH command line: the registry's cases (kernel-cases.txt), BenchmarkParamsTest.
        @Param({"1024", "4096"})
        int length;

        byte[] a;
        byte[] b;

        @Setup
        public void setUp() {
            requireMultiple("length", length, 4 * STEP);
            SplittableRandom random = new SplittableRandom(Data.SEED);
            a = Data.int8(random, length);
            b = Data.int8(random, length);
        }
    }

    /** A weight matrix and activations; rows a multiple of 4, columns of {@code 2·STEP}, batch 1 or a multiple of 4. */
    @State(Scope.Benchmark)
    public static class Gemv {
        // Fallback for a bare JMH command line: the registry's cases (kernel-cases.txt), BenchmarkParamsTest.
        @Param({"1x1024x1024", "16x1024x1024", "64x1024x1024", "256x1024x1024", "1x4096x1024", "16x4096x1024",
                "64x4096x1024", "1x4096x4096", "1x8192x8192"})
        String gemvShape;

        Shape shape;
        byte[] weights;
        byte[] input;
        short[] widened;
        int[] out;

        @Setup
        public void setUp() {
            shape = Shape.parse(gemvShape);
            requireMultiple("rows", shape.rows(), TILE);
            requireMultiple("cols", shape.cols(), 2 * STEP);
            if (shape.batch() != 1) {
                requireMultiple("batch", shape.batch(), TILE);
            }
            SplittableRandom random = new SplittableRandom(Data.SEED);
            weights = Data.weights(random, shape.rows() * shape.cols());
            input = Data.int8(random, shape.batch() * shape.cols());
            widened = new short[FloorDotLoops.packedLength(shape.cols())];
            out = new int[shape.batch() * shape.rows()];
        }
    }

    @Benchmark
    public int dotFloor(Dot d) {
        return dotFloor(d.a, d.b, d.length);
    }

    @Benchmark
    public int[] gemvFloor(Gemv g) {
        gemvFloor(g.weights, g.shape.rows(), g.shape.cols(), g.input, g.shape.batch(), g.widened, g.out);
        return g.out;
    }

    @Benchmark
    public int[] gemvFoldFloor(Gemv g) {
        gemvFoldFloor(g.weights, g.shape.rows(), g.shape.cols(), g.input, g.shape.batch(), g.widened, g.out);
        return g.out;
    }

    private static void requireMultiple(String name, int value, int multiple) {
        if (value <= 0 || value % multiple != 0) {
            throw new IllegalArgumentException(name + " = " + value + ", expected a positive multiple of " + multiple);
        }
    }

    /** The dot product's loop without the split: both operands widened, pair sums added as raw int lanes. */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE) // compiled on its own, like a library call
    static int dotFloor(byte[] a, byte[] b, int n) {
        return FloorDotLoops.dot(a, 0, b, 0, n);
    }

    /**
     * The GEMV loops without the split: {@code out[b·rows + r]} gets row {@code r}'s raw lane sum. Batch 1 widens the
     * activations once and runs the kernels' row tiles; larger batches widen four activation rows into one buffer
     * and share each widened weight chunk among them, as the kernels do ({@code widened} holds
     * {@code FloorDotLoops.packedLength(cols)} shorts).
     */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE) // compiled on its own, like a library call
    static void gemvFloor(byte[] w, int rows, int cols, byte[] x, int batch, short[] widened, int[] out) {
        FloorDotLoops.gemv(w, rows, cols, x, batch, out, widened, widened);
    }

    /**
     * {@link #gemvFloor} plus the least an exact fold of the pair sums adds ({@link FoldFloorDotLoops}): each pair-sum
     * vector's high halves shifted down and summed in a second accumulator, without the bias that would make it exact.
     * {@code out[b·rows + r]} gets row {@code r}'s lane sum of both accumulators.
     */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE) // compiled on its own, like a library call
    static void gemvFoldFloor(byte[] w, int rows, int cols, byte[] x, int batch, short[] widened, int[] out) {
        FoldFloorDotLoops.gemv(w, rows, cols, x, batch, out, widened, widened);
    }
}
