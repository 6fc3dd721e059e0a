package dev.qlanes.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qlanes.Kernels;
import org.junit.jupiter.api.Test;

/**
 * Fails, never skips, when the implementation this fork expects ({@code -Dqlanes.test.expect}, set per surefire
 * execution as in the kernels module) is not the one the runner's layers use, so that a fork meant to check models
 * on the vector kernels cannot quietly check them on the reference.
 */
class RunnerDispatchGuardTest {

    @Test
    void expectedImplementationIsActive() {
        String expect = System.getProperty("qlanes.test.expect", "vector");
        Kernels.Info info = Kernels.info();
        if (expect.startsWith("reference")) {
            assertTrue(!info.vectorized(), "expected the reference, got " + info);
            String because = expect.startsWith("reference:") ? expect.substring("reference:".length()) : "";
            assertTrue(info.reason().contains(because), "expected a reason containing '" + because + "': " + info);
            return;
        }
        assertTrue(info.vectorized(), "expected the vector kernels, got " + info);
        if (expect.startsWith("vector:")) {
            assertEquals(Integer.parseInt(expect.substring("vector:".length())), info.vectorBitSize(), info.toString());
        }
    }
}
