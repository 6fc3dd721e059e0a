package dev.qlanes.jmh;

import dev.qlanes.TensorUtils;
import dev.qlanes.reference.PortableTensorUtils;
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

/** int8 dot product: the qlanes facade against the scalar reference, checked equal before timing. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DotProductBenchmark {

    @Param({"1024", "4096"})
    int length;

    byte[] a;
    byte[] b;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        a = new byte[length];
        b = new byte[length];
        for (int i = 0; i < length; i++) {
            a[i] = (byte) random.nextInt(256);
            b[i] = (byte) random.nextInt(256);
        }
        if (TensorUtils.dotProduct(a, b, length) != PortableTensorUtils.dotProduct(a, b, length)) {
            throw new IllegalStateException("TensorUtils.dotProduct differs from the reference");
        }
    }

    @Benchmark
    public int reference() {
        return PortableTensorUtils.dotProduct(a, b, length);
    }

    @Benchmark
    public int qlanes() {
        return TensorUtils.dotProduct(a, b, length);
    }
}
