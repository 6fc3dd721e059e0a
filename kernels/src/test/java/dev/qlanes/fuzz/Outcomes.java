package dev.qlanes.fuzz;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a fuzz target checked, counted per entry point and outcome ({@code "eval(float[]) ok"},
 * {@code "eval(float[]) IndexOutOfBoundsException"}, ...) and printed when the target's JVM ends, so that a campaign
 * shows it reached both successes (compared with the reference) and each kind of rejection. Also the checks every
 * target makes on a rejection.
 */
final class Outcomes {
    /** Outcome name of a call that succeeded and was compared with its oracle. */
    static final String OK = "ok";

    private final String target;
    private final LongAdder inputs = new LongAdder();
    private final Map<String, LongAdder> counts = new ConcurrentSkipListMap<>();

    Outcomes(String target) {
        this.target = target;
    }

    /** One fuzzer input started. */
    void input() {
        inputs.increment();
    }

    void count(String entry, String outcome) {
        counts.computeIfAbsent(entry + " " + outcome, k -> new LongAdder()).increment();
    }

    /** One line: the target, its inputs, and every (entry point, outcome) with its count. */
    void print() {
        StringBuilder sb = new StringBuilder(target).append(": ").append(inputs.sum()).append(" inputs");
        counts.forEach((k, v) -> sb.append(", ").append(k).append(' ').append(v.sum()));
        System.out.println(sb);
    }

    /**
     * A rejected call is acceptable only when the exception's class is exactly one that the entry point documents
     * ({@code documented}), and its message names one of the arguments it is about ({@code names}, matched as
     * whole words, so {@code "weights.length = 3"} and {@code "scales[2] = NaN"} name {@code weights} and
     * {@code scales}). Counts the outcome; throws an {@link AssertionError} with the exception as cause otherwise.
     */
    void rejected(String entry, RuntimeException e, Set<Class<? extends RuntimeException>> documented,
            String... names) {
        if (!documented.contains(e.getClass())) {
            throw new AssertionError(entry + " threw " + e.getClass().getName() + ", not one it documents "
                    + documented + ": " + e.getMessage(), e);
        }
        String message = e.getMessage();
        if (message == null || !namesAny(message, names)) {
            throw new AssertionError(entry + ": the message of " + e.getClass().getSimpleName() + " names none of "
                    + String.join(", ", names) + ": " + message, e);
        }
        count(entry, e.getClass().getSimpleName());
    }

    /** Whether {@code message} contains one of {@code names} as a whole identifier. */
    static boolean namesAny(String message, String... names) {
        for (String name : names) {
            for (int i = message.indexOf(name); i >= 0; i = message.indexOf(name, i + 1)) {
                int end = i + name.length();
                boolean startOk = i == 0 || !Character.isJavaIdentifierPart(message.charAt(i - 1));
                boolean endOk = end == message.length() || !Character.isJavaIdentifierPart(message.charAt(end));
                if (startOk && endOk) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Same float: equal raw bits, or both NaN (NaN bit patterns differ between platforms, docs/semantics.md §6.11). */
    static boolean sameFloat(float a, float b) {
        return Float.floatToRawIntBits(a) == Float.floatToRawIntBits(b) || (Float.isNaN(a) && Float.isNaN(b));
    }

    /** Index of the first element where the arrays differ by {@link #sameFloat}, -1 if none (lengths must match). */
    static int floatMismatch(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            return Math.min(expected.length, actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (!sameFloat(expected[i], actual[i])) {
                return i;
            }
        }
        return -1;
    }

    static String describe(float f) {
        return f + " (0x" + Integer.toHexString(Float.floatToRawIntBits(f)) + ")";
    }
}
