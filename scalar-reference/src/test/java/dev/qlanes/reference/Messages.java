package dev.qlanes.reference;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

/** Assertions on exception messages: they must name the argument (as a whole word) and the values involved. */
final class Messages {
    private Messages() {}

    private static boolean containsWord(String message, String word) {
        return Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(word) + "(?![A-Za-z0-9_])").matcher(message).find();
    }

    /** The message names every one of {@code words} as a whole word (argument names, values, lengths). */
    static void assertNames(Throwable t, String... words) {
        String m = t.getMessage();
        assertNotNull(m, () -> t.getClass().getSimpleName() + " without a message");
        for (String w : words) {
            assertTrue(containsWord(m, w), () -> "message \"" + m + "\" should name \"" + w + "\"");
        }
    }

    static void assertContains(Throwable t, String text) {
        String m = t.getMessage();
        assertNotNull(m, () -> t.getClass().getSimpleName() + " without a message");
        assertTrue(m.contains(text), () -> "message \"" + m + "\" should contain \"" + text + "\"");
    }

    /** A null {@link Rounding} argument: the message names it ("rounding", or the short name "r"). */
    static void assertNamesRounding(Throwable t) {
        String m = t.getMessage();
        assertNotNull(m, () -> t.getClass().getSimpleName() + " without a message");
        assertTrue(m.toLowerCase(java.util.Locale.ROOT).contains("rounding") || containsWord(m, "r"),
                () -> "message \"" + m + "\" should name the rounding argument");
    }
}
