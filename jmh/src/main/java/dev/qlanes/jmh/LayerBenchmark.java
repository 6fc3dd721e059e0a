package dev.qlanes.jmh;

import dev.qlanes.HybridFullyConnected;
import dev.qlanes.PreparedWeights;
import dev.qlanes.QuantizedFullyConnected;
import dev.qlanes.reference.Requantization;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * The layer API ({@code HybridFullyConnected}, {@code QuantizedFullyConnected}) with weights on the heap, in
 * native memory and in a memory-mapped file, on 1 and 2 threads. Mapped weights are copied into private native memory
 * when prepared (docs/faults.md), so MAPPED runs the native kernel on that copy: it shows the copy costs nothing per
 * call. Each fork sees one weight source only, so the
 * numbers show each source's own speed; outputs are checked against the reference twins in {@code @Setup}.
 * {@code requantization} selects the int8 layer's {@link Requantization} (only the default is in the sweep; compare
 * with {@code -p requantization=FIXED_POINT_DOUBLE_ROUNDING,DOUBLE_FLOAT}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 7, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class LayerBenchmark {

    public enum Source { HEAP, NATIVE, MAPPED }

    // Fallback for a bare JMH command line: the registry's cases (kernel-cases.txt), BenchmarkParamsTest.
    @Param({"1x1024x1024", "16x1024x1024", "1x4096x4096", "16x4096x4096"})
    String layerShape;

    @Param({"HEAP", "NATIVE", "MAPPED"})
    Source source;

    @Param({"1", "2"})
    int threads;

    @Param({"FIXED_POINT_DOUBLE_ROUNDING"})
    Requantization requantization;

    private Arena arena;
    private Path file;
    private ExecutorService executor;
    private HybridFullyConnected hybrid;
    private QuantizedFullyConnected quantized;
    private float[] floatInput;
    private float[] floatOutput;
    private byte[] int8Input;
    private byte[] int8Output;

    @Setup
    public void setUp() throws IOException {
        Shape s = Shape.parse(layerShape);
        LayerData data = new LayerData(s);
        byte[] w = data.weights;
        arena = Arena.ofShared();
        PreparedWeights weights = switch (source) {
            case HEAP -> PreparedWeights.perChannel(w, s.rows(), s.cols(), data.scales);
            case NATIVE -> PreparedWeights.perChannel(arena.allocate(w.length, 64)
                    .copyFrom(MemorySegment.ofArray(w)), s.rows(), s.cols(), data.scales);
            case MAPPED -> {
                file = Files.createTempFile("qlanes-weights", ".bin");
                Files.write(file, w);
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    yield PreparedWeights.perChannel(channel.map(FileChannel.MapMode.READ_ONLY, 0, w.length, arena),
                            s.rows(), s.cols(), data.scales);
                }
            }
        };
        executor = Executors.newFixedThreadPool(threads);
        hybrid = LayerData.hybrid(weights, data.bias).parallelism(threads).executor(executor).build();
        quantized = LayerData.quantized(weights).requantization(requantization).parallelism(threads).executor(executor)
                .build();
        floatInput = data.floatInput;
        floatOutput = new float[s.batch() * s.rows()];
        int8Input = data.int8Input;
        int8Output = new byte[s.batch() * s.rows()];

        hybrid.eval(floatInput, s.batch(), floatOutput);
        Checks.sameBits("HybridFullyConnected " + source, data.expectedHybrid(), floatOutput);
        quantized.eval(int8Input, s.batch(), int8Output);
        Checks.equal("QuantizedFullyConnected " + source + " " + requantization,
                data.expectedQuantized(requantization), int8Output);
    }

    @TearDown
    public void tearDown() throws IOException {
        executor.shutdownNow();
        arena.close();
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    @Benchmark
    public float[] hybridLayer() {
        hybrid.eval(floatInput, floatInput.length / hybrid.inputSize(), floatOutput);
        return floatOutput;
    }

    @Benchmark
    public byte[] quantizedLayer() {
        quantized.eval(int8Input, int8Input.length / quantized.inputSize(), int8Output);
        return int8Output;
    }
}
