package dev.qlanes.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.qlanes.PreparedWeights;
import dev.qlanes.reference.PortableTensorUtils;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the four {@link PreparedWeights} factories ({@code docs/fuzzing.md}): per tensor or per
 * channel, from a {@code byte[]} or from a {@link MemorySegment} of any kind ({@link Source}). The expected outcome is
 * computed from the class's documented contract, independently of the order in which the factory checks: the set of
 * violated preconditions, each with the exception it documents and the argument it names. Allowed outcomes:
 * <ul>
 *   <li>no violation: the factory succeeds, and the weights hold exactly the given bytes (a read-only view), the
 *       given scales (raw bits; copied, as is a weights array), the row sums {@link PortableTensorUtils#reductionSumVector}
 *       computes, {@code isNative()} as the source, and {@code scale()}, {@code scale(row)}, {@code rowSum(row)}
 *       answer as documented, out-of-range rows included;</li>
 *   <li>violations: the factory throws the exception of one of them, naming its argument.</li>
 * </ul>
 * Either way the weights and scales given are unchanged. Factories whose arguments are valid but ask for more than
 * {@value Args#MAX_ELEMENTS} rows (possible only with zero columns) are counted as skipped, not called: their row-sum
 * array is as large as asked, and an {@code OutOfMemoryError} there would be the caller's.
 */
class PreparedWeightsFuzzTest {
    static final Outcomes OUTCOMES = new Outcomes("PreparedWeightsFuzzTest.prepare");
    /** An unstarted thread: a segment it cannot access is confined, which the factories must refuse. */
    private static final Thread OTHER_THREAD = new Thread(() -> { }, "qlanes-fuzz-unstarted");
    private static final int[] HOSTILE_ROWS = {PreparedWeights.MAX_ROWS, PreparedWeights.MAX_ROWS + 1, 1 << 20};
    /** Each factory succeeds and rejects each kind of bad argument at least once (segments: a closed one too). */
    private static final List<String> REQUIRED = Stream.of("perTensor(byte[])", "perChannel(byte[])",
            "perTensor(segment)", "perChannel(segment)").flatMap(f -> Stream.concat(Stream.of(Outcomes.OK,
                    "NullPointerException", "IllegalArgumentException", "IndexOutOfBoundsException"),
                    f.endsWith("(segment)") ? Stream.of("IllegalStateException") : Stream.empty()).map(o -> f + " " + o))
            .toList();

    /** Where the weights come from: an array (or a null one) or a segment of some kind (or a null one). */
    enum Source {
        ARRAY, NULL_ARRAY, NULL, HEAP, HEAP_READ_ONLY, HEAP_SHORTS, NATIVE, MAPPED, AUTO, CONFINED_HERE, FOREIGN,
        CLOSED, NULL_ADDRESS;

        boolean segment() {
            return this != ARRAY && this != NULL_ARRAY;
        }
    }

    /** A violated precondition: the exception it documents and the argument its message names. */
    private record Violation(Class<? extends RuntimeException> type, String name) {
    }

    @FuzzTest(maxDuration = "60s")
    void prepare(FuzzedDataProvider data) {
        OUTCOMES.input(data);
        Args a = new Args(data);
        int[] shape = a.sizes(40, 70);
        int rows = a.oneIn(16) ? data.pickValue(HOSTILE_ROWS) : shape[0];
        int cols = shape[1];
        boolean perChannel = data.consumeBoolean();
        Source source = data.consumeBoolean() ? Source.ARRAY : data.pickValue(Source.values());
        float scale = a.scale();
        float[] scales = a.oneIn(24) ? null : a.scalesOfLength(a.length(Math.max(0, rows)));
        long required = (long) rows * cols;
        int length = a.length(required);
        byte[] content = a.bytesOfLength(length);
        String entry = (perChannel ? "perChannel" : "perTensor") + (source.segment() ? "(segment)" : "(byte[])");

        try (Arena confined = Arena.ofConfined()) {
            byte[] array = source == Source.ARRAY ? content : null;
            MemorySegment segment = source.segment() ? segment(source, content, a, confined) : null;
            byte[] weightsBefore = source.segment() ? Segments.snapshot(segment) : array == null ? null : array.clone();
            float[] scalesBefore = scales == null ? null : scales.clone();

            List<Violation> violations = violations(rows, cols, source, array, segment, perChannel, scale, scales);
            if (violations.isEmpty() && rows > Args.MAX_ELEMENTS) {
                OUTCOMES.count(entry, "skipped (" + rows + " rows)");
                return;
            }
            PreparedWeights p;
            try {
                p = source.segment()
                        ? perChannel ? PreparedWeights.perChannel(segment, rows, cols, scales)
                                : PreparedWeights.perTensor(segment, rows, cols, scale)
                        : perChannel ? PreparedWeights.perChannel(array, rows, cols, scales)
                                : PreparedWeights.perTensor(array, rows, cols, scale);
            } catch (RuntimeException e) {
                checkRejection(entry, e, violations, rows, cols, source);
                unchanged(entry, weightsBefore, source.segment() ? Segments.snapshot(segment) : array, scalesBefore,
                        scales);
                return;
            }
            if (!violations.isEmpty()) {
                throw new AssertionError(entry + " accepted rows " + rows + ", cols " + cols + ", source " + source
                        + " despite " + violations);
            }
            unchanged(entry, weightsBefore, source.segment() ? Segments.snapshot(segment) : array, scalesBefore, scales);
            checkPrepared(entry, p, weightsBefore, rows, cols, perChannel ? scalesBefore : new float[] {scale},
                    perChannel, source == Source.NATIVE || source == Source.MAPPED || source == Source.AUTO
                            || source == Source.NULL_ADDRESS);
            if (a.oneIn(8)) { // exceptions are slow to make under Jazzer: check the accessors' on some inputs only
                checkAccessorRejections(entry, p, rows, perChannel);
            }
            // Copies: changing what was given afterwards changes nothing (segments are used in place, by contract)
            if (array != null && array.length > 0) {
                array[0] ^= 1;
            }
            if (scales != null && scales.length > 0) {
                scales[0] = Float.NaN;
            }
            checkPrepared(entry + " after the caller changed its arrays", p, weightsBefore, rows, cols,
                    perChannel ? scalesBefore : new float[] {scale}, perChannel, p.isNative());
            OUTCOMES.count(entry, Outcomes.OK + " " + source);
        }
    }

    @AfterAll
    static void report() {
        OUTCOMES.finish("dev/qlanes/fuzz/PreparedWeightsFuzzTestInputs/prepare", REQUIRED, new PreparedWeightsFuzzTest()::prepare);
    }

    private static MemorySegment segment(Source source, byte[] content, Args a, Arena confined) {
        int n = content.length;
        MemorySegment s = switch (source) {
            case NULL -> null;
            case HEAP -> {
                int offset = a.data.consumeInt(0, 3);
                yield MemorySegment.ofArray(new byte[n + offset + 2]).asSlice(offset, n);
            }
            case HEAP_READ_ONLY -> MemorySegment.ofArray(new byte[n]);
            case HEAP_SHORTS -> MemorySegment.ofArray(new short[n / 2 + 1]).asSlice(n % 2, n);
            case NATIVE -> Segments.slab(0, n, a.data.consumeInt(0, 7));
            case MAPPED -> Segments.mapped(a.data.consumeInt(0, 1 << 16), n);
            case AUTO -> Arena.ofAuto().allocate(n);
            case CONFINED_HERE -> confined.allocate(n);
            case FOREIGN -> Segments.FOREIGN;
            case CLOSED -> Segments.CLOSED;
            case NULL_ADDRESS -> MemorySegment.NULL;
            case ARRAY, NULL_ARRAY -> throw new AssertionError();
        };
        if (s != null && s.scope().isAlive() && s.isAccessibleBy(Thread.currentThread()) && !s.isReadOnly()
                && source != Source.NULL_ADDRESS) {
            MemorySegment.copy(content, 0, s, ValueLayout.JAVA_BYTE, 0, n);
        }
        return source == Source.HEAP_READ_ONLY ? s.asReadOnly() : s;
    }

    /** Every precondition the arguments break, from the Javadoc of {@link PreparedWeights}. */
    private static List<Violation> violations(int rows, int cols, Source source, byte[] array, MemorySegment segment,
            boolean perChannel, float scale, float[] scales) {
        List<Violation> v = new ArrayList<>();
        if (rows < 0 || rows > PreparedWeights.MAX_ROWS) {
            v.add(new Violation(IllegalArgumentException.class, "rows"));
        }
        if (cols < 0) {
            v.add(new Violation(IllegalArgumentException.class, "cols"));
        }
        long required = (long) rows * cols;
        if (source.segment()) {
            if (segment == null) {
                v.add(new Violation(NullPointerException.class, "weights"));
            } else {
                if (!segment.scope().isAlive()) {
                    v.add(new Violation(IllegalStateException.class, "weights"));
                } else if (!segment.isAccessibleBy(OTHER_THREAD)) {
                    v.add(new Violation(IllegalArgumentException.class, "weights"));
                }
                if (segment.byteSize() != required) {
                    v.add(new Violation(IndexOutOfBoundsException.class, "weights"));
                }
            }
        } else if (array == null) {
            v.add(new Violation(NullPointerException.class, "weights"));
        } else if (array.length != required) {
            v.add(new Violation(IndexOutOfBoundsException.class, "weights"));
        }
        if (!perChannel) {
            if (!validScale(scale)) {
                v.add(new Violation(IllegalArgumentException.class, "scale"));
            }
        } else if (scales == null) {
            v.add(new Violation(NullPointerException.class, "scales"));
        } else if (scales.length != rows) {
            v.add(new Violation(IndexOutOfBoundsException.class, "scales"));
        } else {
            for (float s : scales) {
                if (!validScale(s)) {
                    v.add(new Violation(IllegalArgumentException.class, "scales"));
                    break;
                }
            }
        }
        return v;
    }

    /** Finite and {@code > 0}: not NaN, zero, negative or infinite. */
    private static boolean validScale(float s) {
        return s > 0.0f && s != Float.POSITIVE_INFINITY;
    }

    private static void checkRejection(String entry, RuntimeException e, List<Violation> violations, int rows,
            int cols, Source source) {
        for (Violation v : violations) {
            if (v.type() == e.getClass() && e.getMessage() != null && Outcomes.namesAny(e.getMessage(), v.name())) {
                OUTCOMES.count(entry, e.getClass().getSimpleName());
                return;
            }
        }
        throw new AssertionError(entry + " (rows " + rows + ", cols " + cols + ", source " + source + ") threw " + e
                + ", none of the violated preconditions " + violations, e);
    }

    private static void unchanged(String entry, byte[] weightsBefore, byte[] weightsAfter, float[] scalesBefore,
            float[] scalesAfter) {
        if (!Arrays.equals(weightsBefore, weightsAfter)) {
            throw new AssertionError(entry + " changed the weights it was given");
        }
        if (scalesBefore != null && !Arrays.equals(bits(scalesBefore), bits(scalesAfter))) {
            throw new AssertionError(entry + " changed the scales it was given");
        }
    }

    private static int[] bits(float[] f) {
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    private static void checkPrepared(String where, PreparedWeights p, byte[] weights, int rows, int cols,
            float[] scales, boolean perChannel, boolean isNative) {
        require(p.rows() == rows && p.cols() == cols, where, "shape " + p.rows() + "x" + p.cols());
        require(p.perChannel() == perChannel, where, "perChannel() " + p.perChannel());
        require(p.isNative() == isNative, where, "isNative() " + p.isNative());
        MemorySegment view = p.asSegment();
        require(view.isReadOnly(), where, "asSegment() is writable");
        require(Arrays.equals(weights, view.toArray(ValueLayout.JAVA_BYTE)), where, "asSegment() holds other bytes");
        require(Arrays.equals(bits(scales), bits(p.scales())), where, "scales() " + Arrays.toString(p.scales())
                + ", expected " + Arrays.toString(scales));
        int[] sums = new int[rows];
        PortableTensorUtils.reductionSumVector(weights, sums, rows, cols);
        require(Arrays.equals(sums, p.rowSums()), where, "rowSums() differ from the reference");
        for (int r = 0; r < rows; r++) {
            require(p.rowSum(r) == sums[r], where, "rowSum(" + r + ")");
            float expected = perChannel ? scales[r] : scales[0];
            require(Float.floatToRawIntBits(p.scale(r)) == Float.floatToRawIntBits(expected), where, "scale(" + r + ")");
        }
        if (!perChannel) {
            require(Float.floatToRawIntBits(p.scale()) == Float.floatToRawIntBits(scales[0]), where, "scale()");
        }
        require(p.toString() != null, where, "toString()");
    }

    /** The accessors' own documented exceptions: rows outside {@code [0, rows)}, {@code scale()} per channel. */
    private static void checkAccessorRejections(String where, PreparedWeights p, int rows, boolean perChannel) {
        for (int r : new int[] {-1, rows}) {
            expectThrows(IndexOutOfBoundsException.class, () -> p.rowSum(r), where + ": rowSum(" + r + ")");
            expectThrows(IndexOutOfBoundsException.class, () -> p.scale(r), where + ": scale(" + r + ")");
        }
        if (perChannel) {
            expectThrows(IllegalStateException.class, p::scale, where + ": scale() of per-channel weights");
        }
    }

    private static void require(boolean condition, String where, String what) {
        if (!condition) {
            throw new AssertionError(where + ": " + what);
        }
    }

    private static void expectThrows(Class<? extends RuntimeException> type, Runnable call, String what) {
        try {
            call.run();
        } catch (RuntimeException e) {
            if (e.getClass() == type) {
                return;
            }
            throw new AssertionError(what + " threw " + e + ", expected " + type.getSimpleName(), e);
        }
        throw new AssertionError(what + " did not throw " + type.getSimpleName());
    }
}
