package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.Fixtures.VECTOR;

import dev.qlanes.reference.PortableTensorUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Float MBVMA (docs/semantics.md §3.1): the row-parallel kernel keeps the reference's sequential column order,
 * so results match by raw bits, including cancellation-heavy and non-finite data.
 */
class FloatMbvmaKernelTest {

    @TestFactory
    List<DynamicTest> floatMatchesReference() {
        List<DynamicTest> tests = new ArrayList<>();
        int lanes = VectorShapes.FLOATS.length();
        int[] rowCounts = Fixtures.SMALL ? new int[] {1, lanes + 1} : new int[] {1, lanes - 1, lanes, lanes + 1,
                2 * lanes + 3, 37};
        int i = 0;
        for (int cols : new int[] {1, 2, 7, 16, 33, Fixtures.SMALL ? 64 : 1000}) {
            for (int rows : rowCounts) {
                int batch = Fixtures.batches()[i % Fixtures.batches().length];
                boolean nonFinite = i % 5 == 4;
                long seed = Fixtures.SEED + 9000 + i++;
                tests.add(DynamicTest.dynamicTest(rows + "x" + cols + " b" + batch + (nonFinite ? " non-finite" : ""),
                        () -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    float[] matrix = Fixtures.randomFloats(random, rows * cols, 1e3);
                    float[] vector = Fixtures.randomFloats(random, batch * cols, 1e-2);
                    if (nonFinite) {
                        matrix[random.nextInt(matrix.length)] = Float.POSITIVE_INFINITY;
                        vector[random.nextInt(vector.length)] = Float.NaN;
                    }
                    float[] expected = Fixtures.padded(Fixtures.randomFloats(random, batch * rows, 1.0));
                    float[] actual = expected.clone();
                    PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(matrix, rows, cols, vector, batch,
                            expected);
                    VECTOR.matrixBatchVectorMultiplyAccumulate(matrix, rows, cols, vector, batch, actual);
                    Fixtures.assertSameBits(expected, actual, rows, Fixtures.kernelId("float MBVMA") + ", seed " + seed);
                }));
            }
        }
        return tests;
    }

    /**
     * Batches 1 to 4 have kernels of their own ({@link RegisterTransposeDots} at 512 bits, in passes of two batch rows;
     * below, batch 1 through {@link BlendTransposeDots} at 256 bits and {@link FloatPanels#addRowDots} at 128): every
     * row count around a tile of eight (and a pass of two) and column count around a block of eight, at batches 1 to 5 (pairs, an odd last
     * row, the panels beyond), with zero sums of either sign, infinities and NaN.
     */
    @TestFactory
    List<DynamicTest> smallBatchesMatchReference() {
        int[] batches = Fixtures.SMALL ? new int[] {1, 2, 3} : new int[] {1, 2, 3, 4, 5};
        return smallCases(batches, "float MBVMA, small batches", (matrix, rows, cols, vector, batch, result) ->
                VECTOR.matrixBatchVectorMultiplyAccumulate(matrix, rows, cols, vector, batch, result));
    }

    /**
     * {@link BlendTransposeDots} called directly, at every width: the facade takes it only where the kernels run 256
     * bits, which no fork forces on AVX-512 machines (on 128-bit vectors its species is emulated, slowly but exactly).
     */
    @TestFactory
    List<DynamicTest> blendTransposeMatchesReference() {
        return smallCases(new int[] {1}, "float MBVMA, blend transposes", (matrix, rows, cols, vector, batch, result) ->
                BlendTransposeDots.addDots(matrix, rows, cols, vector, result));
    }

    /** A float MBVMA under test: {@code result += matrix · vector} for {@code batch} rows. */
    private interface FloatMbvma {
        void run(float[] matrix, int rows, int cols, float[] vector, int batch, float[] result);
    }

    /** The small-batch cases run through {@code kernel}, the batch cycling through {@code batches}. */
    private static List<DynamicTest> smallCases(int[] batches, String what, FloatMbvma kernel) {
        List<DynamicTest> tests = new ArrayList<>();
        int[] rowCounts = Fixtures.SMALL ? new int[] {7, 9, 17} : new int[] {1, 7, 8, 9, 16, 17, 37};
        // 512: rows of 2 KiB, which BlendTransposeDots runs one tile per pass (ALIASING_COLUMNS)
        int[] colCounts = Fixtures.SMALL ? new int[] {7, 9, 33} : new int[] {1, 7, 8, 9, 15, 16, 33, 512, 1000};
        int i = 0;
        for (int cols : colCounts) {
            for (int rows : rowCounts) {
                int batch = batches[i % batches.length];
                int data = i % 3; // 0 random, 1 signed zeros, 2 non-finite
                long seed = Fixtures.SEED + 9500 + i++;
                tests.add(DynamicTest.dynamicTest(rows + "x" + cols + " b" + batch + " "
                        + List.of("random", "zeros", "non-finite").get(data), () -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    float[] matrix = Fixtures.randomFloats(random, rows * cols, 1e3);
                    float[] vector = Fixtures.randomFloats(random, batch * cols, 1e-2);
                    float[] expected = Fixtures.padded(Fixtures.randomFloats(random, batch * rows, 1.0));
                    if (data == 1) { // every product ±0.0, all -0.0 in even rows: the reference's sums begin at
                        // +0.0, so they are +0.0; one begun from -0.0 or from its first product would keep -0.0
                        for (int k = cols; k < vector.length; k++) { // every batch row signed as the first
                            vector[k] = Math.copySign(vector[k], vector[k % cols]);
                        }
                        for (int k = 0; k < matrix.length; k++) {
                            boolean negative = k / cols % 2 == 0 ? vector[k % cols] > 0 : random.nextBoolean();
                            matrix[k] = negative ? -0.0f : 0.0f;
                        }
                        for (int k = 0; k < batch * rows; k++) {
                            expected[k] = random.nextBoolean() ? -0.0f : 0.0f;
                        }
                    } else if (data == 2) { // at most one NaN per row, so its bits are the contract's (§3.1)
                        matrix[random.nextInt(cols)] = Float.intBitsToFloat(0x7FC0_1234); // a payload, through permutes
                        if (rows > 1) {
                            matrix[(rows - 1) * cols + random.nextInt(cols)] = Float.NEGATIVE_INFINITY;
                        }
                        vector[random.nextInt(batch * cols)] = Float.POSITIVE_INFINITY;
                    }
                    float[] actual = expected.clone();
                    PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(matrix, rows, cols, vector, batch,
                            expected);
                    kernel.run(matrix, rows, cols, vector, batch, actual);
                    Fixtures.assertSameBits(expected, actual, rows, Fixtures.kernelId(what) + ", seed " + seed);
                }));
            }
        }
        return tests;
    }
}
