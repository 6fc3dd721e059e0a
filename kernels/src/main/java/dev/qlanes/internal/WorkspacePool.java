package dev.qlanes.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A bounded, lock-free pool of per-call workspaces, so that a layer shared by many threads allocates nothing
 * per call in steady state: {@link #acquire()} takes a pooled workspace (creating one only when all are in use),
 * {@link #release} puts it back (dropping it when the pool is full). Each slot is taken with one atomic
 * {@code getAndSet}, starting from a slot derived from the thread's id to spread contention.
 *
 * @param <W> the workspace type; a workspace is used by one call at a time
 */
public final class WorkspacePool<W> {
    /** {@code 2^64 / φ}, odd: consecutive ids land far apart in the high bits. */
    private static final long FIBONACCI = 0x9E37_79B9_7F4A_7C15L;

    private final AtomicReferenceArray<W> slots;
    private final Supplier<W> factory;

    /**
     * @param capacity how many idle workspaces are kept, ≥ 1: the number of concurrent calls that run without
     *                 allocating
     * @param factory  creates a workspace when none is idle
     */
    public WorkspacePool(int capacity, Supplier<W> factory) {
        this.slots = new AtomicReferenceArray<>(capacity);
        this.factory = factory;
    }

    /** An idle workspace, or a new one when none is idle. */
    public W acquire() {
        int n = slots.length();
        int start = start(n);
        for (int k = 0; k < n; k++) {
            int i = start + k < n ? start + k : start + k - n;
            if (slots.get(i) != null) {
                W w = slots.getAndSet(i, null);
                if (w != null) {
                    return w;
                }
            }
        }
        return factory.get();
    }

    /** Returns a workspace that is no longer in use. */
    public void release(W workspace) {
        int n = slots.length();
        int start = start(n);
        for (int k = 0; k < n; k++) {
            int i = start + k < n ? start + k : start + k - n;
            if (slots.get(i) == null && slots.compareAndSet(i, null, workspace)) {
                return;
            }
        }
    }

    /**
     * The calling thread's first slot in {@code [0, n)}: its id spread by Fibonacci hashing (ids are consecutive),
     * then scaled onto the slots by a multiply. The remainder this replaced was a 64-bit division, twice per call;
     * with two fill-stub calls in {@code LayerCall} it cost an 8-unit int8 layer ~3.5 ns of ~108 (JMH, Zen 4).
     */
    private static int start(int n) {
        long spread = (Thread.currentThread().threadId() * FIBONACCI) >>> 32; // below 2^32, times n < 2^31: no overflow
        return (int) ((spread * n) >>> 32);
    }

    /** How many workspaces are idle now (for tests and diagnostics). */
    public int idle() {
        int count = 0;
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) != null) {
                count++;
            }
        }
        return count;
    }
}
