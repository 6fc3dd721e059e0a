package dev.qlanes.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link FullyConnectedQuantization#biasScaleMatches} pins TFLite's rule from {@code GetQuantizedConvolutionMultipler}
 * ({@code tflite/kernels/kernel_util.cc}): {@code scale_diff = |(double) S_in · (double) S_w − (double) S_bias|},
 * {@code TF_LITE_ENSURE(scale_diff / (double) S_out <= 0.02)}: the product in double, the tolerance inclusive and
 * relative to the output scale, NaN failing.
 */
class FullyConnectedQuantizationTest {

    @Test
    void theBiasScaleAConverterWritesIsAccepted() {
        assertTrue(FullyConnectedQuantization.biasScaleMatches(0.05f, 0.01f, 0.05f * 0.01f, 0.2f));
        assertTrue(FullyConnectedQuantization.biasScaleMatches(0.0123f, 0.0045f, (float) (0.0123 * 0.0045), 0.1f));
    }

    @Test
    void toleranceIsInclusiveAndRelativeToTheOutputScale() {
        // S_in · S_w = 1: the bias scale may differ by up to 0.02 · S_out
        assertTrue(FullyConnectedQuantization.biasScaleMatches(1, 1, 1.02f, 1)); // 1.01999998...
        assertFalse(FullyConnectedQuantization.biasScaleMatches(1, 1, Math.nextUp(1.02f), 1));
        assertTrue(FullyConnectedQuantization.biasScaleMatches(1, 1, 0.98f, 1)); // 0.98000001...
        assertFalse(FullyConnectedQuantization.biasScaleMatches(1, 1, Math.nextDown(0.98f), 1));
        // exactly at the bound: 1.0 / 50.0 is the double 0.02, and <= accepts it
        assertEquals(0.02, 1.0 / 50.0);
        assertTrue(FullyConnectedQuantization.biasScaleMatches(1, 1, 2.0f, 50));
        assertFalse(FullyConnectedQuantization.biasScaleMatches(1, 1, Math.nextUp(2.0f), 50));
        assertTrue(FullyConnectedQuantization.biasScaleMatches(1, 1, 1.5f, 25)); // 0.5 / 25 = 0.02
        assertFalse(FullyConnectedQuantization.biasScaleMatches(1, 1, 1.5f, Math.nextDown(25.0f)));
    }

    @Test
    void productIsTakenInDoubleNotRoundedToFloat() {
        float in = 0.1f;
        float w = 0.3f;
        float roundedProduct = in * w; // what a float product would compare against
        double exactProduct = (double) in * (double) w;
        double diff = Math.abs(exactProduct - roundedProduct);
        assertTrue(diff > 0, "0.1f * 0.3f must round in float for this test to mean anything");
        // an output scale so small that the float rounding of the product alone is 3% of it: TFLite rejects
        float tinyOutput = (float) (diff / 0.03);
        assertFalse(FullyConnectedQuantization.biasScaleMatches(in, w, roundedProduct, tinyOutput));
        // at 1% of the output scale it passes
        assertTrue(FullyConnectedQuantization.biasScaleMatches(in, w, roundedProduct, (float) (diff / 0.01)));
    }

    @Test
    void nanAndNonsenseScalesFail() {
        assertFalse(FullyConnectedQuantization.biasScaleMatches(1, 1, Float.NaN, 1));
        assertFalse(FullyConnectedQuantization.biasScaleMatches(Float.NaN, 1, 1, 1));
        assertFalse(FullyConnectedQuantization.biasScaleMatches(1, 1, 1, 0)); // 0 / 0 is NaN
        assertFalse(FullyConnectedQuantization.biasScaleMatches(1, 1, 1.5f, 0)); // +Inf
        assertFalse(FullyConnectedQuantization.biasScaleMatches(1, 1, -1, 1)); // |1 - (-1)| = 2
        assertTrue(FullyConnectedQuantization.biasScaleMatches(1, 1, 1.5f, Float.POSITIVE_INFINITY));
    }
}
