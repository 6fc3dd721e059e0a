package dev.qlanes;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

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

    /**
     * How long {@link #allocationSites} records: JFR samples at TLAB refills, and a call that allocates a few bytes
     * fills a TLAB (up to megabytes) only over many thousands of runs.
     */
    private static final long RECORDED_NANOS = 1_000_000_000L;
    /**
     * Frames shown per allocation site past the innermost one: the first ones outside the JDK, which say which of our
     * methods the allocating code was compiled into (the JDK frames between are the Vector API's own layers).
     */
    private static final int SITE_FRAMES = 6;

    /**
     * Where {@code calls} allocate, for a failure message: a JFR recording of {@link #RECORDED_NANOS} more runs,
     * its allocation samples on this thread (TLAB refills and allocations outside a TLAB) grouped by class and the
     * innermost frames, the three most frequent. A steady state that still allocates depends on what C2 happened to
     * inline (a flaky run in CI allocated 960 bytes a call where the same suite allocates nothing in other runs), so
     * the sites are taken in the same JVM, at once.
     */
    static String allocationSites(Runnable calls) {
        long id = Thread.currentThread().threadId();
        Path file = null;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ObjectAllocationInNewTLAB").withStackTrace();
            recording.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
            recording.start();
            for (long start = System.nanoTime(); System.nanoTime() - start < RECORDED_NANOS; ) {
                for (int i = 0; i < MEASURED; i++) {
                    calls.run();
                }
            }
            recording.stop();
            file = Files.createTempFile("qlanes-allocation", ".jfr");
            recording.dump(file);
            Map<String, Integer> sites = new HashMap<>();
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                if (event.getThread() != null && event.getThread().getJavaThreadId() == id
                        && event.getStackTrace() != null) {
                    sites.merge(event.getClass("objectClass").getName() + " at "
                            + frames(event.getStackTrace().getFrames()), 1, Integer::sum);
                }
            }
            if (sites.isEmpty()) {
                return "; JFR sampled no allocation on this thread";
            }
            return sites.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(3)
                    .map(e -> e.getValue() + "× " + e.getKey()).collect(Collectors.joining("; ", "; JFR samples: ", ""));
        } catch (IOException | RuntimeException e) {
            return "; JFR failed: " + e;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file left behind
                }
            }
        }
    }

    /** The innermost frame, then {@link #SITE_FRAMES} frames from the first one outside the JDK. */
    private static String frames(List<RecordedFrame> stack) {
        if (stack.isEmpty()) {
            return "(no frames)";
        }
        int ours = 1;
        while (ours < stack.size() && stack.get(ours).getMethod().getType().getName().startsWith("jdk.")) {
            ours++;
        }
        String inner = frame(stack.get(0)) + (ours > 1 ? " < … (" + (ours - 1) + " JDK frames)" : "");
        return stack.subList(ours, Math.min(stack.size(), ours + SITE_FRAMES)).stream()
                .map(AllocationCounter::frame).collect(Collectors.joining(" < ", inner + " < ", ""));
    }

    private static String frame(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName() + ":" + f.getLineNumber()
                + (f.isJavaFrame() ? "" : " (native)") + " [" + f.getType() + "]";
    }
}
