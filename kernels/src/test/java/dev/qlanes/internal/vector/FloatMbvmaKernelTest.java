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
}
