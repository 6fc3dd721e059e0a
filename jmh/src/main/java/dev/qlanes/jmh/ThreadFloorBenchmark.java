package dev.qlanes.jmh;

import dev.qlanes.HybridFullyConnected;
import dev.qlanes.PreparedWeights;
import dev.qlanes.QuantizedFullyConnected;
import java.util.Arrays;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Floors for a layer on two threads, with no executor and no dynamic split: the layer cut in two by rows
 * ahead of time, each half a one-thread layer of its own. Run in the same JMH invocation as {@link LayerBenchmark},
 * with the same {@code layerShape}; weights on the heap.
 * <ul>
 *   <li>{@code *HalvesInStep}: the benchmark thread evaluates one half while a partner thread, spinning for the
 *       call, evaluates the other, and the call returns when both are done. This is a two-thread call with the
 *       cheapest possible hand-off; a layer's two-thread call does this work plus claiming chunks, so the speedup
 *       it can reach on this machine is about {@link LayerBenchmark}'s one-thread time divided by this one.
 *   <li>{@code *HalvesApart}: two JMH threads each evaluate their own half back to back, never waiting for each
 *       other (the time per operation is the time for both halves). A thread that stalls delays only its own
 *       half, so this is a looser floor: compute and memory alone.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 7, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class ThreadFloorBenchmark {

    /**
     * The two halves of a {@link LayerBenchmark} layer, built from the same data, with an output each; checked in
     * {@code @Setup} against the reference twins of the whole layer.
     */
    @State(Scope.Benchmark)
    public static class Halves {
        // Fallback for a bare JMH command line: the registry's cases (kernel-cases.txt), BenchmarkParamsTest.
        @Param({"1x4096x4096"})
        String layerShape;

        final HybridFullyConnected[] hybrid = new HybridFullyConnected[2];
        final QuantizedFullyConnected[] quantized = new QuantizedFullyConnected[2];
        final float[][] floatOutput = new float[2][];
        final byte[][] int8Output = new byte[2][];
        private final float[][] expectedFloat = new float[2][];
        private final byte[][] expectedInt8 = new byte[2][];
        private LayerData data;

        @Setup
        public void setUp() {
            Shape s = Shape.parse(layerShape);
            if (s.rows() % 2 != 0) {
                throw new IllegalArgumentException("layerShape = " + layerShape + ", expected an even row count");
            }
            data = new LayerData(s);
            float[] wholeFloat = data.expectedHybrid();
            byte[] wholeInt8 = data.expectedQuantized();
            int half = s.rows() / 2;
            for (int h = 0; h < 2; h++) {
                int r0 = h * half;
                int r1 = r0 + half;
                PreparedWeights weights = PreparedWeights.perChannel(Arrays.copyOfRange(data.weights, r0 * s.cols(),
                        r1 * s.cols()), half, s.cols(), Arrays.copyOfRange(data.scales, r0, r1));
                hybrid[h] = LayerData.hybrid(weights, Arrays.copyOfRange(data.bias, r0, r1)).parallelism(1).build();
                quantized[h] = LayerData.quantized(weights).parallelism(1).build();
                floatOutput[h] = new float[s.batch() * half];
                int8Output[h] = new byte[s.batch() * half];
                expectedFloat[h] = new float[s.batch() * half];
                expectedInt8[h] = new byte[s.batch() * half];
                halfOf(wholeFloat, h, s.batch(), half, expectedFloat[h]);
                halfOf(wholeInt8, h, s.batch(), half, expectedInt8[h]);
                hybridHalf(h);
                quantizedHalf(h);
            }
            check();
        }

        /** The halves' outputs as they stand must be the whole layer's, row for row. */
        void check() {
            for (int h = 0; h < 2; h++) {
                Checks.sameBits("HybridFullyConnected half " + h, expectedFloat[h], floatOutput[h]);
                Checks.equal("QuantizedFullyConnected half " + h, expectedInt8[h], int8Output[h]);
            }
        }

        /** Rows {@code [h·half, (h+1)·half)} of every batch row of a {@code [batch × 2·half]} output. */
        private static void halfOf(Object whole, int h, int batch, int half, Object part) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(whole, (b * 2 + h) * half, part, b * half, half);
            }
        }

        float[] hybridHalf(int h) {
            hybrid[h].eval(data.floatInput, data.shape.batch(), floatOutput[h]);
            return floatOutput[h];
        }

        byte[] quantizedHalf(int h) {
            quantized[h].eval(data.int8Input, data.shape.batch(), int8Output[h]);
            return int8Output[h];
        }
    }

    /** A thread that spins for calls and evaluates half 1 of each, the way an ideal layer helper would. */
    @State(Scope.Benchmark)
    public static class Partner {
        private volatile long posted;
        private volatile long done;
        private boolean hybridCall; // written before, and read after, the volatile posted
        private volatile boolean stop;
        private Thread thread;

        @Setup
        public void start(Halves layers) {
            thread = new Thread(() -> spin(layers), "qlanes-partner");
            thread.setDaemon(true);
            thread.start();
        }

        @TearDown
        public void stop() throws InterruptedException {
            stop = true;
            thread.join();
        }

        private void spin(Halves layers) {
            long seen = 0;
            while (!stop) {
                long call = posted;
                if (call == seen) {
                    Thread.onSpinWait();
                    continue;
                }
                seen = call;
                if (hybridCall) {
                    layers.hybridHalf(1);
                } else {
                    layers.quantizedHalf(1);
                }
                done = call;
            }
        }

        /** Posts a call: the partner starts on half 1. */
        long post(boolean hybrid) {
            hybridCall = hybrid;
            long call = posted + 1;
            posted = call;
            return call;
        }

        /** Waits, spinning, until the partner has finished {@code call}. */
        void await(long call) {
            while (done != call) {
                Thread.onSpinWait();
            }
        }
    }

    @Benchmark
    @Threads(1)
    public float[] hybridHalvesInStep(Halves layers, Partner partner) {
        long call = partner.post(true);
        float[] out = layers.hybridHalf(0);
        partner.await(call);
        return out;
    }

    @Benchmark
    @Threads(1)
    public byte[] quantizedHalvesInStep(Halves layers, Partner partner) {
        long call = partner.post(false);
        byte[] out = layers.quantizedHalf(0);
        partner.await(call);
        return out;
    }

    @Benchmark
    @Threads(2)
    public float[] hybridHalvesApart(Halves layers, ThreadParams thread) {
        return layers.hybridHalf(thread.getThreadIndex());
    }

    @Benchmark
    @Threads(2)
    public byte[] quantizedHalvesApart(Halves layers, ThreadParams thread) {
        return layers.quantizedHalf(thread.getThreadIndex());
    }
}
