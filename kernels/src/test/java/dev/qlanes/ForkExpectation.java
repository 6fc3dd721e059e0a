package dev.qlanes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each surefire execution expects dispatch to pick, from {@code -Dqlanes.test.expect} ({@code kernels/pom.xml}):
 * {@code vector}, {@code vector:BITS}, {@code reference}, or {@code reference:TEXT} (the reason must contain TEXT).
 * Tests that compare "whatever runs" with the reference assert it first, so that a fork meant to check the vector
 * kernels cannot quietly compare the reference with itself.
 */
final class ForkExpectation {
    private ForkExpectation() {}

    /** The raw expectation; {@code vector} when the property is unset (a run from an IDE). */
    static String expected() {
        return System.getProperty("qlanes.test.expect", "vector");
    }

    /** Whether this fork expects the Vector API kernels. */
    static boolean expectsVector() {
        return !expected().startsWith("reference");
    }

    /** Fails unless {@link Kernels#info()} is what this fork expects; returns it. */
    static Kernels.Info assertExpectedImplementation() {
        String expect = expected();
        Kernels.Info info = Kernels.info();
        if (expect.startsWith("reference")) {
            assertTrue(!info.vectorized(), "expected the reference, got " + info);
            if (expect.startsWith("reference:")) {
                String because = expect.substring("reference:".length());
                assertTrue(info.reason().contains(because), "expected a reason containing '" + because + "': " + info);
            }
            return info;
        }
        assertTrue(info.vectorized(), "expected the vector kernels, got " + info);
        if (expect.startsWith("vector:")) {
            int bits = Integer.parseInt(expect.substring("vector:".length()));
            assertEquals(bits, info.vectorBitSize(), info.toString());
        }
        return info;
    }
}
