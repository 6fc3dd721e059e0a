package dev.qlanes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Fails, never skips, when the implementation a test run expects is not the one in use: each surefire
 * execution states its expectation in {@code -Dqlanes.test.expect}: {@code vector}, {@code vector:BITS},
 * {@code reference}, or {@code reference:TEXT} (the reason must contain TEXT), so that a run meant to check
 * the vector kernels cannot quietly check the reference.
 */
class DispatchGuardTest {

    @Test
    void expectedImplementationIsActive() {
        String expect = System.getProperty("qlanes.test.expect", "vector");
        Kernels.Info info = Kernels.info();
        if (expect.startsWith("reference")) {
            assertTrue(!info.vectorized(), "expected the reference, got " + info);
            if (expect.startsWith("reference:")) {
                String because = expect.substring("reference:".length());
                assertTrue(info.reason().contains(because), "expected a reason containing '" + because + "': " + info);
            }
            return;
        }
        assertTrue(info.vectorized(), "expected the vector kernels, got " + info);
        if (expect.startsWith("vector:")) {
            int bits = Integer.parseInt(expect.substring("vector:".length()));
            assertEquals(bits, info.vectorBitSize(), info.toString());
        }
    }
}
