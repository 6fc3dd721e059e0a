package dev.qlanes.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every call of the Vector API's shape-changing methods in the kernels ({@code reinterpretAs*}, {@code convert},
 * {@code convertShape}, {@code castShape}, {@code reinterpretShape}) has a receiver cast to its exact class, written
 * as {@code INTS_CLASS.cast(v).reinterpretAsLongs()}. Those methods live in {@code AbstractVector}, shared by every
 * element type and shape, and they dispatch on the receiver inside, at call sites whose type profile therefore holds
 * several classes in any real JVM. Where C2 does not know the receiver's class while it parses (a merged value, a
 * parameter, or any result in a method large enough that C2 delays inlining), it has only that profile, emits a
 * virtual call, and the vector is allocated at every call. Random test orders showed it at 128 bits in three places
 * the allocation tests caught (VectorShapes' comment on {@code INTS_CLASS} has the general rule). The rule is checked
 * here on the source because which compilations go wrong depends on test order and timing.
 */
class ExactReceiverTest {
    /** Surefire runs in the module directory. */
    private static final Path KERNELS = Path.of("src/main/java/dev/qlanes/internal/vector");
    private static final Path TEMPLATES = Path.of("src/template");

    private static final Pattern SHAPE_CHANGE =
            Pattern.compile("\\.(reinterpretAs\\w+|convertShape|convert|castShape|reinterpretShape)\\s*\\(");
    /** What must open the parenthesis that closes just before the call: a cast to a species' class constant. */
    private static final Pattern EXACT_CAST = Pattern.compile("\\b[A-Z][A-Z0-9_]*_CLASS\\s*\\.\\s*cast\\s*$");

    @Test
    void everyShapeChangeHasAnExactReceiver() throws IOException {
        List<String> violations = new ArrayList<>();
        int calls = 0;
        for (Path dir : List.of(KERNELS, TEMPLATES)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.sorted().toList()) {
                    String source = Files.readString(file);
                    calls += SHAPE_CHANGE.matcher(withoutComments(source)).results().count();
                    for (String v : violations(source)) {
                        violations.add(file.getFileName() + ":" + v);
                    }
                }
            }
        }
        assertTrue(calls > 100, "found only " + calls + " shape-changing calls: is " + KERNELS + " still the kernels?");
        assertEquals(List.of(), violations, "receivers not cast to their exact class (see this test's comment)");
    }

    @Test
    void theCheckFlagsUncastReceiversAndOnlyThose() {
        assertEquals(List.of("1: x.reinterpretAsInts()"), violations("x.reinterpretAsInts()"));
        assertEquals(List.of("2: ByteVector.fromArray(B, a, 0).convertShape(B2S, S, 0)"),
                violations("int a;\nByteVector.fromArray(B, a, 0).convertShape(B2S, S, 0)"));
        assertEquals(List.of("1: INTS_CLASS.cast(SHORTS_CLASS.cast(y).add(b).reinterpretAsInts())"),
                violations("INTS_CLASS.cast(SHORTS_CLASS.cast(y).add(b).reinterpretAsInts())"));
        assertEquals(List.of(), violations("INTS_CLASS.cast(SHORTS_CLASS.cast(y.add(b)).reinterpretAsInts())"));
        assertEquals(List.of(), violations("BYTES_HALF_CLASS.cast(ByteVector.fromArray(B, a, f(0)))\n"
                + "        .convertShape(B2S, S, 0)"));
        assertEquals(List.of(), violations("// x.reinterpretAsInts()\n/* y.convert(I2F, 0) */ int z;"));
    }

    /** {@code line: source line} of each shape-changing call in {@code source} whose receiver is not cast. */
    static List<String> violations(String source) {
        String code = withoutComments(source);
        List<String> found = new ArrayList<>();
        Matcher call = SHAPE_CHANGE.matcher(code);
        while (call.find()) {
            int end = call.start() - 1;
            while (end >= 0 && Character.isWhitespace(code.charAt(end))) {
                end--;
            }
            int open = end >= 0 && code.charAt(end) == ')' ? matchingOpen(code, end) : -1;
            if (open < 0 || !EXACT_CAST.matcher(code.substring(Math.max(0, open - 60), open)).find()) {
                int line = (int) code.substring(0, call.start()).chars().filter(c -> c == '\n').count();
                found.add((line + 1) + ": " + source.lines().skip(line).findFirst().orElse("").strip());
            }
        }
        return found;
    }

    /** The index of the parenthesis that {@code code.charAt(close)} closes, or -1. */
    private static int matchingOpen(String code, int close) {
        int depth = 0;
        for (int i = close; i >= 0; i--) {
            char c = code.charAt(i);
            if (c == ')') {
                depth++;
            } else if (c == '(' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The source with comments blanked out, line breaks kept (so that line numbers still hold). */
    private static String withoutComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("//", i) || source.startsWith("@@", i)) { // @@: template comments and directives
                int eol = source.indexOf('\n', i);
                i = eol < 0 ? source.length() : eol;
            } else if (source.startsWith("/*", i)) {
                int close = source.indexOf("*/", i + 2);
                int stop = close < 0 ? source.length() : close + 2;
                source.substring(i, stop).chars().filter(c -> c == '\n').forEach(c -> out.append('\n'));
                i = stop;
            } else {
                out.append(source.charAt(i++));
            }
        }
        return out.toString();
    }
}
