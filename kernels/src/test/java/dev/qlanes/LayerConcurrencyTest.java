package dev.qlanes;

import static dev.qlanes.LayerFixtures.SEED;
import static dev.qlanes.LayerFixtures.SMALL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.qlanes.LayerFixtures.HybridCase;
import dev.qlanes.LayerFixtures.Memory;
import dev.qlanes.LayerFixtures.QuantizedCase;
import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.Rounding;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many threads share one layer object at once (and its pooled workspaces, fewer than the threads, so that some
 * calls run on freshly created ones); layers with parallelism 4 also share one executor, whose worker threads
 * thus serve several callers. Every result is compared with the reference twin, computed on the calling thread.
 */
class LayerConcurrencyTest {
    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = SMALL ? 15 : 100;

    @Test
    void sharedLayersGiveReferenceResultsUnderContention() throws Exception {
        SplittableRandom setup = new SplittableRandom(SEED + 10);
        int units = 37;
        int inputSize = 70;
        byte[] w = LayerFixtures.weights(setup, units * inputSize);
        float[] scales = LayerFixtures.scales(setup, units);
        float[] bias = LayerFixtures.bias(setup, units);
        int[] intBias = LayerFixtures.intBias(setup, units);
        try (Arena weightsArena = Arena.ofShared()) {
            MemorySegment nativeWeights = weightsArena.allocate(w.length).copyFrom(MemorySegment.ofArray(w));
            PreparedWeights heap = PreparedWeights.perChannel(w, units, inputSize, scales);
            PreparedWeights offHeap = PreparedWeights.perTensor(nativeWeights, units, inputSize, 0.01f);
            HybridFullyConnected hybridSerial = HybridFullyConnected.builder(heap).bias(bias).asymmetricInputs(true)
                    .activation(FusedActivation.RELU_N1_TO_1).maxConcurrentCalls(3).build();
            HybridFullyConnected hybridParallel = HybridFullyConnected.builder(offHeap).bias(bias)
                    .activation(FusedActivation.RELU).parallelism(4).executor(LayerFixtures.POOL).parallelThreshold(1)
                    .maxConcurrentCalls(3).build();
            QuantizedFullyConnected quantized = QuantizedFullyConnected.builder(offHeap).input(0.02f, -3)
                    .output(0.05f, 7).bias(intBias).activation(FusedActivation.RELU6).parallelism(4)
                    .executor(LayerFixtures.POOL).parallelThreshold(1).maxConcurrentCalls(3).build();

            ExecutorService callers = Executors.newFixedThreadPool(THREADS, LayerFixtures.daemon("qlanes-test-caller"));
            CountDownLatch start = new CountDownLatch(1);
            AtomicLong compared = new AtomicLong();
            List<Future<?>> futures = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int t = 0; t < THREADS; t++) {
                long seed = SEED + 100 + t;
                futures.add(callers.submit(() -> {
                    start.await();
                    SplittableRandom random = new SplittableRandom(seed);
                    try (Arena arena = Arena.ofConfined()) {
                        for (int i = 0; i < CALLS_PER_THREAD; i++) {
                            int batch = 1 + random.nextInt(4);
                            Memory memory = Memory.values()[random.nextInt(3)];
                            switch (i % 3) {
                                case 0 -> {
                                    HybridCase c = new HybridCase(batch, units, inputSize, w, 0, scales, bias, true,
                                            FusedActivation.RELU_N1_TO_1, LayerFixtures.floats(random, batch, inputSize));
                                    check(c.expected(), c.run(hybridSerial, memory, arena), "serial hybrid");
                                }
                                case 1 -> {
                                    HybridCase c = new HybridCase(batch, units, inputSize, w, 0.01f, null, bias, false,
                                            FusedActivation.RELU, LayerFixtures.floats(random, batch, inputSize));
                                    check(c.expected(), c.run(hybridParallel, memory, arena), "parallel hybrid");
                                }
                                default -> {
                                    QuantizedCase c = new QuantizedCase(batch, units, inputSize, w, 0.02f, -3, 0.01f,
                                            null, intBias, 0.05f, 7, FusedActivation.RELU6, Rounding.DOUBLE_ROUNDING,
                                            LayerFixtures.bytes(random, batch * inputSize));
                                    byte[] expected = c.expected();
                                    byte[] actual = c.run(quantized, memory, arena);
                                    if (!Arrays.equals(expected, actual)) {
                                        fail("quantized: " + Arrays.toString(expected) + " != " + Arrays.toString(actual));
                                    }
                                }
                            }
                            compared.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
            callers.shutdown();
            assertTrue(callers.awaitTermination(10, TimeUnit.SECONDS));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals((long) THREADS * CALLS_PER_THREAD, compared.get());
            System.out.println("[LayerConcurrencyTest] " + THREADS + " threads x " + CALLS_PER_THREAD
                    + " calls on 3 shared layers (2 with parallelism 4 on one 4-thread executor): " + compared.get()
                    + " results equal to the reference, " + ms + " ms, " + Kernels.info());
        }
    }

    private static void check(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": element " + i + " expected " + expected[i] + " got " + actual[i]);
            }
        }
    }
}
