package dev.qlanes;

import static dev.qlanes.LayerFixtures.SEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.Requantization;
import dev.qlanes.reference.Rounding;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * Steady-state calls allocate nothing on the calling thread: arrays and segments, heap and native weights, one
 * task and several (with an executor that runs helpers inline, so that the chunk hand-off itself is measured
 * and not some pool's queue nodes). Measured with {@code com.sun.management.ThreadMXBean}; skipped where the
 * Vector API is not compiled to SIMD (a forced width beyond the hardware's, where vectors are boxed objects).
 */
class LayerAllocationTest {
    /** Runs helper tasks on the submitting thread: the multi-chunk path with no executor allocation. */
    private static final Executor INLINE = Runnable::run;
    /** One batch tile of four rows (the batch loops) and two rows on their own (the batch-1 loops). */
    private static final int BATCH = 6;

    @Test
    void steadyStateCallsAllocateNothing() {
        // Not run where a width wider than the hardware is forced (kernels/pom.xml excludes it from vector-512):
        // such vectors are emulated in Java and allocate by design.
        assertTrue(AllocationCounter.available(), "com.sun.management.ThreadMXBean is needed to count allocated bytes");
        SplittableRandom random = new SplittableRandom(SEED + 40);
        int units = 40;
        int inputSize = 72;
        byte[] w = LayerFixtures.weights(random, units * inputSize);
        float[] scales = LayerFixtures.scales(random, units);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment nativeWeights = arena.allocate(w.length).copyFrom(MemorySegment.ofArray(w));
            for (PreparedWeights weights : new PreparedWeights[] {PreparedWeights.perChannel(w, units, inputSize, scales),
                PreparedWeights.perTensor(nativeWeights, units, inputSize, 0.01f)}) {
                for (int parallelism : new int[] {1, 3}) {
                    HybridFullyConnected hybrid = HybridFullyConnected.builder(weights).asymmetricInputs(true)
                            .activation(FusedActivation.RELU6).parallelism(parallelism).executor(INLINE)
                            .parallelThreshold(1).expectedBatch(BATCH).build();
                    QuantizedFullyConnected quantized = QuantizedFullyConnected.builder(weights).input(0.02f, 5)
                            .output(0.1f, -3).rounding(Rounding.SINGLE_ROUNDING).parallelism(parallelism)
                            .executor(INLINE).parallelThreshold(1).expectedBatch(BATCH).build();
                    QuantizedFullyConnected doubleFloat = QuantizedFullyConnected.builder(weights).input(0.02f, 5)
                            .output(0.1f, -3).requantization(Requantization.DOUBLE_FLOAT).parallelism(parallelism)
                            .executor(INLINE).parallelThreshold(1).expectedBatch(BATCH).build();
                    float[] fin = LayerFixtures.floats(random, BATCH, inputSize);
                    fin[0] = 1.0f;
                    float[] fout = new float[BATCH * units];
                    byte[] bin = LayerFixtures.bytes(random, BATCH * inputSize);
                    byte[] bout = new byte[BATCH * units];
                    MemorySegment finSeg = arena.allocate(4L * fin.length).copyFrom(MemorySegment.ofArray(fin));
                    MemorySegment foutSeg = arena.allocate(4L * fout.length);
                    MemorySegment binSeg = arena.allocate(bin.length).copyFrom(MemorySegment.ofArray(bin));
                    MemorySegment boutSeg = MemorySegment.ofArray(new byte[bout.length]);
                    Runnable calls = () -> {
                        hybrid.eval(fin, BATCH, fout);
                        hybrid.eval(finSeg, BATCH, foutSeg);
                        quantized.eval(bin, BATCH, bout);
                        quantized.eval(binSeg, BATCH, boutSeg);
                        doubleFloat.eval(bin, BATCH, bout);
                        doubleFloat.eval(binSeg, BATCH, boutSeg);
                    };
                    AllocationCounter.Measurement m = AllocationCounter.steadyState(calls);
                    long allocated = m.bytes();
                    System.out.println("[LayerAllocationTest] " + weights + ", parallelism " + parallelism + ": "
                            + allocated + " bytes over " + 6 * m.calls() + " calls after " + m.rounds() + " rounds, "
                            + Kernels.info());
                    assertEquals(0, allocated, () -> "bytes allocated by " + 6 * m.calls() + " steady-state calls, "
                            + weights + ", parallelism " + parallelism + AllocationCounter.allocationSites(calls));
                }
            }
        }
    }

    /**
     * The same for int8 layers of a few units at batch 1, which take the kernels' single-row kernel where there is one
     * (four units fit it at every width, eight at 256 bits and up): arrays, and segments through the staging.
     */
    @Test
    void singleRowCallsAllocateNothing() {
        assertTrue(AllocationCounter.available(), "com.sun.management.ThreadMXBean is needed to count allocated bytes");
        SplittableRandom random = new SplittableRandom(SEED + 41);
        int inputSize = 128;
        for (int units : new int[] {4, 8}) {
            byte[] w = LayerFixtures.weights(random, units * inputSize);
            QuantizedFullyConnected layer = QuantizedFullyConnected.builder(
                    PreparedWeights.perChannel(w, units, inputSize, LayerFixtures.scales(random, units)))
                    .input(0.02f, 5).output(0.05f, -3).bias(LayerFixtures.intBias(random, units)).build();
            byte[] in = LayerFixtures.bytes(random, inputSize);
            byte[] out = new byte[units];
            MemorySegment inSeg = MemorySegment.ofArray(in.clone());
            MemorySegment outSeg = MemorySegment.ofArray(new byte[units]);
            Runnable calls = () -> {
                layer.eval(in, 1, out);
                layer.eval(inSeg, 1, outSeg);
            };
            AllocationCounter.Measurement m = AllocationCounter.steadyState(calls);
            assertEquals(0, m.bytes(), () -> "bytes allocated by " + 2 * m.calls() + " steady-state calls of " + layer
                    + (layer.takesSingleRowKernel() ? " (single-row kernel)" : "")
                    + AllocationCounter.allocationSites(calls));
        }
    }
}
