package dev.qlanes.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One model serving many runners on many threads, and runs that allocate nothing once warm. */
class RunnerSharingTest {
    /**
     * {@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes()} as {@code (Object) -> long}, looked up
     * reflectively (the module under test does not read {@code jdk.management}) and called without boxing.
     */
    private static final MethodHandle ALLOCATED_BYTES;
    /** How long a model may take to reach zero allocation per run: C2 must have compiled its kernels by then. */
    private static final long WARM_UP_LIMIT_NANOS = 90_000_000_000L;
    private static final Object THREADS = ManagementFactory.getThreadMXBean();

    static {
        try {
            ALLOCATED_BYTES = MethodHandles.publicLookup()
                    .findVirtual(Class.forName("com.sun.management.ThreadMXBean"), "getCurrentThreadAllocatedBytes",
                            MethodType.methodType(long.class))
                    .asType(MethodType.methodType(long.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static long allocatedBytes() throws Throwable {
        return (long) ALLOCATED_BYTES.invokeExact(THREADS);
    }

    @Test
    void runsAllocateNothingInSteadyState() throws Throwable {
        for (String name : RealModelRunTest.MODELS) {
            try (TfLiteModel m = TfLiteModel.open(RealModelRunTest.model(name))) {
                TfLiteRunner r = m.newRunner(4);
                Runners.fillRandom(new Random(3), r);
                // Steady state is C2's code: the interpreter and C1 box vectors and allocate for memory-segment
                // accesses that C2 scalar-replaces. Warm up in rounds until a window of runs allocates nothing, or
                // until the time limit (generous: on a loaded machine C2's queue drains slowly).
                long allocated = -1;
                long deadline = System.nanoTime() + WARM_UP_LIMIT_NANOS;
                while (allocated != 0 && System.nanoTime() < deadline) {
                    for (int i = 0; i < 2000; i++) {
                        r.run();
                    }
                    long before = allocatedBytes();
                    for (int i = 0; i < 200; i++) {
                        r.run();
                    }
                    allocated = allocatedBytes() - before;
                }
                assertEquals(0, allocated, name + ": 200 runs allocated " + allocated + " bytes");
            }
        }
    }

    @Test
    void oneModelServesRunnersOnManyThreads() throws Exception {
        int threads = 6;
        int rounds = 40;
        try (TfLiteModel m = TfLiteModel.open(RealModelRunTest.model("model_ToyCar_quant.tflite"));
                ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    TfLiteRunner fast = m.newRunner(1 + seed % 3);
                    TfLiteRunner reference = m.newReferenceRunner(1 + seed % 3);
                    Random random = new Random(seed);
                    for (int round = 0; round < rounds; round++) {
                        Runners.fillRandom(random, fast, reference);
                        fast.run();
                        reference.run();
                        Runners.assertSameOutputs(reference, fast, "thread " + seed + " round " + round);
                    }
                    return rounds;
                }));
            }
            int checked = 0;
            for (Future<Integer> f : results) {
                checked += f.get();
            }
            assertEquals(threads * rounds, checked);
        }
    }
}
