package dev.qlanes.jmh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qlanes.internal.KernelProvider;
import dev.qlanes.reference.InputQuantizer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The floors must do the work they claim, checked against scalar models of their (inexact) arithmetic: the hybrid
 * input floor scales, shifts and narrows every value with the row's own parameters from the row's own extremes; the
 * int8 output floor computes every dot product exactly and takes each through its bias, its channel's multiply and
 * two roundings that round ties up, the zero point and clamp.
 * The exact stage is checked bit for bit against the reference layer by the benchmark's own setup.
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

    @ParameterizedTest
    @CsvSource({"8, 128", "13, 40", "128, 8", "640, 128", "3, 64", "17, 33"})
    void outputFloorRequantizesEveryExactDotProductWithItsChannelsParameters(int rows, int cols) {
        SplittableRandom random = new SplittableRandom(31L * rows + cols);
        byte[] w = Data.weights(random, rows * cols);
        byte[] x = Data.int8(random, cols);
        int[] dots = Checks.referenceDots(w, rows, cols, x, 1);
        int[] bias = new int[rows];
        int[] multipliers = new int[rows];
        int[] rights = new int[rows];
        for (int r = 0; r < rows; r++) {
            bias[r] = random.nextInt(-50_000, 50_000);
            multipliers[r] = random.nextInt(1 << 30, Integer.MAX_VALUE); // Q31 in [0.5, 1), as TFLite derives them
            rights[r] = random.nextInt(0, 12); // with the multipliers: outputs both inside and beyond the clamp
        }
        rights[rows - 1] = 0; // no second rounding in one lane: a floor that shifted every lane would trip here
        byte[] expected = new byte[rows];
        for (int r = 0; r < rows; r++) {
            int t = (int) (((long) (dots[r] + bias[r]) * multipliers[r] + SmallLayerBenchmark.FLOOR_ROUNDING) >> 31);
            int y = ((t + ((1 << rights[r]) >> 1)) >> rights[r]) + 5;
            expected[r] = (byte) Math.max(Byte.MIN_VALUE, Math.min(Byte.MAX_VALUE, y));
        }
        byte[] actual = new byte[rows + 1];
        actual[rows] = 77; // past the outputs: must stay
        SmallLayerBenchmark.outputFloor(KernelProvider.layerKernels().rows(w, 0, rows, cols), x, new short[cols],
                new int[rows], rows, bias, multipliers, rights, 5, actual);
        assertArrayEquals(expected, Arrays.copyOf(actual, rows));
        assertEquals(77, actual[rows]);
    }

    @ParameterizedTest
    @CsvSource({"128, 8", "8, 128", "13, 40", "3, 64", "17, 33"})
    void hybridFloorScalesEveryExactDotProductOfTheLooselyQuantizedRow(int rows, int cols) {
        SplittableRandom random = new SplittableRandom(37L * rows + cols);
        byte[] w = Data.weights(random, rows * cols);
        float[] x = Data.floats(random, cols, 3.0);
        float[] scales = Data.floats(random, rows, 0.01);
        byte[] q = new byte[cols];
        SmallLayerBenchmark.inputFloor(x, cols, q, new float[2]); // checked on its own above
        int[] dots = Checks.referenceDots(w, rows, cols, q, 1);
        float[] expected = new float[rows + 1];
        for (int r = 0; r < rows; r++) {
            expected[r] = dots[r] * scales[r];
        }
        expected[rows] = 77; // past the outputs: must stay
        float[] actual = new float[rows + 1];
        actual[rows] = 77;
        SmallLayerBenchmark.hybridWholeFloor(KernelProvider.layerKernels().rows(w, 0, rows, cols), x, new byte[cols],
                new float[2], new short[cols], new int[rows], rows, scales, actual);
        Checks.sameBits("hybridWholeFloor " + rows + "x" + cols, expected, actual);
    }

    /** The setup throws unless the layers, the dots and the exact stage (run on a sentinel-filled output) are exact. */
    @ParameterizedTest
    @ValueSource(strings = {"1x128x640", "1x128x128", "1x8x128", "1x128x8", "1x640x128", "1x13x40"})
    void setUpChecksTheExactStageAgainstTheReferenceLayer(String shape) {
        SmallLayerBenchmark benchmark = new SmallLayerBenchmark();
        benchmark.smallShape = shape;
        benchmark.setUp();
        byte[] out = benchmark.quantizedExactStage();
        assertArrayEquals(out.clone(), benchmark.quantizedLayer());
    }
}
