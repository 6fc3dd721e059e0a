package dev.qlanes.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.Jazzer;
import com.code_intelligence.jazzer.driver.FuzzedDataProviderImpl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What a fuzz target checked, counted per entry point and outcome ({@code "eval(float[]) ok"},
 * {@code "eval(float[]) IndexOutOfBoundsException"}, ...) and printed when the target's JVM ends, so that a campaign
 * shows it reached both successes (compared with the reference) and each kind of rejection. Also the checks every
 * target makes on a rejection.
 *
 * <p><b>The regression corpus.</b> When the target's class ends ({@link #finish}), the outcomes it must reach are
 * checked: replaying the checked-in inputs alone (every build) has to reach each of them, or the corpus, or the way
 * the target reads the fuzzer's data, no longer exercises what it should. With {@code -Dqlanes.fuzz.selectCorpus=true}
 * a regression run (no {@code JAZZER_FUZZ}; Jazzer then replays the checked-in inputs and the generated corpus in
 * {@code .cifuzz-corpus}) rewrites the checked-in {@code seed-*} inputs instead: smallest first, each input that
 * reaches an (entry point, outcome) none of the inputs kept before reached, each input run again on its own to see what
 * it reaches (the counts Jazzer's replay leaves do not tell the inputs apart reliably).
 */
final class Outcomes {
    /** Outcome name of a call that succeeded and was compared with its oracle. */
    static final String OK = "ok";
    private static final boolean SELECT = Boolean.getBoolean("qlanes.fuzz.selectCorpus");

    private final String target;
    private final LongAdder inputs = new LongAdder();
    private final Map<String, LongAdder> counts = new ConcurrentSkipListMap<>();
    /** Selecting: every input Jazzer ran; whether they are being run again to choose among them. */
    private final List<byte[]> candidates = new ArrayList<>();
    private boolean reselecting;

    Outcomes(String target) {
        this.target = target;
    }

    /** One fuzzer input started; selecting, its bytes are kept as a candidate for the regression corpus. */
    void input(FuzzedDataProvider data) {
        inputs.increment();
        if (SELECT && !reselecting && data instanceof FuzzedDataProviderImpl impl && impl.getJavaData() != null) {
            candidates.add(impl.getJavaData().clone());
        }
    }

    /**
     * Ends the target's run: prints the counts; then, selecting, rewrites the checked-in inputs under
     * {@code src/test/resources/<inputs>} (running each candidate again through {@code target}, one at a time, to see
     * what it reaches), else checks that every outcome in {@code required} (each a prefix of an
     * "entry point outcome" key) was reached.
     */
    void finish(String inputs, List<String> required, Consumer<FuzzedDataProvider> target) {
        print();
        Set<String> reached = SELECT ? select(Path.of("src/test/resources", inputs), target) : snapshot().keySet();
        List<String> missing = required.stream().filter(r -> reached.stream().noneMatch(k -> k.startsWith(r)))
                .toList();
        if (!missing.isEmpty()) {
            throw new AssertionError(this.target + " never reached " + missing + " (reached: " + reached + "). The "
                    + "regression corpus in " + inputs + " should reach them all: fuzz, then rerun with "
                    + "-Dqlanes.fuzz.selectCorpus=true (docs/fuzzing.md)");
        }
    }

    /** What one input reaches: the keys whose counts it increases. */
    private Set<String> run(byte[] input, Consumer<FuzzedDataProvider> target) {
        Map<String, Long> before = snapshot();
        try (FuzzedDataProviderImpl data = FuzzedDataProviderImpl.withJavaData(input)) {
            target.accept(data);
        }
        Set<String> added = new TreeSet<>();
        snapshot().forEach((k, v) -> {
            if (v > before.getOrDefault(k, 0L)) {
                added.add(k);
            }
        });
        return added;
    }

    /** Keeps, smallest first, each candidate that reaches a key none kept before reached; returns what they reach. */
    private Set<String> select(Path dir, Consumer<FuzzedDataProvider> target) {
        reselecting = true;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.filter(p -> p.getFileName().toString().startsWith("seed-")).toList()) {
                    Files.delete(p);
                }
            }
            List<byte[]> sorted = new ArrayList<>(candidates);
            sorted.sort(Comparator.comparingInt((byte[] b) -> b.length).thenComparing(b -> HexFormat.of().formatHex(b)));
            Set<String> kept = new TreeSet<>();
            List<byte[]> chosen = new ArrayList<>();
            for (byte[] input : sorted) {
                Set<String> added = run(input, target);
                if (!kept.containsAll(added)) {
                    kept.addAll(added);
                    chosen.add(input);
                    Files.write(dir.resolve("seed-" + sha1(input)), input);
                }
            }
            // The kept inputs again, on their own: what the regression replay will reach.
            Set<String> replayed = new TreeSet<>();
            for (byte[] input : chosen) {
                replayed.addAll(run(input, target));
            }
            System.out.println(this.target + ": kept " + chosen.size() + " of " + sorted.size() + " inputs in " + dir
                    + ", reaching " + replayed);
            return replayed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            reselecting = false;
        }
    }

    private static String sha1(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Counts one outcome. Each (entry point, outcome) is also a state for the fuzzer to explore: several entry points
     * reject through the same shared check, so coverage alone would keep one input for all of them, and the corpus
     * would not hold an input for each pair that the regression check asks for.
     */
    void count(String entry, String outcome) {
        String key = entry + " " + outcome;
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
        int h = key.hashCode();
        Jazzer.exploreState((byte) h, h >>> 8);
    }

    /** The count of every (entry point, outcome) reached so far. */
    Map<String, Long> snapshot() {
        Map<String, Long> m = new java.util.TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.sum()));
        return m;
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
