package dev.qlanes.fuzz;

import dev.qlanes.PreparedWeights;
import dev.qlanes.reference.FusedActivation;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * What both layer targets draw from the fuzzer's data: valid prepared weights from every kind of source, the options
 * both builders share (each sometimes invalid), activations as arrays or segments of every kind, and the expected
 * outcome of an {@code eval} as the set of preconditions its arguments break.
 */
final class LayerArgs {
    private LayerArgs() {}

    /** Helper threads of parallel layers; daemon, so that a finding cannot keep the JVM alive. */
    static final ExecutorService POOL = Executors.newFixedThreadPool(2, daemon("qlanes-fuzz-pool"));
    /** The second thread that calls the same layer at the same time as the fuzzing thread. */
    private static final ExecutorService SECOND_CALLER = Executors.newSingleThreadExecutor(daemon("qlanes-fuzz-caller"));
    /** An executor that refuses every task: a layer must then do all the work on the calling thread. */
    private static final Executor REJECTING = task -> {
        throw new RejectedExecutionException("refused by the fuzz target");
    };
    private static final Executor DIRECT = Runnable::run;
    /** Largest per-call workspace, {@code SegmentChecks.MAX_WORKSPACE}: segment activations are staged in arrays. */
    static final long MAX_WORKSPACE = Integer.MAX_VALUE - 16;

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Valid weights and what they were made from (the reference twins take the raw bytes and scales). */
    record Weights(PreparedWeights prepared, byte[] bytes, int units, int inputSize, float scale, float[] channelScales,
            String source) {
    }

    /** Weights of up to 40 × 70, per tensor or per channel, from an array, heap, native or mapped segment. */
    static Weights weights(Args a) {
        int units = a.data.consumeInt(0, 40);
        int inputSize = a.data.consumeInt(0, 70);
        boolean perChannel = a.data.consumeBoolean();
        float scale = validScale(a);
        float[] scales = null;
        if (perChannel) {
            scales = new float[units];
            for (int i = 0; i < units; i++) {
                scales[i] = validScale(a);
            }
        }
        int n = units * inputSize;
        String source = a.data.pickValue(new String[] {"array", "heap", "read-only heap", "native", "mapped"});
        byte[] bytes;
        MemorySegment segment = switch (source) {
            case "heap" -> MemorySegment.ofArray(new byte[n + 3]).asSlice(a.data.consumeInt(0, 3), n);
            case "read-only heap" -> MemorySegment.ofArray(new byte[n]);
            case "native" -> Arena.ofAuto().allocate(n);
            case "mapped" -> Segments.mapped(a.data.consumeInt(0, 1 << 16), n);
            default -> null;
        };
        if (segment != null && !source.equals("mapped")) {
            MemorySegment.copy(a.bytesOfLength(n), 0, segment, ValueLayout.JAVA_BYTE, 0, n);
        }
        if (source.equals("read-only heap")) {
            segment = segment.asReadOnly();
        }
        bytes = segment != null ? segment.toArray(ValueLayout.JAVA_BYTE) : a.bytesOfLength(n);
        PreparedWeights p = segment == null
                ? perChannel ? PreparedWeights.perChannel(bytes, units, inputSize, scales)
                        : PreparedWeights.perTensor(bytes, units, inputSize, scale)
                : perChannel ? PreparedWeights.perChannel(segment, units, inputSize, scales)
                        : PreparedWeights.perTensor(segment, units, inputSize, scale);
        return new Weights(p, bytes, units, inputSize, scale, scales, source);
    }

    /** A valid weight scale, from subnormal to {@code Float.MAX_VALUE}, often a power of two. */
    private static float validScale(Args a) {
        float s = a.scale();
        return s > 0.0f && s != Float.POSITIVE_INFINITY ? s : 0.01f;
    }

    /** A violated precondition: the exception type its documentation names and the argument the message names. */
    record Violation(Class<? extends RuntimeException> type, String name) {
    }

    /** The builder options both layers share, applied in a fixed order; null fields keep their defaults. */
    record Options(boolean setActivation, FusedActivation activation, Integer parallelism, boolean setExecutor,
            Executor executor, Long parallelThreshold, Integer expectedBatch, Integer maxConcurrentCalls) {

        static Options draw(Args a) {
            var d = a.data;
            boolean setActivation = !a.oneIn(5);
            FusedActivation activation = a.oneIn(24) ? null : d.pickValue(FusedActivation.values());
            Integer parallelism = a.oneIn(3) ? null : a.oneIn(12) ? d.pickValue(new int[] {0, -1, 1025,
                Integer.MIN_VALUE}) : d.consumeInt(1, 4);
            boolean setExecutor = !a.oneIn(3);
            Executor executor = switch (d.consumeInt(0, 7)) {
                case 5 -> REJECTING;
                case 6 -> DIRECT;
                case 7 -> a.oneIn(3) ? null : POOL;
                default -> POOL;
            };
            Long threshold = a.oneIn(3) ? null : d.pickValue(new long[] {1, 1, 1, 64, 4096, 0, -1});
            Integer expectedBatch = a.oneIn(2) ? null : a.oneIn(10) ? d.pickValue(new int[] {0, -1, Integer.MAX_VALUE})
                    : d.consumeInt(1, 8);
            Integer calls = a.oneIn(2) ? null : a.oneIn(10) ? d.pickValue(new int[] {0, 65537}) : d.consumeInt(1, 4);
            return new Options(setActivation, activation, parallelism, setExecutor, executor, threshold, expectedBatch,
                    calls);
        }

        /** The first setter, in {@link #apply} order, whose argument is invalid, or null. */
        Violation firstInvalid() {
            if (setActivation && activation == null) {
                return new Violation(NullPointerException.class, "activation");
            }
            if (parallelism != null && (parallelism < 1 || parallelism > 1024)) {
                return new Violation(IllegalArgumentException.class, "parallelism");
            }
            if (setExecutor && executor == null) {
                return new Violation(NullPointerException.class, "executor");
            }
            if (parallelThreshold != null && parallelThreshold < 1) {
                return new Violation(IllegalArgumentException.class, "parallelThreshold");
            }
            if (expectedBatch != null && expectedBatch < 1) {
                return new Violation(IllegalArgumentException.class, "expectedBatch");
            }
            if (maxConcurrentCalls != null && (maxConcurrentCalls < 1 || maxConcurrentCalls > 65536)) {
                return new Violation(IllegalArgumentException.class, "maxConcurrentCalls");
            }
            return null;
        }

        /** {@code build()}'s workspace check: {@code expectedBatch × max(1, units, inputSize)} must fit an array. */
        Violation workspace(Weights w) {
            long widest = Math.max(1, Math.max(w.units(), w.inputSize()));
            return expectedBatch != null && expectedBatch * widest > MAX_WORKSPACE
                    ? new Violation(IllegalArgumentException.class, "expectedBatch") : null;
        }

        void apply(dev.qlanes.HybridFullyConnected.Builder b) {
            if (setActivation) {
                b.activation(activation);
            }
            if (parallelism != null) {
                b.parallelism(parallelism);
            }
            if (setExecutor) {
                b.executor(executor);
            }
            if (parallelThreshold != null) {
                b.parallelThreshold(parallelThreshold);
            }
            if (expectedBatch != null) {
                b.expectedBatch(expectedBatch);
            }
            if (maxConcurrentCalls != null) {
                b.maxConcurrentCalls(maxConcurrentCalls);
            }
        }

        void apply(dev.qlanes.QuantizedFullyConnected.Builder b) {
            if (setActivation) {
                b.activation(activation);
            }
            if (parallelism != null) {
                b.parallelism(parallelism);
            }
            if (setExecutor) {
                b.executor(executor);
            }
            if (parallelThreshold != null) {
                b.parallelThreshold(parallelThreshold);
            }
            if (expectedBatch != null) {
                b.expectedBatch(expectedBatch);
            }
            if (maxConcurrentCalls != null) {
                b.maxConcurrentCalls(maxConcurrentCalls);
            }
        }

        FusedActivation activationOrDefault() {
            return setActivation && activation != null ? activation : FusedActivation.NONE;
        }

        int parallelismOrDefault() {
            return parallelism != null ? parallelism : 1;
        }
    }

    /**
     * The outcomes a layer target must reach: the builder's success and rejections, and for both evals success (from
     * two threads too; segments also overlapping) and every documented rejection; each of {@code extra} is one more
     * array-eval outcome when it starts with {@code ok}, else one more builder outcome.
     */
    static List<String> required(String arrays, String... extra) {
        List<String> r = new ArrayList<>(List.of("builder ok", "builder NullPointerException",
                "builder IllegalArgumentException", "builder IndexOutOfBoundsException", arrays + " ok",
                arrays + " ok 2 threads", arrays + " NullPointerException", arrays + " IllegalArgumentException",
                arrays + " IndexOutOfBoundsException", "eval(segment) ok", "eval(segment) ok overlapping",
                "eval(segment) ok 2 threads", "eval(segment) NullPointerException",
                "eval(segment) IllegalArgumentException", "eval(segment) IndexOutOfBoundsException",
                "eval(segment) IllegalStateException", "eval(segment) WrongThreadException"));
        for (String e : extra) {
            r.add(e.startsWith("ok") ? arrays + " " + e : "builder " + e);
        }
        return r;
    }

    /** Checks a rejection against the violations: its type and named argument must be one of theirs. */
    static void checkRejection(Outcomes outcomes, String entry, RuntimeException e, List<Violation> violations,
            String context) {
        for (Violation v : violations) {
            if (v.type() == e.getClass() && e.getMessage() != null && Outcomes.namesAny(e.getMessage(), v.name())) {
                outcomes.count(entry, e.getClass().getSimpleName());
                return;
            }
        }
        throw new AssertionError(entry + " threw " + e + ", none of the violated preconditions " + violations + "; "
                + context, e);
    }

    /** Where a segment activation lives. */
    enum Kind {
        NATIVE, HEAP_BYTES, HEAP_FLOATS, OVERLAPPING, READ_ONLY, NULL, CLOSED, FOREIGN, NULL_ADDRESS
    }

    /**
     * An activation segment of {@code bytes} bytes (the caller decided the size, short or long) of the given kind,
     * filled with {@code content} where it is writable and accessible. {@code slot} picks the slab half (0 input,
     * 1 output); an {@link Kind#OVERLAPPING} output starts inside {@code input}.
     */
    static MemorySegment segment(Kind kind, long bytes, byte[] content, int slot, MemorySegment input, Args a) {
        MemorySegment s = switch (kind) {
            case NATIVE -> Segments.slab(slot, bytes, a.data.consumeInt(0, 3));
            case HEAP_BYTES -> MemorySegment.ofArray(new byte[(int) bytes + 1]).asSlice(1, bytes);
            case HEAP_FLOATS -> MemorySegment.ofArray(new float[(int) (bytes / 4) + 1]).asSlice(0, bytes);
            case OVERLAPPING -> input != null && input.isNative() && Segments.guards(input) != null
                    ? Segments.overlapping(input, Math.min(input.byteSize(), a.data.consumeInt(0, 64)), bytes)
                    : Segments.slab(slot, bytes, 0);
            case READ_ONLY -> Segments.slab(slot, bytes, 0);
            case NULL -> null;
            case CLOSED -> Segments.CLOSED;
            case FOREIGN -> Segments.FOREIGN;
            case NULL_ADDRESS -> MemorySegment.NULL;
        };
        if (s != null && (kind == Kind.NATIVE || kind == Kind.HEAP_BYTES || kind == Kind.HEAP_FLOATS
                || kind == Kind.READ_ONLY || (kind == Kind.OVERLAPPING && slot == 0))) {
            MemorySegment.copy(content, 0, s, ValueLayout.JAVA_BYTE, 0, (int) Math.min(content.length, bytes));
        }
        return kind == Kind.READ_ONLY ? s.asReadOnly() : s;
    }

    /** The preconditions of a segment {@code eval} its arguments break (the layers' Javadoc, in any order). */
    static List<Violation> segmentViolations(MemorySegment input, int batch, MemorySegment output, int inputSize,
            int units, int elementBytes) {
        List<Violation> v = new ArrayList<>();
        if (batch < 0) {
            v.add(new Violation(IllegalArgumentException.class, "batch"));
        }
        long in = (long) batch * inputSize;
        long out = (long) batch * units;
        segment(v, "input", input, in, elementBytes, false);
        segment(v, "output", output, out, elementBytes, true);
        if (in > MAX_WORKSPACE || out > MAX_WORKSPACE) {
            v.add(new Violation(IllegalArgumentException.class, "batch"));
        }
        return v;
    }

    private static void segment(List<Violation> v, String name, MemorySegment s, long elements, int elementBytes,
            boolean output) {
        if (s == null) {
            v.add(new Violation(NullPointerException.class, name));
            return;
        }
        if (s.byteSize() / elementBytes < elements) {
            v.add(new Violation(IndexOutOfBoundsException.class, name));
        }
        if (output && s.isReadOnly()) {
            v.add(new Violation(IllegalArgumentException.class, name));
        }
        if (!s.scope().isAlive()) {
            v.add(new Violation(IllegalStateException.class, name));
        } else if (!s.isAccessibleBy(Thread.currentThread())) {
            v.add(new Violation(WrongThreadException.class, name));
        }
    }

    /** The preconditions of an array {@code eval} its arguments break. */
    static List<Violation> arrayViolations(Object input, long inputLength, int batch, Object output, long outputLength,
            int inputSize, int units) {
        List<Violation> v = new ArrayList<>();
        if (input == null) {
            v.add(new Violation(NullPointerException.class, "input"));
        }
        if (output == null) {
            v.add(new Violation(NullPointerException.class, "output"));
        }
        if (batch < 0) {
            v.add(new Violation(IllegalArgumentException.class, "batch"));
        }
        if (input != null && inputLength < (long) batch * inputSize) {
            v.add(new Violation(IndexOutOfBoundsException.class, "input"));
        }
        if (output != null && outputLength < (long) batch * units) {
            v.add(new Violation(IndexOutOfBoundsException.class, "output"));
        }
        return v;
    }

    /** Whether two usable segments share memory. */
    static boolean overlap(MemorySegment a, MemorySegment b) {
        return a != null && b != null && a.scope().isAlive() && b.scope().isAlive()
                && a.isAccessibleBy(Thread.currentThread()) && b.isAccessibleBy(Thread.currentThread())
                && a.asOverlappingSlice(b).isPresent();
    }

    /** A copy of a segment activation for the second caller: same bytes, in memory any thread may use. */
    static MemorySegment copyForSecondCaller(MemorySegment s) {
        MemorySegment c = Arena.ofAuto().allocate(Math.max(1, s.byteSize())).asSlice(0, s.byteSize());
        return c.copyFrom(s);
    }

    /**
     * Runs {@code second} on the second caller thread while {@code first} runs on this one, both released together,
     * and waits for both; an exception of either is rethrown.
     */
    static void together(Runnable first, Runnable second) {
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        Future<?> other = SECOND_CALLER.submit(() -> {
            start.await();
            second.run();
            return null;
        });
        start.countDown();
        first.run();
        try {
            other.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new AssertionError(e.getCause());
        }
    }
}
