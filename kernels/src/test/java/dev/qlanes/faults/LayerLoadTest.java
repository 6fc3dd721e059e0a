package dev.qlanes.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qlanes.HybridFullyConnected;
import dev.qlanes.PreparedWeights;
import dev.qlanes.QuantizedFullyConnected;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A load generator on one shared hybrid and one shared full-integer layer: {@link #THREADS} callers, random batches,
 * for a bounded time ({@code -Dqlanes.test.loadSeconds}, default {@value #DEFAULT_SECONDS} s; minutes for a soak
 * run), both layers splitting their calls over one two-thread executor. Every result must equal the reference by
 * raw bits; afterwards no workspace may be missing from the pools (each layer creates at most one per concurrent
 * call, and all are idle again) and the executor must have exactly its two threads.
 */
class LayerLoadTest {
    private static final int THREADS = 8;
    private static final int DEFAULT_SECONDS = 6;
    /** Small enough for calls of a few microseconds once compiled, split into 2 to 15 chunks. */
    private static final int UNITS = 64;
    private static final int INPUT_SIZE = 160;
    /** Calls per layer on one thread before the load: Vector API code is slow until C2 has compiled it. */
    private static final int WARM_UP_CALLS = 500;
    private static final int MAX_BATCH = 6;
    /** Distinct inputs per batch size, their reference results computed once. */
    private static final int INPUTS = 4;

    @Test
    void sharedLayersStayExactAndLeakNothingUnderLoad() throws Exception {
        long seconds = Long.getLong("qlanes.test.loadSeconds", DEFAULT_SECONDS);
        Shapes shapes = Shapes.random(31, UNITS, INPUT_SIZE);
        float[][][] x = new float[MAX_BATCH + 1][INPUTS][];
        float[][][] hybridExpected = new float[MAX_BATCH + 1][INPUTS][];
        byte[][][] q = new byte[MAX_BATCH + 1][INPUTS][];
        byte[][][] quantizedExpected = new byte[MAX_BATCH + 1][INPUTS][];
        for (int b = 1; b <= MAX_BATCH; b++) {
            for (int i = 0; i < INPUTS; i++) {
                x[b][i] = Shapes.floats(100L * b + i, b * INPUT_SIZE);
                hybridExpected[b][i] = shapes.hybridReference(x[b][i], b);
                q[b][i] = Shapes.bytes(100L * b + i, b * INPUT_SIZE);
                quantizedExpected[b][i] = shapes.quantizedReference(q[b][i], b);
            }
        }
        AtomicInteger poolThreads = new AtomicInteger();
        ThreadPoolExecutor helpers = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    poolThreads.incrementAndGet();
                    Thread t = new Thread(r, "qlanes-load-helper");
                    t.setDaemon(true);
                    return t;
                });
        helpers.prestartAllCoreThreads();
        ExecutorService callers = Executors.newFixedThreadPool(THREADS);
        try {
            PreparedWeights w = shapes.prepared();
            // a pool slot per caller: no workspace is ever dropped, so each one created must be idle again at the end
            HybridFullyConnected hybrid = shapes.hybridBuilder(w, 3, helpers).maxConcurrentCalls(THREADS).build();
            QuantizedFullyConnected quantized = shapes.quantizedBuilder(w, 3, helpers).maxConcurrentCalls(THREADS)
                    .build();
            for (int k = 0; k < WARM_UP_CALLS; k++) {
                int b = 1 + k % MAX_BATCH;
                hybrid.eval(x[b][0], b, new float[b * UNITS]);
                quantized.eval(q[b][0], b, new byte[b * UNITS]);
            }
            AtomicInteger hybridCreated = Workspaces.countCreations(hybrid);
            AtomicInteger quantizedCreated = Workspaces.countCreations(quantized);
            int hybridIdle = Workspaces.idle(hybrid);
            int quantizedIdle = Workspaces.idle(quantized);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = t;
                results.add(callers.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    float[] y = new float[MAX_BATCH * UNITS];
                    byte[] z = new byte[MAX_BATCH * UNITS];
                    int calls = 0;
                    while (System.nanoTime() < deadline) {
                        int b = random.nextInt(1, MAX_BATCH + 1);
                        int i = random.nextInt(INPUTS);
                        hybrid.eval(x[b][i], b, y);
                        for (int k = 0; k < b * UNITS; k++) {
                            if (Float.floatToRawIntBits(y[k]) != Float.floatToRawIntBits(hybridExpected[b][i][k])) {
                                throw new AssertionError("hybrid batch " + b + " input " + i + " differs at " + k
                                        + " after " + calls + " calls: " + y[k] + " vs " + hybridExpected[b][i][k]);
                            }
                        }
                        quantized.eval(q[b][i], b, z);
                        for (int k = 0; k < b * UNITS; k++) {
                            if (z[k] != quantizedExpected[b][i][k]) {
                                throw new AssertionError("full-integer batch " + b + " input " + i + " differs at " + k
                                        + " after " + calls + " calls: " + z[k] + " vs " + quantizedExpected[b][i][k]);
                            }
                        }
                        calls += 2;
                    }
                    return calls;
                }));
            }
            int calls = 0;
            for (Future<Integer> f : results) {
                calls += f.get(seconds + 60, TimeUnit.SECONDS);
            }
            assertTrue(calls >= 2 * THREADS, "every caller made calls: " + calls);
            // one workspace per concurrent caller at most, and every one of them back in its pool
            assertTrue(hybridCreated.get() >= 1 && hybridCreated.get() <= THREADS,
                    "hybrid workspaces created: " + hybridCreated);
            assertTrue(quantizedCreated.get() >= 1 && quantizedCreated.get() <= THREADS,
                    "integer workspaces created: " + quantizedCreated);
            assertEquals(hybridIdle + hybridCreated.get(), Workspaces.idle(hybrid), "idle hybrid workspaces");
            assertEquals(quantizedIdle + quantizedCreated.get(), Workspaces.idle(quantized), "idle integer workspaces");
            assertEquals(2, helpers.getPoolSize(), "executor threads after " + calls + " calls");
            assertEquals(2, poolThreads.get(), "executor threads ever created");
            System.out.printf("load: %d calls in %d s on %d threads; workspaces created %d + %d%n", calls, seconds,
                    THREADS, hybridCreated.get(), quantizedCreated.get());
        } finally {
            callers.shutdownNow();
            helpers.shutdownNow();
        }
        assertTrue(callers.awaitTermination(10, TimeUnit.SECONDS), "callers terminated");
        assertTrue(helpers.awaitTermination(10, TimeUnit.SECONDS), "helpers terminated");
    }
}
