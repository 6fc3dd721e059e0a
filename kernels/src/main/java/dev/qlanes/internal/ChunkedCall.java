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
 * <p>The first exception a chunk throws is rethrown on the calling thread after all claimed chunks finished.
 */
public abstract class ChunkedCall implements Runnable {
    /** Chunk counts must fit the 16-bit fields of the claim state. */
    public static final int MAX_CHUNKS = (1 << 15) - 1;
    private static final int FIELD_BITS = 16;
    private static final long FIELD_MASK = (1L << FIELD_BITS) - 1;
    /** How long the caller spins for helpers' last chunks before parking: waking a parked thread costs ~10-50 µs. */
    private static final long SPIN_NANOS = 50_000;

    private final AtomicLong claims = new AtomicLong();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Thread caller;
    private int generation;

    /** Computes chunk {@code chunk}; chunks write disjoint outputs. */
    protected abstract void runChunk(int chunk);

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
                runChunk(i);
            }
            return;
        }
        caller = Thread.currentThread();
        pending.set(chunks);
        generation++;
        claims.set(((long) generation << (2 * FIELD_BITS)) | ((long) chunks << FIELD_BITS));
        for (int h = 0; h < submit; h++) {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                break; // the caller claims what helpers would have
            }
        }
        claimAndRun();
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

    /** A helper task: claims and runs chunks of the current call until none is left. */
    @Override
    public final void run() {
        claimAndRun();
    }

    private void claimAndRun() {
        while (true) {
            long state = claims.get();
            int next = (int) (state & FIELD_MASK);
            int chunks = (int) ((state >>> FIELD_BITS) & FIELD_MASK);
            if (next >= chunks) {
                return;
            }
            if (!claims.compareAndSet(state, state + 1)) {
                continue;
            }
            Thread waiting = caller;
            try {
                runChunk(next);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(waiting);
            }
        }
    }
}
