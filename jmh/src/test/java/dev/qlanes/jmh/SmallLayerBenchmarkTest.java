package dev.qlanes.jmh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qlanes.reference.InputQuantizer;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hybrid input floor must do the work it claims: every value scaled, shifted and narrowed with the row's own
 * parameters from the row's own extremes, checked against a scalar model of that (inexact) arithmetic.
 */
class SmallLayerBenchmarkTest {

    @ParameterizedTest
    @CsvSource({"8", "16", "128", "133", "640"})
    void inputFloorQuantizesEveryValueWithTheRowsParameters(int n) {
        SplittableRandom random = new SplittableRandom(n);
        float[] x = Data.floats(random, n, 3.0);
        x[n - 1] = -7.5f; // the minimum in the last lane, so that a scan that stops short gets another scale
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double rmin = InputQuantizer.asymmetricRangeMin(min);
        double rmax = InputQuantizer.asymmetricRangeMax(max);
        double scale = InputQuantizer.asymmetricScale(rmin, rmax);
        float zero = InputQuantizer.asymmetricZeroPoint(rmin, rmax, scale);
        float inverse = InputQuantizer.asymmetricInverse((float) scale);
        byte[] expected = new byte[n];
        for (int i = 0; i < n; i++) {
            expected[i] = (byte) (int) (x[i] * inverse + zero);
        }
        byte[] actual = new byte[n];
        assertEquals(Float.floatToRawIntBits((float) scale),
                Float.floatToRawIntBits(SmallLayerBenchmark.inputFloor(x, n, actual, new float[2])), "scale");
        assertArrayEquals(expected, actual);
    }
}
