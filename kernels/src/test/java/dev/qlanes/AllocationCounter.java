package dev.qlanes;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by the current thread, from {@code com.sun.management.ThreadMXBean}, and a steady-state
 * measurement of a call: warm up, then measure rounds until one allocates nothing (C2 compiles in the background,
 * on a busy machine possibly late) or the rounds run out.
 */
final class AllocationCounter {
    private AllocationCounter() {}

    static final boolean INTERPRETED = System.getProperty("java.vm.info", "").contains("interpreted");
    private static final int WARMUP = INTERPRETED ? 1 : 1_000;
    private static final int MEASURED = INTERPRETED ? 10 : 200;
    private static final int MAX_ROUNDS = 40;
    /**
     * How long to keep measuring a call that still allocates after {@link #MAX_ROUNDS}: small calls run their rounds
     * in milliseconds, before C2 (queued behind other compilations on a busy machine) has compiled them.
     */
    private static final long PATIENCE_NANOS = 10_000_000_000L;

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

    /** Whether the counter can be read here. */
    static boolean available() {
        return ALLOCATED_BYTES != null;
    }

    static long allocatedBytes(long threadId) {
        try {
            return (long) ALLOCATED_BYTES.invokeExact(THREADS, threadId);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The outcome of {@link #steadyState}: bytes allocated by the last round's calls, and the rounds it took. */
    record Measurement(long bytes, int calls, int rounds) {}

    /**
     * Runs {@code calls} until a round of {@link #MEASURED} runs allocates nothing, for at least {@link #MAX_ROUNDS}
     * rounds or {@link #PATIENCE_NANOS}, whichever is longer.
     */
    static Measurement steadyState(Runnable calls) {
        long id = Thread.currentThread().threadId();
        long start = System.nanoTime();
        long allocated = -1;
        int round = 0;
        for (; allocated != 0 && (round < MAX_ROUNDS || System.nanoTime() - start < PATIENCE_NANOS); round++) {
            for (int i = 0; i < WARMUP; i++) {
                calls.run();
            }
            long before = allocatedBytes(id);
            for (int i = 0; i < MEASURED; i++) {
                calls.run();
            }
            allocated = allocatedBytes(id) - before;
        }
        return new Measurement(allocated, MEASURED, round);
    }
}
