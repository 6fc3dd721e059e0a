package dev.qlanes.jmh.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.ReferenceQuantizedFullyConnected;
import dev.qlanes.reference.Rounding;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The XNNPACK binding against an independent Java model of what its operators compute, and its distance from
 * TFLite's reference through {@link OutputMismatch}. The qs8 cases use power-of-two scales, so that XNNPACK's float
 * requantization ({@code rint(fl32(acc)·s)}, round half to even) is exact and the model can be compared bit for bit.
 *
 * <p>Where XNNPACK is not installed these tests are reported as aborted with the reason; where it is installed but
 * cannot be used (another version, missing symbols) they fail. Argument checks need no library and always run.
 */
class XnnpackFullyConnectedTest {

    private static final int BATCH = 5;
    private static final int UNITS = 37; // not a multiple of any tile width
    private static final int INPUT_SIZE = 70; // not a multiple of 8 or 16: the over-read margin is exercised
    private static final int INPUT_ZERO_POINT = -3;
    private static final int OUTPUT_ZERO_POINT = 5;

    @BeforeAll
    static void report() {
        System.out.println("[xnnpack] " + (Xnnpack.available() ? "available as " + Xnnpack.libraryName()
                : "unavailable: " + Xnnpack.unavailableReason()));
    }

    private static void requireXnnpack() {
        if (Xnnpack.available()) {
            return;
        }
        if (!Xnnpack.installed()) {
            Assumptions.abort("XNNPACK not installed: " + Xnnpack.unavailableReason());
        }
        fail("XNNPACK installed but unusable: " + Xnnpack.unavailableReason());
    }

    /** {@code acc = bias + Σ w·(x − zp)} exactly, then {@code clamp(rint(acc·scale) + zp)}; exact for 2^-k scales. */
    private static byte[] qs8Model(byte[] x, byte[] w, int[] bias, double scale) {
        byte[] out = new byte[BATCH * UNITS];
        for (int b = 0; b < BATCH; b++) {
            for (int u = 0; u < UNITS; u++) {
                long acc = bias[u];
                for (int c = 0; c < INPUT_SIZE; c++) {
                    acc += (long) w[u * INPUT_SIZE + c] * (x[b * INPUT_SIZE + c] - INPUT_ZERO_POINT);
                }
                double q = Math.rint(acc * scale) + OUTPUT_ZERO_POINT;
                out[b * UNITS + u] = (byte) Math.max(-128, Math.min(127, q));
            }
        }
        return out;
    }

    private static byte[] reference(byte[] x, byte[] w, int[] bias, float inputScale, float weightScale,
            float outputScale) {
        byte[] out = new byte[BATCH * UNITS];
        ReferenceQuantizedFullyConnected.eval(x, BATCH, INPUT_SIZE, inputScale, INPUT_ZERO_POINT, w, UNITS,
                weightScale, null, bias, outputScale, OUTPUT_ZERO_POINT, FusedActivation.NONE,
                Rounding.DOUBLE_ROUNDING, out);
        return out;
    }

    private static byte[] xnnpack(byte[] x, byte[] w, int[] bias, float inputScale, float weightScale,
            float outputScale) {
        byte[] out = new byte[BATCH * UNITS];
        try (XnnpackFullyConnected fc = XnnpackFullyConnected.qs8(w, UNITS, INPUT_SIZE, bias, inputScale,
                INPUT_ZERO_POINT, weightScale, outputScale, OUTPUT_ZERO_POINT, BATCH)) {
            fc.run(x, out);
        }
        return out;
    }

    private static byte[] bytes(SplittableRandom random, int n, int min, int max) {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            a[i] = (byte) random.nextInt(min, max + 1);
        }
        return a;
    }

    private static int[] ints(SplittableRandom random, int n, int range) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextInt(-range, range + 1);
        }
        return a;
    }

    @Test
    void qs8FullRangeEqualsTheFloatRequantizationModel() {
        requireXnnpack();
        SplittableRandom random = new SplittableRandom(11);
        byte[] x = bytes(random, BATCH * INPUT_SIZE, -128, 127);
        byte[] w = bytes(random, UNITS * INPUT_SIZE, -127, 127);
        int[] bias = ints(random, UNITS, 1 << 14);
        // s = 0.5 · 2^-5 / 16 = 2^-10: outputs spread over about ±40 steps, few saturate
        byte[] got = xnnpack(x, w, bias, 0.5f, 0x1p-5f, 16f);
        byte[] model = qs8Model(x, w, bias, 0x1p-10);
        assertArrayEquals(model, got);
        assertTrue(java.util.stream.IntStream.range(0, got.length).map(i -> got[i]).distinct().count() > 30,
                "outputs should spread over the int8 range");
        OutputMismatch m = OutputMismatch.of(reference(x, w, bias, 0.5f, 0x1p-5f, 16f), got);
        System.out.println("[xnnpack] qs8 full range vs TFLite reference: " + m);
        assertEquals(BATCH * UNITS, m.compared());
        assertTrue(m.largestDifference() <= 1, m::describe);
    }

    @Test
    void qs8TiesAreRoundedToEvenWhereTfliteRoundsThemOtherwise() {
        requireXnnpack();
        SplittableRandom random = new SplittableRandom(12);
        // small operands and s = 1/2: about half the accumulators are odd, i.e. ties
        byte[] x = bytes(random, BATCH * INPUT_SIZE, -6, 0);
        byte[] w = bytes(random, UNITS * INPUT_SIZE, -3, 3);
        int[] bias = ints(random, UNITS, 8);
        byte[] got = xnnpack(x, w, bias, 0.5f, 0.5f, 0.5f);
        byte[] model = qs8Model(x, w, bias, 0.5);
        assertArrayEquals(model, got);
        byte[] reference = reference(x, w, bias, 0.5f, 0.5f, 0.5f);
        OutputMismatch m = OutputMismatch.of(reference, got);
        System.out.println("[xnnpack] qs8 ties vs TFLite reference: " + m);
        assertEquals(OutputMismatch.of(reference, model), m);
        assertTrue(m.differing() > 10, m::describe);
        assertEquals(1.0, m.largestDifference());
    }

    @Test
    void f32IsAFloatGemmWithinRoundingOfTheExactSum() {
        requireXnnpack();
        SplittableRandom random = new SplittableRandom(13);
        float[] x = new float[BATCH * INPUT_SIZE];
        float[] w = new float[UNITS * INPUT_SIZE];
        float[] bias = new float[UNITS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian() * 0.1f;
        }
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) random.nextGaussian();
        }
        float[] got = new float[BATCH * UNITS];
        try (XnnpackFullyConnected fc = XnnpackFullyConnected.f32(w, UNITS, INPUT_SIZE, bias, BATCH)) {
            fc.run(x, got);
        }
        for (int b = 0; b < BATCH; b++) {
            for (int u = 0; u < UNITS; u++) {
                double exact = bias[u];
                double magnitude = Math.abs(bias[u]);
                for (int c = 0; c < INPUT_SIZE; c++) {
                    exact += (double) w[u * INPUT_SIZE + c] * x[b * INPUT_SIZE + c];
                    magnitude += Math.abs((double) w[u * INPUT_SIZE + c] * x[b * INPUT_SIZE + c]);
                }
                // a float sum of n terms in any order is within n·eps·Σ|terms| of the exact sum
                double bound = (INPUT_SIZE + 1) * 0x1p-24 * magnitude;
                float g = got[b * UNITS + u];
                assertTrue(Math.abs(g - exact) <= bound,
                        "(" + b + ", " + u + "): " + g + " vs exact " + exact + ", bound " + bound);
            }
        }
    }

    @Test
    void runAgainGivesTheSameOutputAndCloseIsFinal() {
        requireXnnpack();
        SplittableRandom random = new SplittableRandom(14);
        byte[] x = bytes(random, BATCH * INPUT_SIZE, -128, 127);
        byte[] w = bytes(random, UNITS * INPUT_SIZE, -127, 127);
        XnnpackFullyConnected fc = XnnpackFullyConnected.qs8(w, UNITS, INPUT_SIZE, null, 0.5f, INPUT_ZERO_POINT,
                0x1p-5f, 16f, OUTPUT_ZERO_POINT, BATCH);
        byte[] first = new byte[BATCH * UNITS];
        fc.run(x, first);
        fc.output().fill((byte) 0x5a);
        fc.run(); // the input written above is still there
        assertArrayEquals(first, fc.output().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        assertArrayEquals(qs8Model(x, w, new int[UNITS], 0x1p-10), first);
        assertThrows(IllegalArgumentException.class, () -> fc.run(new float[BATCH * INPUT_SIZE],
                new float[BATCH * UNITS]));
        fc.close();
        fc.close();
        assertThrows(IllegalStateException.class, fc::run);
    }

    @Test
    void badArgumentsAreRejectedBeforeAnyNativeCall() {
        byte[] w = new byte[UNITS * INPUT_SIZE];
        assertMessage(IllegalArgumentException.class, "inputZeroPoint = 128", () -> XnnpackFullyConnected.qs8(w,
                UNITS, INPUT_SIZE, null, 1f, 128, 1f, 1f, 0, 1));
        assertMessage(IllegalArgumentException.class, "outputZeroPoint = -129", () -> XnnpackFullyConnected.qs8(w,
                UNITS, INPUT_SIZE, null, 1f, 0, 1f, 1f, -129, 1));
        assertMessage(IllegalArgumentException.class, "weightScale = NaN", () -> XnnpackFullyConnected.qs8(w,
                UNITS, INPUT_SIZE, null, 1f, 0, Float.NaN, 1f, 0, 1));
        assertMessage(IllegalArgumentException.class, "outputScale = 0.0", () -> XnnpackFullyConnected.qs8(w,
                UNITS, INPUT_SIZE, null, 1f, 0, 1f, 0f, 0, 1));
        assertMessage(IllegalArgumentException.class, "batch = 0", () -> XnnpackFullyConnected.qs8(w,
                UNITS, INPUT_SIZE, null, 1f, 0, 1f, 1f, 0, 0));
        assertMessage(IndexOutOfBoundsException.class, "weights.length = 2590", () -> XnnpackFullyConnected.qs8(w,
                UNITS + 1, INPUT_SIZE, null, 1f, 0, 1f, 1f, 0, 1));
        assertMessage(IndexOutOfBoundsException.class, "bias.length = 3", () -> XnnpackFullyConnected.qs8(w,
                UNITS, INPUT_SIZE, new int[3], 1f, 0, 1f, 1f, 0, 1));
        assertMessage(IllegalArgumentException.class, "units = 0", () -> XnnpackFullyConnected.f32(new float[0],
                0, INPUT_SIZE, null, 1));
        assertMessage(NullPointerException.class, "weights", () -> XnnpackFullyConnected.f32(null,
                UNITS, INPUT_SIZE, null, 1));
    }

    @Test
    void unsupportedParametersNameXnnpacksStatus() {
        requireXnnpack();
        // XNNPACK refuses requantization scales of 256 and more
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> XnnpackFullyConnected.qs8(
                new byte[UNITS * INPUT_SIZE], UNITS, INPUT_SIZE, null, 1f, 0, 1024f, 1f, 0, 1));
        assertTrue(e.getMessage().contains("xnn_create_fully_connected_nc_qs8 returned xnn_status"), e.getMessage());
    }

    private static void assertMessage(Class<? extends Throwable> type, String fragment,
            org.junit.jupiter.api.function.Executable call) {
        Throwable t = assertThrows(type, call);
        assertTrue(String.valueOf(t.getMessage()).contains(fragment), () -> "expected \"" + fragment + "\" in: "
                + t.getMessage());
    }
}
