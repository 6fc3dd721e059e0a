package dev.qlanes.jmh.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The metrics on hand-made vectors whose answers are known in closed form. */
class MetricsTest {

    @Test
    void identicalVectorsHaveNoErrorInfiniteSnrAndCosineExactlyOne() {
        double[] t = {0.5, -3.25, 7.0, 1e-3, -2.0};
        float[] y = {0.5f, -3.25f, 7.0f, (float) 1e-3, -2.0f};
        t[3] = y[3]; // make the reference exactly the float value
        Metrics m = Metrics.compare(t, y);
        assertEquals(0.0, m.maxAbsError());
        assertEquals(0.0, m.relRmsError());
        assertEquals(Double.POSITIVE_INFINITY, m.snrDb());
        assertEquals(1.0, m.cosine()); // exactly: sqrt(fl(s·s)) == s
    }

    @Test
    void handComputedCase() {
        // t = (3, 4), y = (3, 5): e = (0, 1), ‖t‖ = 5, ‖e‖ = 1, t·y = 29, ‖y‖ = √34.
        Metrics m = Metrics.compare(new double[] {3, 4}, new float[] {3, 5});
        assertEquals(1.0, m.maxAbsError());
        assertEquals(0.2, m.relRmsError(), 1e-15);
        assertEquals(10 * Math.log10(25), m.snrDb(), 1e-12);
        assertEquals(29 / (5 * Math.sqrt(34)), m.cosine(), 1e-15);
    }

    @Test
    void snrIsMinusTwentyLog10OfRelativeRms() {
        Metrics m = Metrics.compare(new double[] {1, -2, 3, 0.25}, new float[] {1.1f, -2.2f, 2.7f, 0.5f});
        assertEquals(-20 * Math.log10(m.relRmsError()), m.snrDb(), 1e-9);
    }

    @Test
    void scaledCopyHasCosineOneButFiniteSnr() {
        // y = 2t: the direction is right (cosine 1), the error equals the signal (0 dB).
        Metrics m = Metrics.compare(new double[] {1, -2, 3}, new float[] {2, -4, 6});
        assertEquals(1.0, m.cosine());
        assertEquals(0.0, m.snrDb(), 1e-12);
        assertEquals(1.0, m.relRmsError(), 1e-15);
        assertEquals(3.0, m.maxAbsError());
    }

    @Test
    void negatedCopyHasCosineMinusOne() {
        Metrics m = Metrics.compare(new double[] {1, -2, 3}, new float[] {-1, 2, -3});
        assertEquals(-1.0, m.cosine());
        assertEquals(10 * Math.log10(1.0 / 4.0), m.snrDb(), 1e-12); // ‖e‖² = 4‖t‖²
    }

    @Test
    void zeroVectors() {
        Metrics both = Metrics.compare(new double[] {0, 0}, new float[] {0, 0});
        assertEquals(Double.POSITIVE_INFINITY, both.snrDb());
        assertEquals(1.0, both.cosine());
        Metrics zeroReference = Metrics.compare(new double[] {0, 0}, new float[] {0, 1});
        assertEquals(Double.NEGATIVE_INFINITY, zeroReference.snrDb());
        assertEquals(Double.POSITIVE_INFINITY, zeroReference.relRmsError());
        assertTrue(Double.isNaN(zeroReference.cosine()));
    }

    @Test
    void lengthMismatchIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Metrics.compare(new double[2], new float[3]));
    }
}
