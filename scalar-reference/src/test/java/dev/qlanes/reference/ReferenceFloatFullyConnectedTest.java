package dev.qlanes.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Float FULLY_CONNECTED ({@code reference_ops::FullyConnected} float, via {@code Register_FULLY_CONNECTED_REF}):
 * hand-computed outputs, compared by raw bits, that pin the summation order, the bias added last, the NONE clamp
 * of infinities to FLT_MAX, NaN through every activation, and the zero-fill of an empty filter.
 */
class ReferenceFloatFullyConnectedTest {
    private static final float MAX = Float.MAX_VALUE;
    private static final float NAN = Float.NaN;

    private static void assertBits(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            int k = i;
            if (Float.isNaN(expected[i])) {
                assertTrue(Float.isNaN(actual[i]), () -> "[" + k + "] expected NaN but was " + actual[k]);
            } else {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                        () -> "[" + k + "] expected " + Oracle.bits(expected[k]) + " but was " + Oracle.bits(actual[k]));
            }
        }
    }

    private static float[] eval(float[] input, int batch, int inputSize, float[] weights, int units, float[] bias,
            FusedActivation act) {
        float[] out = new float[batch * units];
        Arrays.fill(out, 777.0f);
        ReferenceFloatFullyConnected.eval(input, batch, inputSize, weights, units, bias, act, out);
        return out;
    }

    @Test
    void smallLayerByHand() {
        // b0: [1, 2]·[0.5, -1] = -1.5, +0.25 = -1.25;  [1, 2]·[2, 0.25] = 2.5, -1 = 1.5
        // b1: [3, 4]·[0.5, -1] = -2.5, +0.25 = -2.25;  [3, 4]·[2, 0.25] = 7,   -1 = 6
        float[] out = eval(new float[] {1, 2, 3, 4}, 2, 2, new float[] {0.5f, -1, 2, 0.25f}, 2,
                new float[] {0.25f, -1}, FusedActivation.NONE);
        assertBits(new float[] {-1.25f, 1.5f, -2.25f, 6f}, out);
        out = eval(new float[] {1, 2, 3, 4}, 2, 2, new float[] {0.5f, -1, 2, 0.25f}, 2, new float[] {0.25f, -1},
                FusedActivation.RELU);
        assertBits(new float[] {0f, 1.5f, 0f, 6f}, out);
        out = eval(new float[] {1, 2, 3, 4}, 2, 2, new float[] {0.5f, -1, 2, 0.25f}, 2, null,
                FusedActivation.RELU_N1_TO_1);
        assertBits(new float[] {-1f, 1f, -1f, 1f}, out); // -1.5, 2.5, -2.5, 7 clamped to [-1, 1]
    }

    @Test
    void sumsColumnsInOrderFromZero() {
        // 1 + 2^27 rounds back to 2^27 (float spacing there is 16), then -2^27 gives 0.
        // Summed backwards it would be (-2^27 + 2^27) + 1 = 1.
        float big = 0x1p27f;
        float[] out = eval(new float[] {1, big, -big}, 1, 3, new float[] {1, 1, 1}, 1, null, FusedActivation.NONE);
        assertBits(new float[] {0f}, out);
    }

    @Test
    void biasIsAddedAfterTheSum() {
        // products 1 + 1 = 2, then 2^24 + 2 = 16777218 (exact). Starting from the bias would give
        // (2^24 + 1) → 2^24 (tie to even), + 1 → 2^24.
        float[] out = eval(new float[] {1, 1}, 1, 2, new float[] {1, 1}, 1, new float[] {0x1p24f}, FusedActivation.NONE);
        assertBits(new float[] {16777218f}, out);
    }

    @Test
    void sumStartsFromPositiveZero() {
        // 0 * -1 = -0.0, and +0.0 + -0.0 = +0.0: the output is +0.0, never -0.0 (bias absent adds +0.0).
        float[] out = eval(new float[] {0}, 1, 1, new float[] {-1}, 1, null, FusedActivation.NONE);
        assertBits(new float[] {0.0f}, out);
        out = eval(new float[] {0}, 1, 1, new float[] {-1}, 1, new float[] {-0.0f}, FusedActivation.NONE);
        assertBits(new float[] {0.0f}, out);
    }

    @Test
    void infinitiesAreClampedToFloatMaxByNoneAndRelu() {
        // 1e30 * 1e30 overflows to +Inf; the units give +Inf and -Inf before the activation.
        float[] in = {1e30f};
        float[] w = {1e30f, -1e30f};
        assertBits(new float[] {MAX, -MAX}, eval(in, 1, 1, w, 2, null, FusedActivation.NONE));
        assertBits(new float[] {MAX, 0f}, eval(in, 1, 1, w, 2, null, FusedActivation.RELU));
        assertBits(new float[] {6f, 0f}, eval(in, 1, 1, w, 2, null, FusedActivation.RELU6));
        assertBits(new float[] {1f, -1f}, eval(in, 1, 1, w, 2, null, FusedActivation.RELU_N1_TO_1));
        // An infinite bias on a finite sum too.
        assertBits(new float[] {-MAX}, eval(new float[] {2}, 1, 1, new float[] {3}, 1,
                new float[] {Float.NEGATIVE_INFINITY}, FusedActivation.NONE));
    }

    @Test
    void nanPassesThroughEveryActivation() {
        // +Inf + -Inf = NaN: std::max(NaN, lo) and std::min(NaN, hi) both return NaN.
        float[] in = {1e30f, 1e30f};
        float[] w = {1e30f, -1e30f};
        for (FusedActivation act : FusedActivation.values()) {
            assertBits(new float[] {NAN}, eval(in, 1, 2, w, 1, null, act));
        }
        // A NaN input too, and a NaN bias.
        for (FusedActivation act : FusedActivation.values()) {
            assertBits(new float[] {NAN}, eval(new float[] {NAN}, 1, 1, new float[] {1}, 1, null, act));
            assertBits(new float[] {NAN}, eval(new float[] {1}, 1, 1, new float[] {1}, 1, new float[] {NAN}, act));
        }
    }

    @Test
    void emptyFilterZeroFillsWhateverBiasAndActivation() {
        float[] out = eval(new float[0], 2, 0, new float[0], 3, new float[] {5, -5, 0.5f}, FusedActivation.RELU6);
        assertBits(new float[6], out);
        out = eval(new float[0], 1, 0, new float[0], 2, new float[] {-7, 7}, FusedActivation.RELU_N1_TO_1);
        assertBits(new float[2], out);
    }

    @Test
    void rejectsBadArgumentsBeforeWriting() {
        float[] out = {9, 9};
        float[] before = out.clone();
        Messages.assertNames(assertThrows(NullPointerException.class, () -> ReferenceFloatFullyConnected.eval(
                null, 1, 1, new float[2], 2, null, FusedActivation.NONE, out)), "input");
        Messages.assertNames(assertThrows(IllegalArgumentException.class, () -> ReferenceFloatFullyConnected.eval(
                new float[1], -1, 1, new float[2], 2, null, FusedActivation.NONE, out)), "batch", "-1");
        Messages.assertNames(assertThrows(IndexOutOfBoundsException.class, () -> ReferenceFloatFullyConnected.eval(
                new float[1], 1, 1, new float[1], 2, null, FusedActivation.NONE, out)), "weights", "1", "2");
        Messages.assertNames(assertThrows(IndexOutOfBoundsException.class, () -> ReferenceFloatFullyConnected.eval(
                new float[1], 1, 1, new float[2], 2, new float[1], FusedActivation.NONE, out)), "bias", "1", "2");
        Messages.assertNames(assertThrows(NullPointerException.class, () -> ReferenceFloatFullyConnected.eval(
                new float[1], 1, 1, new float[2], 2, null, null, out)), "activation");
        Messages.assertNames(assertThrows(IndexOutOfBoundsException.class, () -> ReferenceFloatFullyConnected.eval(
                new float[2], 2, 1, new float[2], 2, null, FusedActivation.NONE, out)), "output", "2", "4");
        assertArrayEquals(before, out);
    }
}
