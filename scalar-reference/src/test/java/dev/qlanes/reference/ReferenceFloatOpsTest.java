package dev.qlanes.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Float RELU, RELU_N1_TO_1, RELU6, LOGISTIC, TANH, SOFTMAX, ADD and MUL ({@link ReferenceFloatOps}). Expected
 * values are written by hand or computed here with independent code: {@link Math#exp}/{@link Math#tanh} instead of
 * the {@code StrictMath} the implementation uses, explicit loops over coordinates instead of strides. Floats are
 * compared by raw bits (NaN by NaN-ness).
 */
class ReferenceFloatOpsTest {
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;
    private static final float MAX = Float.MAX_VALUE;

    static void assertBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            int k = i;
            if (Float.isNaN(expected[i])) {
                assertTrue(Float.isNaN(actual[i]), () -> what + " [" + k + "] expected NaN but was " + actual[k]);
            } else {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                        () -> what + " [" + k + "] expected " + Oracle.bits(expected[k]) + " but was "
                                + Oracle.bits(actual[k]));
            }
        }
    }

    @FunctionalInterface
    interface Unary {
        void run(float[] in, float[] out, int n);
    }

    private static float[] unary(Unary op, float... in) {
        float[] out = new float[in.length + 1];
        out[in.length] = 42.0f; // canary past n
        op.run(in, out, in.length);
        assertEquals(42.0f, out[in.length], "wrote past n");
        return Arrays.copyOf(out, in.length);
    }

    // ------------------------------------------------------------------ the three RELUs

    @Test
    void reluKeepsNanAndNegativeZeroAndDoesNotClampInfinity() {
        float[] out = unary(ReferenceFloatOps::relu, -1f, 0f, -0.0f, 2.5f, NAN, INF, -INF, Float.MIN_VALUE,
                -Float.MIN_VALUE);
        // (x < 0) ? 0 : x — a standalone RELU has no FLT_MAX bound, unlike the fused one.
        assertBits(new float[] {0f, 0f, -0.0f, 2.5f, NAN, INF, 0f, Float.MIN_VALUE, 0f}, out, "relu");
    }

    @Test
    void reluN1To1KeepsNanAndNegativeZero() {
        float[] out = unary(ReferenceFloatOps::reluN1To1, -2f, -1f, -0.0f, 0.5f, 1f, 2f, NAN, INF, -INF);
        assertBits(new float[] {-1f, -1f, -0.0f, 0.5f, 1f, 1f, NAN, 1f, -1f}, out, "reluN1To1");
    }

    @Test
    void relu6TurnsNanIntoZeroAndNegativeZeroIntoPositiveZero() {
        // std::min(std::max(0.f, x), 6.f): the constant comes first, so NaN and -0.0 both yield +0.0.
        float[] out = unary(ReferenceFloatOps::relu6, -1f, -0.0f, 3f, 6f, 7f, NAN, INF, -INF);
        assertBits(new float[] {0f, 0.0f, 3f, 6f, 6f, 0.0f, 6f, 0f}, out, "relu6");
    }

    @Test
    void unaryOpsWorkInPlace() {
        float[] v = {-1f, 0.5f, 9f};
        ReferenceFloatOps.relu6(v, v, 3);
        assertBits(new float[] {0f, 0.5f, 6f}, v, "relu6 in place");
    }

    // ------------------------------------------------------------------ LOGISTIC, TANH

    /** The reference formula with explicit float steps and {@link Math#exp}, no clamp (it cannot change a float result). */
    private static float logisticOracle(float x) {
        float negated = -x;
        float e = (float) Math.exp(negated);
        float denominator = 1.0f + e;
        return 1.0f / denominator;
    }

    @Test
    void logisticSpecialValues() {
        float[] out = unary(ReferenceFloatOps::logistic, 0f, -0.0f, INF, -INF, NAN, 200f, -200f, -88.8f);
        // 0 → 1/(1+1) = 0.5; +Inf (clamped to 100) → 1/(1 + 3.7e-44) = 1; -Inf (clamped to -100) → 1/(1+Inf) = 0;
        // e^88.8 ≈ 3.6e38 overflows float, so -88.8 → 0 as well.
        assertBits(new float[] {0.5f, 0.5f, 1f, 0f, NAN, 1f, 0f, 0f}, out, "logistic");
    }

    @Test
    void logisticRoundsEachFloatStep() {
        // For these inputs the float steps 1 + e and 1 / (...) give a different float than the correctly rounded
        // 1 / (1 + e^-x) computed in double: the reference's float order is observable.
        float[] xs = {Float.intBitsToFloat(0xc0663174), Float.intBitsToFloat(0x40cb5999), 0.75f, -5f, 12.5f};
        float[] expected = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            expected[i] = logisticOracle(xs[i]);
        }
        assertNotEquals(expected[0], (float) (1.0 / (1.0 + Math.exp(-(double) xs[0]))), "the case must discriminate");
        assertNotEquals(expected[1], (float) (1.0 / (1.0 + Math.exp(-(double) xs[1]))), "the case must discriminate");
        assertBits(expected, unary(ReferenceFloatOps::logistic, xs), "logistic");
    }

    @Test
    void tanhSpecialValuesAndTypicalOnes() {
        float[] out = unary(ReferenceFloatOps::tanh, 0f, -0.0f, INF, -INF, NAN, 20f, -20f, 0.5f, -1.25f, 3e-8f);
        float[] expected = {0f, -0.0f, 1f, -1f, NAN, 1f, -1f, (float) Math.tanh(0.5), (float) Math.tanh(-1.25),
            3e-8f};
        assertBits(expected, out, "tanh");
    }

    // ------------------------------------------------------------------ SOFTMAX

    /**
     * Softmax of one row by the formula: the maximum is the largest non-NaN element found by sorting (at least
     * -FLT_MAX, the reference's starting value), then the float steps with {@link Math#exp}.
     */
    private static float[] softmaxOracle(float[] row, float beta) {
        float[] sorted = new float[row.length];
        int count = 0;
        for (float x : row) {
            if (!Float.isNaN(x)) {
                sorted[count++] = x;
            }
        }
        Arrays.sort(sorted, 0, count);
        float max = count == 0 || sorted[count - 1] < -MAX ? -MAX : sorted[count - 1];
        float[] e = new float[row.length];
        float sum = 0.0f;
        for (int c = 0; c < row.length; c++) {
            float shifted = row[c] - max;
            float scaled = shifted * beta;
            e[c] = (float) Math.exp(scaled);
            sum = sum + e[c];
        }
        float[] out = new float[row.length];
        for (int c = 0; c < row.length; c++) {
            out[c] = e[c] / sum;
        }
        return out;
    }

    private static float[] softmax(float beta, float... row) {
        float[] out = new float[row.length];
        ReferenceFloatOps.softmax(row, 1, row.length, beta, out);
        return out;
    }

    @Test
    void softmaxByHand() {
        assertBits(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, softmax(1f, 3f, 3f, 3f, 3f), "equal");
        // beta = 0: every e is exp(0) = 1, the sum 3, each output fl32(1/3).
        assertBits(new float[] {1f / 3f, 1f / 3f, 1f / 3f}, softmax(0f, -5f, 0f, 7f), "beta 0");
        // Large inputs: the maximum is subtracted first, so 1000 and 1e30 do not overflow.
        assertBits(new float[] {0.5f, 0.5f}, softmax(1f, 1000f, 1000f), "large equal");
        assertBits(new float[] {1f, 0f}, softmax(1f, 1e30f, 0f), "1e30 vs 0");
        assertBits(new float[] {0f, 1f}, softmax(1f, -INF, 0f), "-Inf element");
    }

    @Test
    void softmaxAppliesBetaAfterSubtractingTheMaximum() {
        assertBits(softmaxOracle(new float[] {0f, 0.5f}, 2f), softmax(2f, 0f, 0.5f), "beta 2");
        // Here (x - max) * beta and x * beta - max * beta differ in float, and so do their exponentials.
        float x = 1.5957803f;
        float m = 19.398653f;
        float beta = 1.7622168f;
        assertNotEquals((float) Math.exp((x - m) * beta), (float) Math.exp(x * beta - m * beta), "must discriminate");
        assertBits(softmaxOracle(new float[] {x, m}, beta), softmax(beta, x, m), "beta after subtraction");
        assertBits(softmaxOracle(new float[] {0.1f, -2f, 3.25f, 0.7f}, 0.37f), softmax(0.37f, 0.1f, -2f, 3.25f, 0.7f),
                "typical");
        // The last step divides: here e / sum and e * (1 / sum) differ in the last bit of the third output.
        float[] oracle = softmaxOracle(new float[] {1.75f, 1.5f, 0f}, 1f);
        float e2 = (float) Math.exp(-1.75f);
        float sum = 1f + (float) Math.exp(-0.25f) + e2;
        assertNotEquals(e2 / sum, e2 * (1f / sum), "must discriminate");
        assertBits(oracle, softmax(1f, 1.75f, 1.5f, 0f), "divides by the sum");
    }

    @Test
    void softmaxNanAndInfinityRows() {
        assertBits(new float[] {NAN, NAN}, softmax(1f, NAN, 1f), "NaN element poisons the sum");
        assertBits(new float[] {NAN, NAN}, softmax(1f, -INF, -INF), "all -Inf: 0 / 0");
        assertBits(new float[] {NAN, NAN}, softmax(1f, INF, 0f), "+Inf: Inf - Inf");
    }

    @Test
    void softmaxRowsAreIndependentAndInPlace() {
        float[] v = {0f, 0f, 1e30f, 0f, -1f, -1f};
        ReferenceFloatOps.softmax(v, 3, 2, 1f, v);
        assertBits(new float[] {0.5f, 0.5f, 1f, 0f, 0.5f, 0.5f}, v, "three rows in place");
    }

    // ------------------------------------------------------------------ ADD, MUL

    private static float[] seq(int n, float start, float step) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i * step;
        }
        return v;
    }

    @Test
    void addSameShape() {
        float[] out = new float[4];
        ReferenceFloatOps.add(new float[] {1, 2, 3, 4}, new int[] {2, 2}, new float[] {10, 20, 30, 40},
                new int[] {2, 2}, out, new int[] {2, 2}, FusedActivation.NONE);
        assertBits(new float[] {11, 22, 33, 44}, out, "add");
    }

    @Test
    void broadcastsLikeNumpy() {
        // [2,3] + [3]: the row vector is added to each row.
        float[] a = seq(6, 1, 1);
        float[] b = seq(3, 100, 100);
        float[] out = new float[6];
        ReferenceFloatOps.add(a, new int[] {2, 3}, b, new int[] {3}, out, new int[] {2, 3}, FusedActivation.NONE);
        float[] expected = new float[6];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                expected[i * 3 + j] = a[i * 3 + j] + b[j];
            }
        }
        assertBits(expected, out, "[2,3] + [3]");

        // [2,1] + [1,3]: both inputs broadcast, an outer sum.
        a = seq(2, 1, 1);
        b = seq(3, 10, 10);
        out = new float[6];
        ReferenceFloatOps.add(a, new int[] {2, 1}, b, new int[] {1, 3}, out, new int[] {2, 3}, FusedActivation.NONE);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                expected[i * 3 + j] = a[i] + b[j];
            }
        }
        assertBits(expected, out, "[2,1] + [1,3]");

        // [2,1,3] * [4,1] → [2,4,3]: a repeats along the middle axis, b along the last one and the first.
        a = seq(6, 1, 1);
        b = seq(4, 0.5f, 0.25f);
        out = new float[24];
        ReferenceFloatOps.mul(a, new int[] {2, 1, 3}, b, new int[] {4, 1}, out, new int[] {2, 4, 3},
                FusedActivation.NONE);
        expected = new float[24];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 3; k++) {
                    expected[(i * 4 + j) * 3 + k] = a[i * 3 + k] * b[j];
                }
            }
        }
        assertBits(expected, out, "[2,1,3] * [4,1]");

        // A scalar (rank 0) times a matrix, the scalar second and first.
        out = new float[4];
        ReferenceFloatOps.mul(new float[] {1, -2, 3, -4}, new int[] {2, 2}, new float[] {-0.5f}, new int[0], out,
                new int[] {2, 2}, FusedActivation.NONE);
        assertBits(new float[] {-0.5f, 1f, -1.5f, 2f}, out, "matrix * scalar");
        ReferenceFloatOps.add(new float[] {3}, new int[0], new float[] {1, 2, 3, 4}, new int[] {4}, out,
                new int[] {4}, FusedActivation.NONE);
        assertBits(new float[] {4, 5, 6, 7}, out, "scalar + vector");
    }

    @Test
    void fusedActivationClampsInfinityToFloatMaxAndPassesNan() {
        float[] out = new float[5];
        ReferenceFloatOps.add(new float[] {MAX, -MAX, INF, INF, 1f}, new int[] {5},
                new float[] {MAX, -MAX, 1f, -INF, 2f}, new int[] {5}, out, new int[] {5}, FusedActivation.NONE);
        // MAX + MAX = Inf → MAX; -MAX + -MAX = -Inf → -MAX; Inf + 1 → MAX; Inf + -Inf = NaN passes.
        assertBits(new float[] {MAX, -MAX, MAX, NAN, 3f}, out, "add NONE");

        ReferenceFloatOps.add(new float[] {-0.0f, INF, NAN, -3f, 2f}, new int[] {5},
                new float[] {-0.0f, 0f, 1f, 1f, 2f}, new int[] {5}, out, new int[] {5}, FusedActivation.RELU);
        // -0.0 + -0.0 = -0.0 passes RELU's std::max(x, 0.f); Inf → FLT_MAX; NaN passes.
        assertBits(new float[] {-0.0f, MAX, NAN, 0f, 4f}, out, "add RELU");

        ReferenceFloatOps.mul(new float[] {-1f, 4f, NAN, -2f, 0.5f}, new int[] {5},
                new float[] {0f, 2f, 0f, 3f, 3f}, new int[] {5}, out, new int[] {5}, FusedActivation.RELU6);
        // -1 * 0 = -0.0 stays -0.0 (unlike the standalone RELU6); 8 → 6; NaN passes; -6 → 0; 1.5.
        assertBits(new float[] {-0.0f, 6f, NAN, 0f, 1.5f}, out, "mul RELU6");

        ReferenceFloatOps.mul(new float[] {1e20f, -0.5f, 0.25f}, new int[] {3}, new float[] {1e20f, 4f, 2f},
                new int[] {3}, out, new int[] {3}, FusedActivation.RELU_N1_TO_1);
        assertBits(new float[] {1f, -1f, 0.5f, 0f, 1.5f}, out, "mul RELU_N1_TO_1 (first 3 written)");
    }

    @Test
    void addIntoANonBroadcastInput() {
        float[] a = {1, 2, 3, 4, 5, 6};
        ReferenceFloatOps.add(a, new int[] {2, 3}, new float[] {10, 20, 30}, new int[] {3}, a, new int[] {2, 3},
                FusedActivation.NONE);
        assertBits(new float[] {11, 22, 33, 14, 25, 36}, a, "in place");
    }

    @Test
    void emptyBroadcastWritesNothing() {
        float[] out = {5f};
        ReferenceFloatOps.add(new float[0], new int[] {0, 3}, new float[] {1, 2, 3}, new int[] {1, 3}, out,
                new int[] {0, 3}, FusedActivation.NONE);
        assertBits(new float[] {5f}, out, "untouched");
    }

    @Test
    void rejectsBadShapesAndArraysBeforeWriting() {
        float[] out = {9, 9, 9, 9, 9, 9};
        float[] before = out.clone();
        Messages.assertNames(assertThrows(IllegalArgumentException.class, () -> ReferenceFloatOps.add(new float[6],
                new int[] {2, 3}, new float[2], new int[] {2}, out, new int[] {2, 3}, FusedActivation.NONE)),
                "shapeA", "shapeB", "3", "2");
        Messages.assertNames(assertThrows(IllegalArgumentException.class, () -> ReferenceFloatOps.add(new float[6],
                new int[] {2, 3}, new float[3], new int[] {3}, out, new int[] {3, 2}, FusedActivation.NONE)),
                "outShape");
        Messages.assertNames(assertThrows(IllegalArgumentException.class, () -> ReferenceFloatOps.mul(new float[6],
                new int[] {2, -3}, new float[3], new int[] {3}, out, new int[] {2, 3}, FusedActivation.NONE)),
                "-3");
        Messages.assertNames(assertThrows(IndexOutOfBoundsException.class, () -> ReferenceFloatOps.mul(new float[5],
                new int[] {2, 3}, new float[3], new int[] {3}, out, new int[] {2, 3}, FusedActivation.NONE)),
                "a", "5", "6");
        Messages.assertNames(assertThrows(IndexOutOfBoundsException.class, () -> ReferenceFloatOps.mul(new float[6],
                new int[] {2, 3}, new float[3], new int[] {3}, new float[5], new int[] {2, 3}, FusedActivation.NONE)),
                "out", "5", "6");
        Messages.assertNames(assertThrows(NullPointerException.class, () -> ReferenceFloatOps.add(new float[6],
                new int[] {2, 3}, new float[3], null, out, new int[] {2, 3}, FusedActivation.NONE)), "shapeB");
        Messages.assertNames(assertThrows(NullPointerException.class, () -> ReferenceFloatOps.add(new float[6],
                new int[] {2, 3}, new float[3], new int[] {3}, out, new int[] {2, 3}, null)), "activation");
        Messages.assertNames(assertThrows(IndexOutOfBoundsException.class,
                () -> ReferenceFloatOps.softmax(new float[6], 2, 3, 1f, new float[5])), "out", "5", "6");
        Messages.assertNames(assertThrows(IllegalArgumentException.class,
                () -> ReferenceFloatOps.softmax(new float[6], -2, 3, 1f, out)), "outer", "-2");
        Messages.assertNames(assertThrows(IllegalArgumentException.class,
                () -> ReferenceFloatOps.logistic(new float[6], out, -1)), "n", "-1");
        Messages.assertNames(assertThrows(IndexOutOfBoundsException.class,
                () -> ReferenceFloatOps.relu(new float[2], out, 3)), "in", "2", "3");
        Messages.assertNames(assertThrows(NullPointerException.class,
                () -> ReferenceFloatOps.tanh(new float[2], null, 2)), "out");
        assertArrayEquals(before, out);
    }
}
