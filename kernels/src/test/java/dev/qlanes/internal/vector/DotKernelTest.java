package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.Fixtures.VECTOR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qlanes.internal.vector.Fixtures.Bytes;
import dev.qlanes.reference.PortableTensorUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * int8 dot products and the row-sum helpers (docs/semantics.md §3.9) against the reference, every tail and
 * profile.
 */
class DotKernelTest {

    @TestFactory
    List<DynamicTest> dotProductMatchesReference() {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (int n : Fixtures.columns(ArrayDotLoops.STEP)) {
            for (Bytes a : Bytes.values()) {
                Bytes b = Bytes.values()[(a.ordinal() + i) % Bytes.values().length];
                long seed = Fixtures.SEED + 7000 + i++;
                tests.add(DynamicTest.dynamicTest(a + "·" + b + " n" + n, () -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    byte[] x = a.fill(random, n);
                    byte[] y = b.fill(random, n);
                    assertEquals(PortableTensorUtils.dotProduct(x, y, n), VECTOR.dotProduct(x, y, n),
                            Fixtures.kernelId("dot " + a + "·" + b + " n" + n));
                }));
            }
        }
        return tests;
    }

    /**
     * Operands whose 16-bit pair sums hit both ends of {@code [-32512, 32768]} (BiasedSplit's arithmetic):
     * {@code 2·(-128)²} wraps in int16 and must still count as {@code +32768}; {@code 2·(-128·127)} is the
     * lowest. Expected values are computed here in long arithmetic, independently of both implementations.
     */
    @TestFactory
    List<DynamicTest> pairSumExtremesAreExact() {
        // (a pattern, b pattern): 2·(-128)², 2·(-128·127), 2·127², and mixed pairs across lanes and tails
        byte[][][] cases = {{{-128}, {-128}}, {{-128}, {127}}, {{127}, {127}}, {{-127}, {-128}},
            {{-128, 127}, {-128, -128, 0}}, {{127, -128}, {-128}}};
        List<DynamicTest> tests = new ArrayList<>();
        for (int n : Fixtures.columns(ArrayDotLoops.STEP)) {
            for (byte[][] pair : cases) {
                byte[] pa = pair[0];
                byte[] pb = pair[1];
                byte[] a = new byte[n];
                byte[] b = new byte[n];
                long exact = 0;
                for (int i = 0; i < n; i++) {
                    a[i] = pa[i % pa.length];
                    b[i] = pb[i % pb.length];
                    exact += (long) a[i] * b[i];
                }
                int expected = (int) exact;
                tests.add(DynamicTest.dynamicTest(java.util.Arrays.toString(pa) + "·" + java.util.Arrays.toString(pb)
                        + " n" + n, () -> assertEquals(expected, VECTOR.dotProduct(a, b, n),
                                Fixtures.kernelId("dot extremes n" + n))));
            }
        }
        return tests;
    }

    @Test
    void dotProductWrapsLikeInt32() {
        int n = Fixtures.SMALL ? 4099 : 140_001; // 140 001 · 16384 > 2^31: the sum wraps
        byte[] min = Bytes.ALL_MIN.fill(new SplittableRandom(1), n);
        long exact = 16384L * n;
        assertEquals((int) exact, VECTOR.dotProduct(min, min, n), Fixtures.kernelId("dot wrap n" + n));
    }

    @TestFactory
    List<DynamicTest> rowSumsMatchReference() {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (int cols : Fixtures.columns(ArrayDotLoops.STEP)) {
            Bytes profile = Bytes.values()[i % Bytes.values().length];
            int rows = Fixtures.rows()[i % Fixtures.rows().length];
            long seed = Fixtures.SEED + 8000 + i++;
            tests.add(DynamicTest.dynamicTest(profile + " " + rows + "x" + cols, () -> {
                SplittableRandom random = new SplittableRandom(seed);
                byte[] m = profile.fill(random, rows * cols);
                int[] expected = new int[rows + Fixtures.CANARY_PADDING];
                int[] actual = expected.clone();
                PortableTensorUtils.reductionSumVector(m, expected, rows, cols);
                VECTOR.reductionSumVector(m, actual, rows, cols);
                assertArrayEquals(expected, actual, Fixtures.kernelId("reductionSumVector") + ", seed " + seed);
                int scalar = random.nextInt();
                for (int r = 0; r < expected.length; r++) {
                    expected[r] = actual[r] = random.nextInt();
                }
                PortableTensorUtils.matrixScalarMultiplyAccumulate(m, scalar, rows, cols, expected);
                VECTOR.matrixScalarMultiplyAccumulate(m, scalar, rows, cols, actual);
                assertArrayEquals(expected, actual, Fixtures.kernelId("matrixScalarMultiplyAccumulate") + ", seed "
                        + seed);
            }));
        }
        return tests;
    }
}
