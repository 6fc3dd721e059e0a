package dev.qlanes.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One call's worth of chunked work, reusable across calls without allocation: {@link #invoke} runs chunks
 * {@code 0 .. n-1} on the calling thread and on up to {@code helpers} tasks submitted to an {@link Executor},
 * and returns when every chunk has completed. Chunks are claimed dynamically, so the caller never waits for a
 * task that has not started: if the executor is slow, saturated, or rejects the task, the caller runs the
 * remaining chunks itself (no deadlock when called from the executor's own threads, and results never depend
 * on scheduling, since every chunk computes disjoint outputs).
 *
 * <p>A helper task may run after its call has finished (the caller took all chunks first); it then finds nothing
 * to claim. Claims are made with a CAS on one {@code long} holding {@code [generation:32][chunks:16][next:16]},
 * so a late helper can never claim a chunk of a later call with a stale view of it: it either claims a chunk of
 * the call whose state it read (and its CAS publishes that call's fields to it) or fails its CAS.
 *
 * <p>A helper that runs out of chunks does not return to its executor at once: for {@link #HELPER_SPIN_NANOS} it
 * waits, spinning, for another call on the same executor to offer itself ({@link #OFFER}), and a call that finds
 * such a helper hands itself over instead of submitting a task. Waking a parked pool thread costs tens of
 * microseconds per call (in a VM up to ~100): on back-to-back batch-1 calls two threads reached 1.6x one thread at
 * 4096x4096 and 1.1x at 1024x1024, while the same kernels on two spinning threads reach 1.95x; with the hand-off,
 * 1.65x and 1.34x (medians of JMH runs on a shared 2-core machine). The cost is up to
 * {@code HELPER_SPIN_NANOS} of one pool thread's time after the last call. An offer no helper took is withdrawn by
 * its call before it returns; a helper that takes an offer late finds nothing to claim. A call whose offer is still
 * untaken after the caller's first chunk (the spinning helper serves another executor) submits a task after all.
 *
 * <p>Each thread taking part in a call runs its chunks under a <em>slot</em> in {@code [0, slots)}, its own for the
 * whole call (the caller's is 0), so that chunk scratch can be kept per slot rather than per chunk: a call may be cut
 * into many chunks without its scratch growing. A slot is taken with a CAS on {@code [generation:32][next:32]} and
 * only used for chunks of that generation, so no two threads ever run chunks under the same slot at once; a thread
 * finding every slot taken runs nothing (the others, the caller at least, claim what it would have).
 *
 * <p>The first exception a chunk throws is rethrown on the calling thread after all claimed chunks finished.
 */
public abstract class ChunkedCall implements Runnable {
    /** Chunk counts must fit the 16-bit fields of the claim state. */
    public static final int MAX_CHUNKS = (1 << 15) - 1;
    private static final int FIELD_BITS = 16;
    private static final long FIELD_MASK = (1L << FIELD_BITS) - 1;
    /** How long the caller spins for helpers' last chunks before parking: waking a parked thread costs ~10-50 µs. */
    private static final long SPIN_NANOS = 50_000;
    /** How long a helper out of chunks waits for another call before it returns to its executor: see above. */
    private static final long HELPER_SPIN_NANOS = 50_000;
    /** A call waiting for a helper, offered to helpers that are spinning for one; at most one at a time. */
    private static final AtomicReference<ChunkedCall> OFFER = new AtomicReference<>();
    /**
     * Helpers spinning for an offer, or about to, so that a call only offers itself when one may take it. A helper
     * that runs a call's last chunk counts itself before it completes the call: counted only once it reached
     * {@link #awaitOffer}, it was often still on its way when a back-to-back next call looked, and that call submitted
     * a task instead (in a probe, 54-71% of 1x4096x4096 int8 layer calls on two threads found a helper, against
     * 93-99% of float layer calls, whose input quantization before the split gave the helper the time).
     */
    private static final AtomicInteger IDLE_HELPERS = new AtomicInteger();

    private final AtomicLong claims = new AtomicLong();
    /** {@code [generation:32][next free slot:32]} of the current call; slot 0 is the caller's. */
    private final AtomicLong slotClaims = new AtomicLong();
    private final int slots;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Thread caller;
    /** The executor of the current call: helpers only take offers of calls on their own executor. */
    private volatile Executor executor;
    private int generation;

    /**
     * @param slots how many threads may take part in one call, the caller included (≥ 1): the caller, one per helper
     *              task, and one more, since a call that offered itself may also submit a task (see above)
     */
    protected ChunkedCall(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots = " + slots + ", expected >= 1");
        }
        this.slots = slots;
    }

    /** How many threads may take part in one call: slots are {@code [0, slots())}. */
    protected final int slots() {
        return slots;
    }

    /**
     * Computes chunk {@code chunk}; chunks write disjoint outputs. {@code slot}, in {@code [0, slots)}, is the running
     * thread's for this call: no other chunk runs under it until this one returns.
     */
    protected abstract void runChunk(int chunk, int slot);

    /**
     * Runs chunks {@code 0 .. chunks-1} and returns when all have completed.
     *
     * @param chunks   in {@code [1, MAX_CHUNKS]}
     * @param executor runs helper tasks; unused when {@code helpers == 0} or {@code chunks == 1}
     * @param helpers  how many helper tasks to submit at most
     */
    protected final void invoke(int chunks, Executor executor, int helpers) {
        int submit = Math.min(helpers, chunks - 1);
        if (submit <= 0) {
            for (int i = 0; i < chunks; i++) {
                runChunk(i, 0);
            }
            return;
        }
        caller = Thread.currentThread();
        this.executor = executor;
        pending.set(chunks);
        generation++;
        slotClaims.set(((long) generation << 32) | 1); // before the chunks are published: a claimer sees it reset
        claims.set(((long) generation << (2 * FIELD_BITS)) | ((long) chunks << FIELD_BITS));
        boolean offered = false;
        for (int h = 0; h < submit; h++) {
            if (!offered && IDLE_HELPERS.get() > 0 && OFFER.compareAndSet(null, this)) {
                offered = true; // a helper spinning after an earlier call takes it: no task, no wake-up
                continue;
            }
            submit(executor);
        }
        if (offered) {
            boolean more = claimAndRun(1, 0, generation);
            if (OFFER.compareAndSet(this, null) && more) {
                // still not taken after one chunk: the spinning helper serves another executor, or stopped; a task
                submit(executor);
            }
        }
        claimAndRun(Integer.MAX_VALUE, 0, generation);
        // the last chunks are running on helpers: spin briefly (a chunk is ~10 µs or more), then park
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (pending.get() != 0 && System.nanoTime() < spinUntil) {
            Thread.onSpinWait();
        }
        boolean interrupted = false;
        while (pending.get() != 0) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.getAndSet(null);
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException("a chunk failed", t);
        }
    }

    /** Submits this call as a helper task; a rejected task only means the caller claims more chunks itself. */
    private void submit(Executor executor) {
        try {
            executor.execute(this);
        } catch (RejectedExecutionException e) {
            // the caller claims what the helper would have
        }
    }

    /**
     * A helper task: claims and runs chunks of the current call until none is left, then of calls offered to it
     * while it spins ({@link #HELPER_SPIN_NANOS} after each).
     */
    @Override
    public final void run() {
        Executor mine = executor;
        ChunkedCall call = this;
        while (call != null) {
            call.joinAndRun();
            call = awaitOffer(mine);
        }
    }

    /**
     * An offered call on {@code mine}, taken within {@link #HELPER_SPIN_NANOS}, or null. The helper was counted in
     * {@link #IDLE_HELPERS} when it ran out of chunks ({@link #claimAndRun}); it is uncounted here.
     */
    private static ChunkedCall awaitOffer(Executor mine) {
        try {
            long until = System.nanoTime() + HELPER_SPIN_NANOS;
            do {
                ChunkedCall offered = OFFER.get();
                if (offered != null && offered.executor == mine && OFFER.compareAndSet(offered, null)) {
                    return offered;
                }
                Thread.onSpinWait();
            } while (System.nanoTime() < until);
            return null;
        } finally {
            IDLE_HELPERS.decrementAndGet();
        }
    }

    /** A helper's part: takes a free slot of the current call, if any, and runs chunks of that call under it. */
    private void joinAndRun() {
        long state;
        do {
            state = slotClaims.get();
            if ((int) state >= slots) {
                IDLE_HELPERS.incrementAndGet(); // out of work at once: see claimAndRun
                return;
            }
        } while (!slotClaims.compareAndSet(state, state + 1));
        claimAndRun(Integer.MAX_VALUE, (int) state, (int) (state >>> 32));
    }

    /**
     * Claims and runs, under {@code slot}, up to {@code limit} chunks of call {@code generation} (none once a later
     * call has started); whether chunks may be left (false once none was). A helper (slot above 0, no limit) counts
     * itself in {@link #IDLE_HELPERS} as it runs out of work: when it finds no chunk left, or, if it ran the last one,
     * before it completes it.
     */
    private boolean claimAndRun(int limit, int slot, int generation) {
        for (int ran = 0; ran < limit; ) {
            long state = claims.get();
            int next = (int) (state & FIELD_MASK);
            int chunks = (int) ((state >>> FIELD_BITS) & FIELD_MASK);
            if (next >= chunks || (int) (state >>> (2 * FIELD_BITS)) != generation) {
                if (slot != 0) {
                    IDLE_HELPERS.incrementAndGet();
                }
                return false;
            }
            if (!claims.compareAndSet(state, state + 1)) {
                continue;
            }
            Thread waiting = caller;
            try {
                runChunk(next, slot);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
            boolean helperOutOfWork = slot != 0 && next + 1 == chunks;
            if (helperOutOfWork) {
                IDLE_HELPERS.incrementAndGet(); // before the call can complete, so that the next call finds it
            }
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(waiting);
            }
            if (helperOutOfWork) {
                return false;
            }
            ran++;
        }
        return true;
    }

    /** Helpers spinning for an offer right now, or about to (for tests). */
    static int idleHelpers() {
        return IDLE_HELPERS.get();
    }
}
