package dev.qlanes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Back-to-back calls on two executors, so that helpers spinning after one call are offered the next ones: every
 * chunk of every call runs exactly once, only on the calling thread or a thread of that call's own executor, under
 * a slot no other thread holds at the time (the caller's is 0), and a call that only finds another executor's helper
 * spinning still gets a task of its own.
 */
class ChunkedCallTest {
    private static final int CALLS = 2000;
    private static final int CHUNKS = 6;
    /** The caller, one helper task, and the task a call submits after an untaken offer. */
    private static final int SLOTS = 3;

    /** Records, per chunk of the current call, how often it ran and whether a foreign thread ran it. */
    private static final class Recording extends ChunkedCall {
        final AtomicIntegerArray runs = new AtomicIntegerArray(CHUNKS);
        /** Chunks running under each slot right now. */
        final AtomicIntegerArray inSlot = new AtomicIntegerArray(SLOTS);
        final AtomicReference<String> foreign = new AtomicReference<>();
        final String threadPrefix;
        volatile Thread callerThread;

        Recording(String threadPrefix) {
            this(threadPrefix, SLOTS);
        }

        Recording(String threadPrefix, int slots) {
            super(slots);
            this.threadPrefix = threadPrefix;
        }

        void call(Executor executor) {
            for (int i = 0; i < CHUNKS; i++) {
                runs.set(i, 0);
            }
            callerThread = Thread.currentThread();
            invoke(CHUNKS, executor, 1);
        }

        @Override
        protected void runChunk(int chunk, int slot) {
            runs.incrementAndGet(chunk);
            Thread t = Thread.currentThread();
            if (t != callerThread && !t.getName().startsWith(threadPrefix)) {
                foreign.compareAndSet(null, t.getName() + " ran a chunk of a " + threadPrefix + " call");
            }
            if ((t == callerThread) != (slot == 0)) {
                foreign.compareAndSet(null, t.getName() + " ran a chunk under slot " + slot);
            }
            if (inSlot.incrementAndGet(slot) != 1) {
                foreign.compareAndSet(null, "two chunks ran under slot " + slot + " at once");
            }
            long until = System.nanoTime() + 5_000; // long enough for a helper to take part
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            inSlot.decrementAndGet(slot);
        }
    }

    @Test
    void offeredCallsRunEveryChunkOnceAndStayOnTheirExecutor() throws Exception {
        ExecutorService a = pool("pool-a-");
        ExecutorService b = pool("pool-b-");
        try {
            Recording onA = new Recording("pool-a-");
            Recording onB = new Recording("pool-b-");
            for (int i = 0; i < CALLS; i++) {
                Recording call = i % 3 == 2 ? onB : onA; // runs of A calls, so that A's helper gets offers too
                call.call(call == onA ? a : b);
                assertEachChunkRanOnce(call, "call " + i);
            }
            assertEquals(null, onA.foreign.get());
            assertEquals(null, onB.foreign.get());
        } finally {
            shutDown(a, b);
        }
    }

    @Test
    void aCallFindingOnlyAnotherExecutorsHelperStillSubmitsATask() throws Exception {
        ExecutorService a = pool("pool-a-");
        ExecutorService b = pool("pool-b-");
        AtomicInteger submittedToB = new AtomicInteger();
        Executor countingB = task -> {
            submittedToB.incrementAndGet();
            b.execute(task);
        };
        try {
            Recording onA = new Recording("pool-a-");
            Recording onB = new Recording("pool-b-");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            do { // until a's helper is spinning for an offer right after a call (it may start after the caller is done)
                onA.call(a);
                long until = System.nanoTime() + 1_000_000;
                while (ChunkedCall.idleHelpers() == 0 && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            } while (ChunkedCall.idleHelpers() == 0 && System.nanoTime() < deadline);
            assertTrue(ChunkedCall.idleHelpers() > 0, "a's helper never spun for an offer");
            onB.call(countingB); // offers itself to the spinning helper of a, which must not take it
            assertEquals(1, submittedToB.get(), "b's call submitted no task: it waited for a helper of a");
            assertEachChunkRanOnce(onB, "b's call");
            assertEquals(null, onB.foreign.get());
        } finally {
            shutDown(a, b);
        }
    }

    @Test
    void withEveryHelperSlotTakenTheCallerRunsEveryChunk() throws Exception {
        ExecutorService a = pool("pool-a-");
        try {
            Recording callerOnly = new Recording("pool-a-", 1);
            for (int i = 0; i < 200; i++) {
                callerOnly.call(a);
                assertEachChunkRanOnce(callerOnly, "call " + i);
            }
            assertEquals(null, callerOnly.foreign.get());
        } finally {
            shutDown(a);
        }
    }

    /** One daemon thread named {@code prefix} and a number. */
    private static ExecutorService pool(String prefix) {
        AtomicInteger ids = new AtomicInteger();
        return Executors.newFixedThreadPool(1, r -> {
            Thread t = new Thread(r, prefix + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static void assertEachChunkRanOnce(Recording call, String context) {
        for (int c = 0; c < CHUNKS; c++) {
            assertEquals(1, call.runs.get(c), context + ", chunk " + c);
        }
    }

    private static void shutDown(ExecutorService... pools) throws InterruptedException {
        for (ExecutorService pool : pools) {
            pool.shutdown();
        }
        for (ExecutorService pool : pools) {
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS),
                    "helpers return to their executors once no call is offered");
        }
        assertEquals(0, ChunkedCall.idleHelpers(), "a helper that counted itself idle left it counted");
    }
}
