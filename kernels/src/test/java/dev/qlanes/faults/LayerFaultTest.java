package dev.qlanes.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qlanes.HybridFullyConnected;
import dev.qlanes.PreparedWeights;
import dev.qlanes.QuantizedFullyConnected;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a caller sees when the world changes under a layer call, in this JVM: the weights' shared arena closed by
 * another thread, the executor shut down, saturated or never running its tasks, the calling thread interrupted.
 * Every call either computes the reference result (compared by raw bits) or throws the documented exception.
 */
class LayerFaultTest {

    /**
     * JUnit runs these tests on one thread, and the interrupt test interrupts it thousands of times: under load an
     * interrupt was still pending when the next test began (its {@code join} threw twice in CI), so each test starts
     * with the flag clear. The interrupt test itself checks what a call does with a pending interrupt.
     */
    @BeforeEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    /**
     * Waits for {@code t} to end whatever interrupts arrive meanwhile: this test is about closed arenas, and an interrupt
     * pending on JUnit's thread (seen once in four CI runs, source not found in qlanes, which never interrupts a
     * caller) must not fail it. The interrupt tests check interrupts.
     */
    private static void joinUninterruptibly(Thread t) {
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                // keep waiting: see above
            }
        }
    }

    private static final int UNITS = 256;
    private static final int INPUT_SIZE = 1024;
    private static final int BATCH = 3;
    private static final Shapes SHAPES = Shapes.random(11, UNITS, INPUT_SIZE);
    private static final float[] X = Shapes.floats(12, BATCH * INPUT_SIZE);
    private static final byte[] Q = Shapes.bytes(13, BATCH * INPUT_SIZE);
    private static final float[] HYBRID = SHAPES.hybridReference(X, BATCH);
    private static final byte[] QUANTIZED = SHAPES.quantizedReference(Q, BATCH);
    private static final ExecutorService POOL = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "qlanes-fault-test");
        t.setDaemon(true);
        return t;
    });

    @AfterAll
    static void shutDown() {
        POOL.shutdownNow();
    }

    private static void assertHybrid(HybridFullyConnected layer, String context) {
        float[] y = new float[BATCH * UNITS];
        layer.eval(X, BATCH, y);
        assertEquals(-1, Shapes.firstDifference(HYBRID, y), context);
    }

    private static void assertQuantized(QuantizedFullyConnected layer, String context) {
        byte[] z = new byte[BATCH * UNITS];
        layer.eval(Q, BATCH, z);
        assertEquals(-1, Shapes.firstDifference(QUANTIZED, z), context);
    }

    /**
     * Weights in a shared arena that another thread closes as the call starts its helpers: the call throws
     * {@link IllegalStateException} (the JDK's check at the access), a segment output is untouched, later calls
     * throw at once, and the executor's threads are free: another layer on them computes the reference.
     */
    @Test
    void weightsClosedDuringACallThrowIllegalStateException() throws Exception {
        for (boolean segmentOutput : new boolean[] {false, true}) {
            Arena arena = Arena.ofShared();
            MemorySegment native_ = arena.allocate(SHAPES.weights().length).copyFrom(
                    MemorySegment.ofArray(SHAPES.weights()));
            PreparedWeights weights = PreparedWeights.perChannel(native_, UNITS, INPUT_SIZE, SHAPES.scales());
            AtomicBoolean closed = new AtomicBoolean();
            // closes the arena from another thread when the call submits its first helper, then lets the helper run
            HybridFullyConnected layer = SHAPES.hybrid(weights, 4, task -> {
                if (closed.compareAndSet(false, true)) {
                    Thread closer = Thread.ofPlatform().start(arena::close);
                    try {
                        closer.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                POOL.execute(task);
            });
            if (segmentOutput) {
                try (Arena io = Arena.ofConfined()) {
                    MemorySegment in = io.allocate((long) X.length * Float.BYTES);
                    MemorySegment.copy(X, 0, in, ValueLayout.JAVA_FLOAT, 0, X.length);
                    MemorySegment out = io.allocate((long) BATCH * UNITS * Float.BYTES);
                    out.fill((byte) 0x11);
                    IllegalStateException e = assertThrows(IllegalStateException.class,
                            () -> layer.eval(in, BATCH, out));
                    assertTrue(String.valueOf(e.getMessage()).contains("closed"), e::toString);
                    byte[] expected = new byte[(int) out.byteSize()];
                    Arrays.fill(expected, (byte) 0x11);
                    assertArrayEquals(expected, out.toArray(ValueLayout.JAVA_BYTE), "segment output untouched");
                }
            } else {
                assertThrows(IllegalStateException.class, () -> layer.eval(X, BATCH, new float[BATCH * UNITS]));
            }
            assertTrue(closed.get());
            assertThrows(IllegalStateException.class, () -> layer.eval(X, BATCH, new float[BATCH * UNITS]));
            assertHybrid(SHAPES.hybrid(SHAPES.prepared(), 4, POOL), "another layer on the same executor");
        }
    }

    /**
     * Another thread closes the weights' arena at a random point of a stream of parallel calls: each call either
     * computes the reference result or throws {@link IllegalStateException}; never anything else.
     */
    @Test
    void weightsClosedAtARandomPointGiveReferenceResultsOrIllegalStateException() throws Exception {
        for (int round = 0; round < 3; round++) {
            Arena arena = Arena.ofShared();
            MemorySegment w = arena.allocate(SHAPES.weights().length).copyFrom(MemorySegment.ofArray(SHAPES.weights()));
            HybridFullyConnected layer = SHAPES.hybrid(PreparedWeights.perChannel(w, UNITS, INPUT_SIZE,
                    SHAPES.scales()), 4, POOL);
            assertHybrid(layer, "before closing");
            Thread closer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(5 + 10L * Math.floorMod(Thread.currentThread().threadId(), 3));
                } catch (InterruptedException e) {
                    return;
                }
                arena.close();
            });
            int completed = 0;
            float[] y = new float[BATCH * UNITS];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                try {
                    layer.eval(X, BATCH, y);
                } catch (IllegalStateException e) {
                    break;
                }
                assertEquals(-1, Shapes.firstDifference(HYBRID, y), "call " + completed + " before the close");
                completed++;
            }
            joinUninterruptibly(closer);
            assertTrue(!arena.scope().isAlive(), "the arena was closed, and the calls noticed within 30 s");
        }
        assertHybrid(SHAPES.hybrid(SHAPES.prepared(), 4, POOL), "the executor after the closes");
    }

    /** An executor shut down (it rejects the helpers): the caller computes every chunk. */
    @Test
    void aShutDownExecutorCostsSpeedNotCorrectness() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        PreparedWeights w = SHAPES.prepared();
        HybridFullyConnected hybrid = SHAPES.hybrid(w, 4, pool);
        QuantizedFullyConnected quantized = SHAPES.quantized(w, 4, pool);
        assertHybrid(hybrid, "running executor");
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertHybrid(hybrid, "shut-down executor");
        assertQuantized(quantized, "shut-down executor");
    }

    /**
     * Shut down from another thread while calls run: calls in flight finish with their helpers or without them
     * (shutdownNow also interrupts the helpers mid-chunk), and every result is the reference.
     */
    @Test
    void anExecutorShutDownDuringCallsCostsSpeedNotCorrectness() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        HybridFullyConnected layer = SHAPES.hybrid(SHAPES.prepared(), 4, pool);
        Thread stopper = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
            pool.shutdownNow();
        });
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        int calls = 0;
        while (System.nanoTime() < deadline || !pool.isShutdown()) {
            assertHybrid(layer, "call " + calls);
            calls++;
        }
        stopper.join();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertHybrid(layer, "after termination");
    }

    /**
     * A saturated executor that rejects (one busy thread, no queue) and one that queues tasks it will not run for a
     * long time: the caller takes over the unstarted chunks and returns; the late helpers find nothing to do.
     */
    @Test
    void aSaturatedExecutorCostsSpeedNotCorrectness() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ThreadPoolExecutor rejecting = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new SynchronousQueue<>());
        ExecutorService queueing = Executors.newSingleThreadExecutor();
        try {
            Runnable block = () -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            rejecting.execute(block);
            queueing.execute(block);
            PreparedWeights w = SHAPES.prepared();
            for (ExecutorService busy : new ExecutorService[] {rejecting, queueing}) {
                assertHybrid(SHAPES.hybrid(w, 4, busy), "busy " + busy);
                assertQuantized(SHAPES.quantized(w, 4, busy), "busy " + busy);
            }
            release.countDown(); // the queued helpers run now, late, and must find nothing to claim
            HybridFullyConnected after = SHAPES.hybrid(w, 4, queueing);
            for (int i = 0; i < 20; i++) {
                assertHybrid(after, "after the queue drained, call " + i);
            }
        } finally {
            release.countDown();
            rejecting.shutdownNow();
            queueing.shutdownNow();
        }
    }

    /**
     * An interrupted caller: the call completes with the reference result (it does not poll the interrupt), and an
     * interrupt set before the call is still set afterwards; interrupts arriving all through calls (while the caller
     * spins or parks for its helpers) change no result either.
     */
    @Test
    void interruptsAreKeptAndDoNotChangeResults() throws Exception {
        PreparedWeights w = SHAPES.prepared();
        HybridFullyConnected hybrid = SHAPES.hybrid(w, 4, POOL);
        QuantizedFullyConnected quantized = SHAPES.quantized(w, 4, POOL);
        Thread.currentThread().interrupt();
        try {
            assertHybrid(hybrid, "interrupted before the call");
            assertTrue(Thread.currentThread().isInterrupted(), "the flag survives a parallel hybrid call");
            assertQuantized(quantized, "interrupted before the call");
            assertTrue(Thread.currentThread().isInterrupted(), "the flag survives a parallel integer call");
        } finally {
            Thread.interrupted();
        }
        Thread caller = Thread.currentThread();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger interrupts = new AtomicInteger();
        Thread interrupter = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                caller.interrupt();
                interrupts.incrementAndGet();
                Thread.onSpinWait();
            }
        });
        try {
            for (int i = 0; i < 50; i++) {
                assertHybrid(hybrid, "interrupted during call " + i);
                assertQuantized(quantized, "interrupted during call " + i);
            }
        } finally {
            stop.set(true);
            // the interrupter may land one more interrupt after any check: join until it has ended, then clear, so
            // that no interrupt leaks into the next test on this thread
            while (interrupter.isAlive()) {
                try {
                    interrupter.join();
                } catch (InterruptedException e) {
                    // one of its last interrupts; keep waiting
                }
            }
            Thread.interrupted();
        }
        assertTrue(interrupts.get() > 0);
    }
}
