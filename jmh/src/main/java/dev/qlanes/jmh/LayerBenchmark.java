package dev.qlanes.jmh;

import dev.qlanes.HybridFullyConnected;
import dev.qlanes.PreparedWeights;
import dev.qlanes.QuantizedFullyConnected;
import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.ReferenceHybridFullyConnected;
import dev.qlanes.reference.ReferenceQuantizedFullyConnected;
import dev.qlanes.reference.Rounding;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
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
 * native memory and in a memory-mapped file, on 1 and 2 threads. Each fork sees one weight source only, so the
 * numbers show each source's own speed; outputs are checked against the reference twins in {@code @Setup}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 7, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class LayerBenchmark {

    public enum Source { HEAP, NATIVE, MAPPED }

    @Param({"1x1024x1024", "16x1024x1024", "1x4096x4096", "16x4096x4096"})
    String layerShape;

    @Param({"HEAP", "NATIVE", "MAPPED"})
    Source source;

    @Param({"1", "2"})
    int threads;

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
        SplittableRandom random = new SplittableRandom(Data.SEED);
        byte[] w = Data.weights(random, s.rows() * s.cols());
        float[] scales = Data.floats(random, s.rows(), 0.01);
        for (int i = 0; i < scales.length; i++) {
            scales[i] = Math.abs(scales[i]) + 1e-4f;
        }
        arena = Arena.ofShared();
        PreparedWeights weights = switch (source) {
            case HEAP -> PreparedWeights.perChannel(w, s.rows(), s.cols(), scales);
            case NATIVE -> PreparedWeights.perChannel(arena.allocate(w.length, 64)
                    .copyFrom(MemorySegment.ofArray(w)), s.rows(), s.cols(), scales);
            case MAPPED -> {
                file = Files.createTempFile("qlanes-weights", ".bin");
                Files.write(file, w);
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    yield PreparedWeights.perChannel(channel.map(FileChannel.MapMode.READ_ONLY, 0, w.length, arena),
                            s.rows(), s.cols(), scales);
                }
            }
        };
        executor = Executors.newFixedThreadPool(threads);
        float[] bias = Data.floats(random, s.rows(), 0.1);
        hybrid = HybridFullyConnected.builder(weights).bias(bias).asymmetricInputs(true)
                .activation(FusedActivation.NONE).parallelism(threads).executor(executor).build();
        quantized = QuantizedFullyConnected.builder(weights).input(0.05f, -3).output(0.5f, 2)
                .parallelism(threads).executor(executor).build();
        floatInput = Data.floats(random, s.batch() * s.cols(), 1.0);
        floatOutput = new float[s.batch() * s.rows()];
        int8Input = Data.int8(random, s.batch() * s.cols());
        int8Output = new byte[s.batch() * s.rows()];

        float[] expected = new float[floatOutput.length];
        ReferenceHybridFullyConnected.eval(floatInput, s.batch(), s.cols(), w, s.rows(), 0f, scales, bias, true,
                FusedActivation.NONE, expected);
        hybrid.eval(floatInput, s.batch(), floatOutput);
        Checks.sameBits("HybridFullyConnected " + source, expected, floatOutput);
        byte[] expectedInt8 = new byte[int8Output.length];
        ReferenceQuantizedFullyConnected.eval(int8Input, s.batch(), s.cols(), 0.05f, -3, w, s.rows(), 0f, scales,
                null, 0.5f, 2, FusedActivation.NONE, Rounding.DOUBLE_ROUNDING, expectedInt8);
        quantized.eval(int8Input, s.batch(), int8Output);
        Checks.equal("QuantizedFullyConnected " + source, expectedInt8, int8Output);
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
