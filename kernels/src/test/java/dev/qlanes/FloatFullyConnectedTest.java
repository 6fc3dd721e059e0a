package dev.qlanes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qlanes.internal.KernelProvider;
import dev.qlanes.internal.ScalarLayerKernels;
import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.ReferenceFloatFullyConnected;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link FloatFullyConnected} against {@link ReferenceFloatFullyConnected#eval}, by raw bits, with every implementation
 * side by side in this JVM: the layer dispatch picked (the vector panels in the vector forks) and the scalar kernels
 * (built inside {@link KernelProvider#buildWith}), both through the same call. Shapes straddle one vector of rows
 * (a whole panel, one row short, one over) and the facade's 256-column panel slices; values include zeros of both
 * signs, NaN, ±Inf, subnormals and magnitudes whose products overflow.
 */
class FloatFullyConnectedTest {
    private static final int[] UNITS = {0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 33, 40};
    private static final int[] INPUTS = {0, 1, 5, 16, 255, 256, 257, 300};
    private static final int[] BATCHES = {0, 1, 2, 5};
    private static final float CANARY = -12345.5f;

    /** The implementations compared with the reference, each as a way to build the layer. */
    private static final List<Implementation> IMPLEMENTATIONS = List.of(
            new Implementation("dispatch (" + KernelProvider.layerKernels().description() + ")", Supplier::get),
            new Implementation("scalar kernels", build -> KernelProvider.buildWith(new ScalarLayerKernels(), build)));

    private record Implementation(String name, java.util.function.Function<Supplier<FloatFullyConnected>,
            FloatFullyConnected> build) {}

    @Test
    void everyImplementationEqualsTheReference() {
        SplittableRandom random = new SplittableRandom(20261206L);
        int checked = 0;
        int k = 0;
        for (int units : UNITS) {
            for (int inputSize : INPUTS) {
                int batch = BATCHES[k % BATCHES.length];
                FusedActivation activation = FusedActivation.values()[k % FusedActivation.values().length];
                boolean withBias = k % 3 != 0;
                k++;
                float[] weights = values(random, units * inputSize);
                float[] bias = withBias ? values(random, units) : null;
                float[] input = values(random, batch * inputSize);
                float[] expected = new float[batch * units + 2];
                Arrays.fill(expected, CANARY);
                ReferenceFloatFullyConnected.eval(input, batch, inputSize, weights, units, bias, activation, expected);
                for (Implementation implementation : IMPLEMENTATIONS) {
                    FloatFullyConnected layer = implementation.build().apply(() -> FloatFullyConnected
                            .builder(weights, units, inputSize).bias(bias).activation(activation).build());
                    float[] actual = new float[expected.length];
                    Arrays.fill(actual, CANARY);
                    layer.eval(input, batch, actual);
                    assertSameBitsOrBothNaN(expected, actual, implementation.name() + ", " + batch + "x" + units + "x"
                            + inputSize + ", bias " + withBias + ", " + activation);
                    checked++;
                }
            }
        }
        assertEquals(UNITS.length * INPUTS.length * IMPLEMENTATIONS.size(), checked);
    }

    /**
     * Raw bits equal, except that a NaN only has to meet a NaN: which NaN a float sum yields is not part of the
     * contract (docs/semantics.md §3.1, §6.11), because x86 returns the first operand's NaN and the JIT may swap the
     * operands of a commutative addition.
     */
    private static void assertSameBitsOrBothNaN(float[] expected, float[] actual, String where) {
        for (int i = 0; i < expected.length; i++) {
            boolean same = Float.isNaN(expected[i]) ? Float.isNaN(actual[i])
                    : Float.floatToRawIntBits(expected[i]) == Float.floatToRawIntBits(actual[i]);
            if (!same) {
                throw new AssertionError(where + ": [" + i + "] expected " + expected[i] + " (0x"
                        + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + "), got " + actual[i] + " (0x"
                        + Integer.toHexString(Float.floatToRawIntBits(actual[i])) + ")");
            }
        }
    }

    /** Copies are taken: changing the caller's arrays after building changes nothing. */
    @Test
    void weightsAndBiasAreCopied() {
        float[] w = {1, 2, 3, 4};
        float[] bias = {0.5f, 0.25f};
        FloatFullyConnected layer = FloatFullyConnected.builder(w, 2, 2).bias(bias).build();
        w[0] = 100;
        bias[0] = 100;
        float[] out = new float[2];
        layer.eval(new float[] {1, 1}, 1, out);
        assertEquals(3.5f, out[0]);
        assertEquals(7.25f, out[1]);
    }

    @Test
    void badArgumentsAreRejectedBeforeAnyOutputIsWritten() {
        FloatFullyConnected layer = FloatFullyConnected.builder(new float[6], 2, 3).build();
        float[] out = {CANARY, CANARY, CANARY, CANARY};
        assertMessage(assertThrows(IllegalArgumentException.class, () -> layer.eval(new float[6], -1, out)), "batch");
        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> layer.eval(new float[5], 2, out)), "input");
        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> layer.eval(new float[6], 2, new float[3])),
                "output");
        assertMessage(assertThrows(NullPointerException.class, () -> layer.eval(null, 1, out)), "input");
        float[] same = new float[8];
        assertMessage(assertThrows(IllegalArgumentException.class, () -> layer.eval(same, 1, same)), "same array");
        assertTrue(Arrays.equals(new float[] {CANARY, CANARY, CANARY, CANARY}, out), "output untouched");
        assertMessage(assertThrows(IndexOutOfBoundsException.class,
                () -> FloatFullyConnected.builder(new float[5], 2, 3)), "units * inputSize");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> FloatFullyConnected.builder(new float[0], -1, 3)), "units");
        assertMessage(assertThrows(IndexOutOfBoundsException.class,
                () -> FloatFullyConnected.builder(new float[6], 2, 3).bias(new float[3])), "bias");
        assertMessage(assertThrows(NullPointerException.class,
                () -> FloatFullyConnected.builder(new float[6], 2, 3).activation(null)), "activation");
    }

    private static void assertMessage(Throwable t, String text) {
        assertTrue(t.getMessage() != null && t.getMessage().contains(text), t + " should mention " + text);
    }

    /** Mostly Gaussian values, with one in eight special. */
    private static float[] values(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (random.nextInt(64)) {
                case 0 -> Float.NaN;
                case 1 -> Float.POSITIVE_INFINITY;
                case 2 -> Float.NEGATIVE_INFINITY;
                case 3 -> -0.0f;
                case 4 -> 0.0f;
                case 5 -> Float.MIN_VALUE * random.nextInt(1, 100);
                case 6 -> 3.0e38f;
                case 7 -> -2.5e38f;
                default -> (float) (random.nextGaussian() * 4);
            };
        }
        return v;
    }
}
