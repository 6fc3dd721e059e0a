package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.Fixtures.VECTOR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qlanes.reference.PortableTensorUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Input quantizers (docs/semantics.md §2.1–§2.3) and {@code IsZeroVector}, {@code VectorScalarMultiply}: same
 * bytes, same scaling-factor bits, same zero points and min/max bits as the reference, for every tail
 * and for the inputs where C++ and Java semantics part ways (NaN, ±Inf, -0.0, subnormals, ties).
 */
class QuantizeKernelTest {

    /** Float profiles, named by the semantic corner they probe. */
    enum Floats {
        GAUSSIAN, ALL_POSITIVE, ALL_NEGATIVE, ALL_ZERO, SIGNED_ZEROS, TIES, WITH_NAN, WITH_INFINITY, SUBNORMAL_RANGE,
        HUGE, SPARSE;

        float[] fill(SplittableRandom random, int n) {
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                double g = random.nextGaussian();
                f[i] = switch (this) {
                    case GAUSSIAN -> (float) (g * 10);
                    case ALL_POSITIVE -> (float) Math.abs(g * 5) + Float.MIN_NORMAL;
                    case ALL_NEGATIVE -> (float) -Math.abs(g * 5) - Float.MIN_NORMAL;
                    case ALL_ZERO -> 0.0f;
                    case SIGNED_ZEROS -> random.nextBoolean() ? -0.0f : (i % 5 == 0 ? (float) g : 0.0f);
                    // halves of a 127 range: v * (127 / 127) lands exactly on .5 ties
                    case TIES -> i == 0 ? 127.0f : (random.nextInt(255) - 127) + (random.nextBoolean() ? 0.5f : 0.0f);
                    case WITH_NAN -> random.nextInt(7) == 0 ? Float.NaN : (float) g;
                    case WITH_INFINITY -> random.nextInt(9) == 0 ? (random.nextBoolean() ? Float.POSITIVE_INFINITY
                            : Float.NEGATIVE_INFINITY) : (float) g;
                    case SUBNORMAL_RANGE -> (float) (g * Float.MIN_VALUE * 100);
                    case HUGE -> (float) (g * 1e38);
                    case SPARSE -> random.nextInt(8) == 0 ? (float) g : 0.0f;
                };
            }
            if (this == TIES) {
                f[0] = 127.0f; // fixes the range at 127 so that inv = 1 and halves stay ties
            }
            return f;
        }
    }

    private static int[] bits(float[] f) {
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    @TestFactory
    List<DynamicTest> quantizersMatchReference() {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (int n : Fixtures.columns(IntLanes.STEP)) {
            for (Floats profile : Floats.values()) {
                int batch = Fixtures.batches()[i % Fixtures.batches().length];
                long seed = Fixtures.SEED + 5000 + i++;
                tests.add(DynamicTest.dynamicTest(profile + " n" + n + " b" + batch, () -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    float[] data = profile.fill(random, batch * n);
                    String where = Fixtures.kernelId("quantize " + profile + " n" + n) + ", case seed " + seed;
                    for (boolean asymmetric : new boolean[] {false, true}) {
                        byte[] expected = Fixtures.padded(new byte[batch * n]);
                        byte[] actual = expected.clone();
                        float[] sfExpected = new float[batch];
                        float[] sfActual = new float[batch];
                        int[] zpExpected = new int[batch];
                        int[] zpActual = new int[batch];
                        PortableTensorUtils.batchQuantizeFloats(data, batch, n, expected, sfExpected, zpExpected,
                                asymmetric);
                        VECTOR.batchQuantizeFloats(data, batch, n, actual, sfActual, zpActual, asymmetric);
                        Fixtures.assertSameBytes(expected, actual, n, where + (asymmetric ? " asymmetric" : ""));
                        assertArrayEquals(bits(sfExpected), bits(sfActual), where + " scaling factors");
                        assertArrayEquals(zpExpected, zpActual, where + " zero points");
                    }
                    byte[] expected = new byte[n];
                    byte[] actual = new byte[n];
                    float[] mmExpected = new float[2];
                    float[] mmActual = new float[2];
                    assertEquals(Float.floatToRawIntBits(PortableTensorUtils.symmetricQuantizeFloats(data, n, expected,
                            mmExpected)), Float.floatToRawIntBits(VECTOR.symmetricQuantizeFloats(data, n, actual,
                            mmActual)), where + " symmetric scale");
                    assertArrayEquals(expected, actual, where + " symmetric bytes");
                    assertArrayEquals(bits(mmExpected), bits(mmActual), where + " [min, max] bits");
                    float min = -Math.abs(data[0]) * 0.5f; // a calibrated range narrower than the data: saturation
                    float max = Math.abs(data[n - 1]) * 0.5f;
                    assertEquals(Float.floatToRawIntBits(PortableTensorUtils.symmetricQuantizeFloats(data, n, expected,
                            min, max)), Float.floatToRawIntBits(VECTOR.symmetricQuantizeFloats(data, n, actual, min,
                            max)), where + " given range scale");
                    assertArrayEquals(expected, actual, where + " given range bytes");
                    int[] zpE = new int[1];
                    int[] zpA = new int[1];
                    assertEquals(Float.floatToRawIntBits(PortableTensorUtils.asymmetricQuantizeFloats(data, n, expected,
                            zpE)), Float.floatToRawIntBits(VECTOR.asymmetricQuantizeFloats(data, n, actual, zpA)),
                            where + " asymmetric scale");
                    assertArrayEquals(expected, actual, where + " asymmetric bytes");
                    assertArrayEquals(zpE, zpA, where + " asymmetric zero point");
                    assertEquals(PortableTensorUtils.isZeroVector(data, n), VECTOR.isZeroVector(data, n),
                            where + " isZeroVector");
                }));
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> vectorScalarMultiplyMatchesReference() {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (int n : Fixtures.columns(IntLanes.STEP)) {
            Fixtures.Bytes profile = Fixtures.Bytes.values()[i % Fixtures.Bytes.values().length];
            long seed = Fixtures.SEED + 6000 + i++;
            tests.add(DynamicTest.dynamicTest(profile + " n" + n, () -> {
                SplittableRandom random = new SplittableRandom(seed);
                byte[] v = profile.fill(random, n);
                float scale = (float) random.nextGaussian() * 0.1f;
                float[] expected = Fixtures.padded(Fixtures.randomFloats(random, n, 1.0));
                float[] actual = expected.clone();
                PortableTensorUtils.vectorScalarMultiply(v, n, scale, expected);
                VECTOR.vectorScalarMultiply(v, n, scale, actual);
                Fixtures.assertSameBits(expected, actual, n, Fixtures.kernelId("vectorScalarMultiply") + ", seed "
                        + seed);
            }));
        }
        return tests;
    }

    /**
     * The two roundings of {@code quantizeRow}: lanes under {@code 2^22} take {@code trunc(t ± nextDown(0.5))}, any
     * other lane sends its whole vector through the general rounding. Every value one ulp either side of a half
     * ({@code inv = 1} through the range 127) must round as {@code std::round} does, also when the same vector holds a
     * lane of the other path: the large and invalid lanes are placed at every position of a 64-value window in turn.
     */
    @org.junit.jupiter.api.Test
    void nearHalvesRoundAsStdRoundBesideLargeAndInvalidLanes() {
        List<Float> near = new ArrayList<>();
        for (int k = -128; k <= 127; k++) {
            float half = k + (k < 0 ? -0.5f : 0.5f);
            near.add(Math.nextDown(half));
            near.add(half);
            near.add(Math.nextUp(half));
        }
        near.add(Math.nextDown(0.5f));
        near.add(-Math.nextDown(0.5f));
        float[] others = {0x1p22f, -0x1p22f, Math.nextDown(0x1p22f), 0x1p31f, -0x1p31f, Float.NaN,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        int n = near.size();
        for (float other : others) {
            for (int at = 0; at < 64; at++) {
                float[] data = new float[n];
                for (int i = 0; i < n; i++) {
                    data[i] = near.get(i);
                }
                data[at * 5 % n] = other;
                byte[] expected = new byte[n];
                byte[] actual = new byte[n];
                String where = Fixtures.kernelId("quantize near halves") + ", " + other + " at " + (at * 5 % n);
                assertEquals(Float.floatToRawIntBits(PortableTensorUtils.symmetricQuantizeFloats(data, n, expected,
                        -127.0f, 127.0f)), Float.floatToRawIntBits(VECTOR.symmetricQuantizeFloats(data, n, actual,
                        -127.0f, 127.0f)), where + " scale");
                assertArrayEquals(expected, actual, where);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void isZeroVectorTreatsNegativeZeroAsZeroAndNaNAsNonZero() {
        for (int n : Fixtures.columns(VectorShapes.FLOATS.length())) {
            float[] zeros = new float[n];
            java.util.Arrays.fill(zeros, -0.0f);
            assertEquals(true, VECTOR.isZeroVector(zeros, n), "all -0.0, n " + n);
            zeros[n - 1] = Float.NaN;
            assertEquals(false, VECTOR.isZeroVector(zeros, n), "NaN last, n " + n);
            zeros[n - 1] = 0.0f;
            zeros[0] = Float.MIN_VALUE;
            assertEquals(false, VECTOR.isZeroVector(zeros, n), "subnormal first, n " + n);
        }
    }

    /**
     * A single non-zero at every position, past the scalar prefix, through the vector steps and into the tail: each
     * part of the test must see it, with the row at an offset as the layers pass it.
     */
    @org.junit.jupiter.api.Test
    void isZeroFindsOneNonZeroAtEveryPosition() {
        int lanes = VectorShapes.FLOATS.length();
        for (int n : new int[] {1, 15, 16, 17, 16 + lanes, 16 + 3 * lanes + 5}) {
            int offset = 3;
            float[] row = new float[offset + n + 2];
            row[offset - 1] = 1.0f; // neighbours outside the row must not count
            row[offset + n] = 1.0f;
            assertEquals(true, VectorLayerKernels.allZero(row, offset, n), "all zero, n " + n);
            for (int p = 0; p < n; p++) {
                row[offset + p] = -Float.MIN_VALUE;
                assertEquals(false, VectorLayerKernels.allZero(row, offset, n), "non-zero at " + p + ", n " + n);
                float[] vector = java.util.Arrays.copyOfRange(row, offset, offset + n);
                assertEquals(false, VECTOR.isZeroVector(vector, n), "isZeroVector, non-zero at " + p + ", n " + n);
                row[offset + p] = 0.0f;
            }
        }
    }
}
