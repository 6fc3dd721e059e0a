package dev.qlanes.jmh;

import dev.qlanes.PreparedWeights;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What preparing weights costs: the row-sum pass over native weights (used in place) against the copy plus row-sum
 * pass over the same bytes memory-mapped from a file (copied into private native memory since docs/faults.md). The
 * file was just written, so its pages are in the page cache: this is the memory cost, not disk reads. Not in any
 * profile; run with {@code ./bench jmh PrepareBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 7, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class PrepareBenchmark {

    public enum Source { NATIVE, MAPPED }

    /** {@code 1xRxC}: the batch is unused. */
    @Param({"1x1024x1024", "1x4096x4096"})
    String layerShape;

    @Param({"NATIVE", "MAPPED"})
    Source source;

    private Arena arena;
    private Path file;
    private MemorySegment weights;
    private float[] scales;
    private int rows;
    private int cols;

    @Setup
    public void setUp() throws IOException {
        Shape s = Shape.parse(layerShape);
        rows = s.rows();
        cols = s.cols();
        byte[] w = new byte[rows * cols];
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < w.length; i++) {
            w[i] = (byte) random.nextInt(256);
        }
        scales = new float[rows];
        java.util.Arrays.fill(scales, 0.01f);
        arena = Arena.ofShared();
        weights = switch (source) {
            case NATIVE -> arena.allocate(w.length, 64).copyFrom(MemorySegment.ofArray(w));
            case MAPPED -> {
                file = Files.createTempFile("qlanes-weights", ".bin");
                Files.write(file, w);
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    yield channel.map(FileChannel.MapMode.READ_ONLY, 0, w.length, arena);
                }
            }
        };
        int[] expected = PreparedWeights.perChannel(w, rows, cols, scales).rowSums();
        Checks.equal("row sums " + source, expected, prepare().rowSums());
    }

    @TearDown
    public void tearDown() throws IOException {
        arena.close();
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    @Benchmark
    public PreparedWeights prepare() {
        return PreparedWeights.perChannel(weights, rows, cols, scales);
    }
}
