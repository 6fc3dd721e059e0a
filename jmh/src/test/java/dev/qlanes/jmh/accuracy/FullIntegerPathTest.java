package dev.qlanes.jmh.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Invariants of the full-integer path: exactness where nothing rounds, the output grid, and calibration. */
class FullIntegerPathTest {

    private static final boolean[] BOTH = {false, true};

    /**
     * With S1 = S2 = S3 = 1 the multiplier is exactly 1 (QuantizeMultiplier gives (2^30, 1), and MBQM of that
     * is the identity), so the int8 output must equal the exact result wherever it is representable and be
     * clipped to the calibrated range elsewhere. The input zero point is -128 and the output zero point -108,
     * so a sign error in either offset, or a mis-scaled bias, shows up.
     */
    @Test
    void unitScalesReproduceTheExactResultInsideTheCalibratedRange() {
        // Inputs calibrated on [0, 255]: S1 = 1, Z1 = -128. Outputs on [-20, 235]: S3 = 1, Z3 = -108.
        FullIntegerPath.Calibration cal = FullIntegerPath.calibrate(new float[] {0, 255}, new double[] {-20, 235});
        assertEquals(new FullIntegerPath.Calibration(1.0f, -128, 1.0f, -108), cal);

        int n = 16;
        int units = 12;
        int batch = 10;
        SplittableRandom random = new SplittableRandom(5);
        float[] weights = new float[units * n];
        float[] bias = new float[units];
        for (int u = 0; u < units; u++) {
            weights[u * n] = 127; // sets S2 = 1 per tensor and per channel; its input column is always 0
            for (int c = 1; c < n; c++) {
                weights[u * n + c] = random.nextInt(-6, 7);
            }
            bias[u] = random.nextInt(-20, 21);
        }
        float[] input = new float[batch * n];
        for (int b = 0; b < batch; b++) {
            for (int c = 1; c < n; c++) {
                input[b * n + c] = random.nextInt(0, 3);
            }
        }
        double[] truth = FloatPath.truth(weights, units, n, bias, input, batch);
        int inside = 0;
        for (boolean perChannel : BOTH) {
            QuantizedWeights w = HybridPathTest.quantize(weights, units, n, perChannel);
            float[] out = FullIntegerPath.run(input, batch, w, bias, cal);
            for (int i = 0; i < out.length; i++) {
                double expected = Math.max(-20, Math.min(235, truth[i]));
                assertEquals(expected, out[i], 0.0, "perChannel=" + perChannel + " index " + i);
                inside += truth[i] == expected ? 1 : 0;
            }
        }
        assertTrue(inside > 0 && inside < 2 * truth.length, "the data must exercise both exact and clipped outputs");
    }

    /** Every dequantized output is one of the 256 values S3·(q − Z3), q ∈ [-128, 127]. */
    @Test
    void outputsLieOnTheCalibratedGrid() {
        LayerCase layer = DataGenerator.generate(64, 32, 16, 16, WeightDistribution.GAUSSIAN, InputDistribution.RELU,
                0.75, 11);
        FullIntegerPath.Calibration cal = FullIntegerPath.calibrate(layer);
        for (boolean perChannel : BOTH) {
            float[] out = FullIntegerPath.run(layer.evaluation(), 16,
                    HybridPathTest.quantize(layer.weights(), 32, 64, perChannel), layer.bias(), cal);
            for (float y : out) {
                long q = Math.round(y / (double) cal.outputScale()) + cal.outputZeroPoint();
                assertTrue(q >= -128 && q <= 127, "q = " + q);
                assertEquals((float) ((double) cal.outputScale() * (q - cal.outputZeroPoint())), y);
            }
        }
    }

    /**
     * The ranges come from the calibration batch alone: evaluation data ten times larger does not move them,
     * and the outputs it produces are clipped at the calibrated maximum.
     */
    @Test
    void calibrationIgnoresTheEvaluationBatchAndLargerValuesClip() {
        LayerCase layer = DataGenerator.generate(64, 32, 16, 16, WeightDistribution.GAUSSIAN, InputDistribution.RELU,
                0.75, 12);
        float[] louder = layer.evaluation().clone();
        for (int i = 0; i < louder.length; i++) {
            louder[i] *= 10;
        }
        LayerCase loud = new LayerCase(64, 32, layer.weightDistribution(), layer.inputDistribution(), layer.weights(),
                layer.bias(), layer.calibration(), 16, louder, 16);
        FullIntegerPath.Calibration cal = FullIntegerPath.calibrate(layer);
        assertEquals(cal, FullIntegerPath.calibrate(loud));

        double[] truth = FloatPath.truth(layer.weights(), 32, 64, layer.bias(), louder, 16);
        assertTrue(cal.clippedFraction(truth) > 0.1, "10× inputs must leave the calibrated range often");
        float[] out = FullIntegerPath.run(louder, 16, QuantizedWeights.perChannel(layer.weights(), 32, 64),
                layer.bias(), cal);
        float max = Float.NEGATIVE_INFINITY;
        for (float y : out) {
            max = Math.max(max, y);
        }
        assertEquals((float) cal.outputMax(), max);
    }
}
