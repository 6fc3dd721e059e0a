package dev.qlanes;

import static dev.qlanes.LayerFixtures.SEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.Requantization;
import dev.qlanes.reference.Rounding;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
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
    private static final int WARMUP = 1_000;
    private static final int MEASURED = 200;
    private static final int MAX_ROUNDS = 40;
    /** Runs helper tasks on the submitting thread: the multi-chunk path with no executor allocation. */
    private static final Executor INLINE = Runnable::run;

    /**
     * {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes(long)} as {@code (Object, long) -> long}: looked
     * up reflectively (the test module does not read {@code jdk.management}) and called without boxing, so that
     * reading the counter allocates nothing itself.
     */
    private static final MethodHandle ALLOCATED_BYTES = allocatedBytesHandle();
    private static final Object THREADS = ManagementFactory.getThreadMXBean();

    private static MethodHandle allocatedBytesHandle() {
        try {
            Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
            return MethodHandles.publicLookup().findVirtual(type, "getThreadAllocatedBytes",
                    MethodType.methodType(long.class, long.class)).asType(
                            MethodType.methodType(long.class, Object.class, long.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static long allocatedBytes(long threadId) {
        try {
            return (long) ALLOCATED_BYTES.invokeExact(THREADS, threadId);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Test
    void steadyStateCallsAllocateNothing() {
        // Not run where a width wider than the hardware is forced (kernels/pom.xml excludes it from vector-512):
        // such vectors are emulated in Java and allocate by design.
        assertNotNull(ALLOCATED_BYTES, "com.sun.management.ThreadMXBean is needed to count allocated bytes");
        boolean interpreted = System.getProperty("java.vm.info", "").contains("interpreted");
        int warmup = interpreted ? 1 : WARMUP;
        int measured = interpreted ? 10 : MEASURED;
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
                            .parallelThreshold(1).expectedBatch(3).build();
                    QuantizedFullyConnected quantized = QuantizedFullyConnected.builder(weights).input(0.02f, 5)
                            .output(0.1f, -3).rounding(Rounding.SINGLE_ROUNDING).parallelism(parallelism)
                            .executor(INLINE).parallelThreshold(1).expectedBatch(3).build();
                    QuantizedFullyConnected doubleFloat = QuantizedFullyConnected.builder(weights).input(0.02f, 5)
                            .output(0.1f, -3).requantization(Requantization.DOUBLE_FLOAT).parallelism(parallelism)
                            .executor(INLINE).parallelThreshold(1).expectedBatch(3).build();
                    float[] fin = LayerFixtures.floats(random, 3, inputSize);
                    fin[0] = 1.0f;
                    float[] fout = new float[3 * units];
                    byte[] bin = LayerFixtures.bytes(random, 3 * inputSize);
                    byte[] bout = new byte[3 * units];
                    MemorySegment finSeg = arena.allocate(4L * fin.length).copyFrom(MemorySegment.ofArray(fin));
                    MemorySegment foutSeg = arena.allocate(4L * fout.length);
                    MemorySegment binSeg = arena.allocate(bin.length).copyFrom(MemorySegment.ofArray(bin));
                    MemorySegment boutSeg = MemorySegment.ofArray(new byte[bout.length]);
                    Runnable calls = () -> {
                        hybrid.eval(fin, 3, fout);
                        hybrid.eval(finSeg, 3, foutSeg);
                        quantized.eval(bin, 3, bout);
                        quantized.eval(binSeg, 3, boutSeg);
                        doubleFloat.eval(bin, 3, bout);
                        doubleFloat.eval(binSeg, 3, boutSeg);
                    };
                    // Steady state is reached when C2 has compiled everything (in the background, on a busy machine
                    // possibly late): warm up, then measure rounds until one allocates nothing.
                    long id = Thread.currentThread().threadId();
                    long allocated = -1;
                    int round = 0;
                    for (; round < MAX_ROUNDS && allocated != 0; round++) {
                        for (int i = 0; i < warmup; i++) {
                            calls.run();
                        }
                        long before = allocatedBytes(id);
                        for (int i = 0; i < measured; i++) {
                            calls.run();
                        }
                        allocated = allocatedBytes(id) - before;
                    }
                    System.out.println("[LayerAllocationTest] " + weights + ", parallelism " + parallelism + ": "
                            + allocated + " bytes over " + 6 * measured + " calls after " + round + " rounds, "
                            + Kernels.info());
                    assertEquals(0, allocated, "bytes allocated by " + 6 * measured + " steady-state calls, "
                            + weights + ", parallelism " + parallelism);
                }
            }
        }
    }
}
