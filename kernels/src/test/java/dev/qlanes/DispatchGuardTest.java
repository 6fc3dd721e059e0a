package dev.qlanes;

import org.junit.jupiter.api.Test;

/**
 * Fails, never skips, when the implementation a test run expects is not the one in use: each surefire
 * execution states its expectation in {@code -Dqlanes.test.expect} ({@link ForkExpectation}): {@code vector},
 * {@code vector:BITS}, {@code reference}, or {@code reference:TEXT} (the reason must contain TEXT), so that a run
 * meant to check the vector kernels cannot quietly check the reference.
 */
class DispatchGuardTest {

    @Test
    void expectedImplementationIsActive() {
        ForkExpectation.assertExpectedImplementation();
    }
}
