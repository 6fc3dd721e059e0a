package dev.qlanes.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * A floor for layers on several threads: reading a weight matrix's bytes and doing nothing else with them, on one
 * thread ({@link #readOneThread}) and split between two threads reading at the same time ({@link #readTwoThreads};
 * JMH runs both threads through each iteration together, and the time per operation is the time for both halves).
 * A batch-1 layer reads every weight byte once per call, so on two threads it cannot finish before
 * {@code readTwoThreads} does, and its two-thread speedup is at most its own one-thread time divided by that: the
 * faster one thread is, the lower that ceiling. Run in the same JMH invocation as {@link LayerBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 7, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class MemoryReadFloorBenchmark {

    static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_PREFERRED;
    /** Independent accumulators, so that the adds never hold back the loads. */
    static final int UNROLL = 4;

    /**
     * The weight matrix of a {@link LayerBenchmark} shape (same parameter name, so one {@code -p layerShape=...} sets
     * both); rows × cols a multiple of {@code 2 · UNROLL ·} the vector length.
     */
    @State(Scope.Benchmark)
    public static class Matrix {
        // Fallback for a bare JMH command line: the registry's cases (kernel-cases.txt), BenchmarkParamsTest.
        @Param({"1x4096x4096"})
        String layerShape;

        byte[] bytes;

        @Setup
        public void setUp() {
            Shape shape = Shape.parse(layerShape);
            int n = Math.multiplyExact(shape.rows(), shape.cols());
            if (n <= 0 || n % (2 * UNROLL * BYTES.length()) != 0) {
                throw new IllegalArgumentException("layerShape = " + layerShape + ", expected rows x cols a positive"
                        + " multiple of " + 2 * UNROLL * BYTES.length());
            }
            bytes = Data.weights(new SplittableRandom(Data.SEED), n);
        }
    }

    /** Which half a thread of {@link #readTwoThreads} reads. */
    @State(Scope.Thread)
    public static class Half {
        int index;

        @Setup
        public void setUp(ThreadParams threads) {
            index = threads.getThreadIndex();
        }
    }

    @Benchmark
    @Threads(1)
    public long readOneThread(Matrix m) {
        return read(m.bytes, 0, m.bytes.length);
    }

    @Benchmark
    @Threads(2)
    public long readTwoThreads(Matrix m, Half h) {
        int half = m.bytes.length / 2;
        return read(m.bytes, h.index * half, (h.index + 1) * half);
    }

    /**
     * Every byte of {@code a[from, to)} loaded once and added into byte lanes (wrapping), then the lanes summed as
     * 64-bit words: a result that depends on every byte, so no load can be dropped. {@code to - from} a multiple of
     * {@code UNROLL ·} the vector length.
     */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE) // compiled on its own, like a library call
    static long read(byte[] a, int from, int to) {
        int step = BYTES.length();
        ByteVector acc0 = ByteVector.zero(BYTES);
        ByteVector acc1 = acc0;
        ByteVector acc2 = acc0;
        ByteVector acc3 = acc0;
        for (int i = from; i < to; i += UNROLL * step) {
            ByteVector v0 = ByteVector.fromArray(BYTES, a, i);
            ByteVector v1 = ByteVector.fromArray(BYTES, a, i + step);
            ByteVector v2 = ByteVector.fromArray(BYTES, a, i + 2 * step);
            ByteVector v3 = ByteVector.fromArray(BYTES, a, i + 3 * step);
            acc0 = acc0.add(v0);
            acc1 = acc1.add(v1);
            acc2 = acc2.add(v2);
            acc3 = acc3.add(v3);
        }
        return acc0.add(acc1).add(acc2).add(acc3).reinterpretAsLongs().reduceLanes(VectorOperators.ADD);
    }
}
