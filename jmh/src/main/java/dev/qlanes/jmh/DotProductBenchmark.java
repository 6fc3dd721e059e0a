package dev.qlanes.jmh;

import dev.qlanes.TensorUtils;
import dev.qlanes.jmh.nativeanchor.NativeAnchor;
import dev.qlanes.reference.PortableTensorUtils;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * int8 dot product: qlanes (dispatching facade), the scalar reference, Lucene's
 * {@code VectorUtil.dotProduct(byte[], byte[])} (Panama path) and the native C anchor, in the same run. Every implementation's
 * result is checked against the reference in {@code @Setup}. One multiply-add per element.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DotProductBenchmark {

    // Fallback for a bare JMH command line: the registry's cases (kernel-cases.txt), BenchmarkParamsTest.
    @Param({"64", "256", "1024", "4096", "16384", "65536"})
    int length;

    byte[] a;
    byte[] b;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(Data.SEED);
        a = Data.int8(random, length);
        b = Data.int8(random, length);
        int expected = PortableTensorUtils.dotProduct(a, b, length);
        Checks.equal("qlanes dot", expected, TensorUtils.dotProduct(a, b, length));
        Checks.equal("Lucene dot", expected, VectorUtil.dotProduct(a, b));
    }

    @Benchmark
    public int reference() {
        return PortableTensorUtils.dotProduct(a, b, length);
    }

    @Benchmark
    public int qlanes() {
        return TensorUtils.dotProduct(a, b, length);
    }

    @Benchmark
    public int lucene() {
        return VectorUtil.dotProduct(a, b);
    }

    /** The operands in native memory for the C anchor; fails only this benchmark when no compiler is present. */
    @State(Scope.Benchmark)
    public static class NativeOperands {
        Arena arena;
        MemorySegment a;
        MemorySegment b;

        @Setup
        public void setUp(DotProductBenchmark d) {
            if (!NativeAnchor.available()) {
                throw new IllegalStateException("native anchor unavailable: " + NativeAnchor.unavailableReason());
            }
            arena = Arena.ofShared();
            a = arena.allocate(d.length, 64).copyFrom(MemorySegment.ofArray(d.a));
            b = arena.allocate(d.length, 64).copyFrom(MemorySegment.ofArray(d.b));
            Checks.equal("native anchor dot", PortableTensorUtils.dotProduct(d.a, d.b, d.length),
                    NativeAnchor.dot(a, b, d.length));
        }

        @TearDown
        public void tearDown() {
            arena.close();
        }
    }

    @Benchmark
    public int nativeAnchor(NativeOperands n) {
        return NativeAnchor.dot(n.a, n.b, length);
    }
}
