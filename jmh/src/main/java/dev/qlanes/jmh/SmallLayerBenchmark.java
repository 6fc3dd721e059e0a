package dev.qlanes.jmh;

import dev.qlanes.HybridFullyConnected;
import dev.qlanes.PreparedWeights;
import dev.qlanes.QuantizedFullyConnected;
import dev.qlanes.internal.vector.ArrayDotLoops;
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

/**
 * Small layers at batch 1 (the shapes of MLPerf Tiny's ToyCar autoencoder: 640 → 128 → 128 → 8 → 128 → 640), where a
 * call's fixed costs weigh most: the hybrid and int8 layers (heap weights, one thread, as {@link LayerBenchmark})
 * beside {@link #dotProducts}, the exact int8 dot products of the same weights and a pre-widened activation row and
 * nothing else, which every call of either layer must do. A layer's time minus that floor is its per-call overhead:
 * input quantization (hybrid), widening, bias and requantization (or scaling), validation, workspace and dispatch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class SmallLayerBenchmark {

    // Fallback for a bare JMH command line: the registry's cases (kernel-cases.txt), BenchmarkParamsTest.
    @Param({"1x128x640", "1x128x128", "1x8x128", "1x128x8", "1x640x128"})
    String smallShape;

    private HybridFullyConnected hybrid;
    private QuantizedFullyConnected quantized;
    private float[] floatInput;
    private float[] floatOutput;
    private byte[] int8Input;
    private byte[] int8Output;
    private ArrayDotLoops loops;
    private short[] widened;
    private int[] dots;
    private int rows;

    @Setup
    public void setUp() {
        Shape s = Shape.parse(smallShape);
        LayerData data = new LayerData(s);
        PreparedWeights weights = PreparedWeights.perChannel(data.weights, s.rows(), s.cols(), data.scales);
        hybrid = LayerData.hybrid(weights, data.bias).build();
        quantized = LayerData.quantized(weights).build();
        floatInput = data.floatInput;
        floatOutput = new float[s.rows()];
        int8Input = data.int8Input;
        int8Output = new byte[s.rows()];
        rows = s.rows();
        loops = new ArrayDotLoops(data.weights, 0, s.rows(), s.cols());
        widened = new short[s.cols()];
        loops.widen(int8Input, 0, widened);
        dots = new int[s.rows()];

        hybrid.eval(floatInput, 1, floatOutput);
        Checks.sameBits("HybridFullyConnected " + s, data.expectedHybrid(), floatOutput);
        quantized.eval(int8Input, 1, int8Output);
        Checks.equal("QuantizedFullyConnected " + s, data.expectedQuantized(), int8Output);
        loops.dots(0, rows, widened, dots, 0);
        Checks.equal("dot products " + s, Checks.referenceDots(data.weights, s.rows(), s.cols(), int8Input, 1), dots);
    }

    @Benchmark
    public float[] hybridLayer() {
        hybrid.eval(floatInput, 1, floatOutput);
        return floatOutput;
    }

    @Benchmark
    public byte[] quantizedLayer() {
        quantized.eval(int8Input, 1, int8Output);
        return int8Output;
    }

    @Benchmark
    public int[] dotProducts() {
        loops.dots(0, rows, widened, dots, 0);
        return dots;
    }
}
