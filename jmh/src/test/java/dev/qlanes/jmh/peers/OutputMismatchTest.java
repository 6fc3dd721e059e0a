package dev.qlanes.jmh.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The mismatch statistic on outputs whose answer is known by hand. */
class OutputMismatchTest {

    @Test
    void int8CountsDifferingOutputsAndTheLargestStep() {
        OutputMismatch m = OutputMismatch.of(new byte[] {1, 2, 3, -128, 127}, new byte[] {1, 4, 3, 127, 126});
        assertEquals(5, m.compared());
        assertEquals(3, m.differing());
        assertEquals(255.0, m.largestDifference()); // -128 against 127: no wrap-around in the difference
        assertEquals(255, m.largestUlps());
        assertEquals(1, m.firstIndex());
        assertEquals("3 of 5 outputs differ (60.00 %), largest difference 255 (255 ulp), first at index 1",
                m.describe());
    }

    @Test
    void equalOutputsAreExact() {
        OutputMismatch m = OutputMismatch.of(new byte[] {7, -7}, new byte[] {7, -7});
        assertTrue(m.exact());
        assertEquals(-1, m.firstIndex());
        assertEquals("all 2 outputs equal", m.describe());
        assertTrue(OutputMismatch.of(new float[] {Float.NaN, 1f}, new float[] {Float.NaN, 1f}).exact());
    }

    @Test
    void floatsDifferByRawBitsAndCountUlpsAcrossZero() {
        float tiny = Float.MIN_VALUE;
        OutputMismatch m = OutputMismatch.of(new float[] {0.0f, 1.0f, -tiny, 3f},
                new float[] {-0.0f, Math.nextUp(1.0f), tiny, 3f});
        assertEquals(3, m.differing()); // -0.0 and 0.0 differ in their bits
        assertEquals(0, m.firstIndex());
        assertEquals(2, m.largestUlps()); // -MIN_VALUE, 0, MIN_VALUE
        assertEquals(Math.ulp(1.0f), m.largestDifference());
    }

    @Test
    void nanAgainstANumberIsTheLargestDifference() {
        OutputMismatch m = OutputMismatch.of(new float[] {1f, 2f}, new float[] {Float.NaN, 2f});
        assertEquals(1, m.differing());
        assertEquals(Double.POSITIVE_INFINITY, m.largestDifference());
        assertEquals(Long.MAX_VALUE, m.largestUlps());
    }

    @Test
    void lengthsMustMatch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OutputMismatch.of(new byte[3], new byte[2]));
        assertTrue(e.getMessage().contains("actual.length = 2"), e.getMessage());
        assertThrows(NullPointerException.class, () -> OutputMismatch.of((float[]) null, new float[0]));
    }
}
