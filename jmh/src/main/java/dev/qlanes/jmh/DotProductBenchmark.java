package dev.qlanes.jmh;

import dev.qlanes.TensorUtils;
import dev.qlanes.reference.PortableTensorUtils;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * int8 dot product: qlanes (dispatching facade), the scalar reference, and Lucene's
 * {@code VectorUtil.dotProduct(byte[], byte[])} (Panama path), in the same run. Every implementation's
 * result is checked against the reference in {@code @Setup}. One multiply-add per element.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DotProductBenchmark {

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
}
