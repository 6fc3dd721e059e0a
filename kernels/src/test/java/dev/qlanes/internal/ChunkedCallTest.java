package dev.qlanes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Back-to-back calls on two executors, so that helpers spinning after one call are offered the next ones: every
 * chunk of every call runs exactly once, and only on the calling thread or a thread of that call's own executor.
 */
class ChunkedCallTest {
    private static final int CALLS = 2000;
    private static final int CHUNKS = 6;

    /** Records, per chunk of the current call, how often it ran and whether a foreign thread ran it. */
    private static final class Recording extends ChunkedCall {
        final AtomicIntegerArray runs = new AtomicIntegerArray(CHUNKS);
        final AtomicReference<String> foreign = new AtomicReference<>();
        final String threadPrefix;
        volatile Thread callerThread;

        Recording(String threadPrefix) {
            this.threadPrefix = threadPrefix;
        }

        void call(ExecutorService executor) {
            for (int i = 0; i < CHUNKS; i++) {
                runs.set(i, 0);
            }
            callerThread = Thread.currentThread();
            invoke(CHUNKS, executor, 1);
        }

        @Override
        protected void runChunk(int chunk) {
            runs.incrementAndGet(chunk);
            Thread t = Thread.currentThread();
            if (t != callerThread && !t.getName().startsWith(threadPrefix)) {
                foreign.compareAndSet(null, t.getName() + " ran a chunk of a " + threadPrefix + " call");
            }
            long until = System.nanoTime() + 5_000; // long enough for a helper to take part
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void offeredCallsRunEveryChunkOnceAndStayOnTheirExecutor() throws Exception {
        AtomicInteger ids = new AtomicInteger();
        ExecutorService a = Executors.newFixedThreadPool(1, r -> daemon(r, "pool-a-" + ids.incrementAndGet()));
        ExecutorService b = Executors.newFixedThreadPool(1, r -> daemon(r, "pool-b-" + ids.incrementAndGet()));
        try {
            Recording onA = new Recording("pool-a-");
            Recording onB = new Recording("pool-b-");
            for (int i = 0; i < CALLS; i++) {
                Recording call = i % 3 == 2 ? onB : onA; // runs of A calls, so that A's helper gets offers too
                call.call(call == onA ? a : b);
                for (int c = 0; c < CHUNKS; c++) {
                    assertEquals(1, call.runs.get(c), "call " + i + ", chunk " + c);
                }
            }
            assertEquals(null, onA.foreign.get());
            assertEquals(null, onB.foreign.get());
        } finally {
            a.shutdown();
            b.shutdown();
            assertTrue(a.awaitTermination(10, TimeUnit.SECONDS) && b.awaitTermination(10, TimeUnit.SECONDS),
                    "helpers return to their executors once no call is offered");
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
