package dev.qlanes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qlanes.reference.PortableTensorUtils;
import dev.qlanes.reference.Rounding;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The facade returns exactly what the reference returns, for every method, on random shapes and values
 * (floats compared by raw bits), and rejects bad arguments the same way.
 */
class TensorUtilsFacadeTest {

    private static int[] rawBits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    private static byte[] randomBytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }

    private static float[] randomFloats(SplittableRandom random, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (random.nextGaussian() * 10);
        }
        return f;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void everyMethodMatchesTheReference(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int rows = 1 + random.nextInt(40);
        int cols = 16 * (1 + random.nextInt(6));
        int batch = 1 + random.nextInt(5);
        String where = "seed " + seed + ", rows " + rows + ", cols " + cols + ", batch " + batch;
        byte[] matrix = randomBytes(random, rows * cols);
        byte[] vectors = randomBytes(random, batch * cols);

        assertEquals(PortableTensorUtils.dotProduct(matrix, vectors, cols),
                TensorUtils.dotProduct(matrix, vectors, cols), where);

        float[] floats = randomFloats(random, batch * cols);
        for (boolean asymmetric : new boolean[] {false, true}) {
            byte[] q1 = new byte[batch * cols];
            byte[] q2 = new byte[batch * cols];
            float[] sf1 = new float[batch];
            float[] sf2 = new float[batch];
            int[] zp1 = new int[batch];
            int[] zp2 = new int[batch];
            PortableTensorUtils.batchQuantizeFloats(floats, batch, cols, q1, sf1, zp1, asymmetric);
            TensorUtils.batchQuantizeFloats(floats, batch, cols, q2, sf2, zp2, asymmetric);
            assertArrayEquals(q1, q2, where);
            assertArrayEquals(rawBits(sf1), rawBits(sf2), where);
            assertArrayEquals(zp1, zp2, where);
        }

        float[] scaling = randomFloats(random, batch);
        float[] perChannel = randomFloats(random, rows);
        int[] offsets = new int[batch];
        for (int b = 0; b < batch; b++) {
            offsets[b] = random.nextInt(256) - 128;
        }
        float[] init = randomFloats(random, batch * rows);
        float[] r1 = init.clone();
        float[] r2 = init.clone();
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(matrix, rows, cols, vectors, scaling, batch, r1,
                perChannel, offsets, null);
        TensorUtils.matrixBatchVectorMultiplyAccumulate(matrix, rows, cols, vectors, scaling, batch, r2, perChannel,
                offsets, null);
        assertArrayEquals(rawBits(r1), rawBits(r2), where);

        int[] bias = new int[rows];
        for (int r = 0; r < rows; r++) {
            bias[r] = random.nextInt(1 << 16) - (1 << 15);
        }
        for (Rounding rounding : Rounding.values()) {
            byte[] o1 = randomBytes(random, batch * rows);
            byte[] o2 = o1.clone();
            PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(vectors, bias, matrix, 1 << 30, -8, batch, cols,
                    rows, 3, o1, rounding);
            TensorUtils.matrixBatchVectorMultiplyAccumulate(vectors, bias, matrix, 1 << 30, -8, batch, cols, rows, 3,
                    o2, rounding);
            assertArrayEquals(o1, o2, where);
        }
    }

    @org.junit.jupiter.api.Test
    void rejectsBadArgumentsLikeTheReferenceAndLeavesOutputsUntouched() {
        float[] result = new float[4];
        Arrays.fill(result, 7.0f);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> TensorUtils.matrixBatchVectorMultiplyAccumulate(new byte[3], 2, 2, new byte[4],
                        new float[2], 2, result));
        assertEquals("matrix.length = 3, expected >= 4 (mRows * mCols)", e.getMessage());
        assertArrayEquals(new float[] {7, 7, 7, 7}, result);
    }
}
