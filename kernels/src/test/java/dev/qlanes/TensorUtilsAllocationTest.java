package dev.qlanes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qlanes.reference.PortableTensorUtils;
import dev.qlanes.reference.Rounding;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every {@link TensorUtils} method allocates nothing in steady state, on the vector kernels and on the reference:
 * each is called on its own until C2 has compiled it, with shapes that reach every path (a batch of 5: the
 * four-row tile and a single row; vector tails; per-channel scales, offsets, computed row sums). Measured with the
 * thread allocation counter ({@link AllocationCounter}); not run where a forced width beyond the hardware's
 * emulates vectors as objects ({@code kernels/pom.xml} excludes it from vector-512).
 */
class TensorUtilsAllocationTest {
    private static final int ROWS = 40;
    private static final int COLS = 72;
    private static final int SPARSE_COLS = 64;
    private static final int BATCH = 5;

    /** Keeps results alive, so that no call is optimized away. */
    private static volatile long sink;

    @Test
    void everyMethodAllocatesNothingInSteadyState() {
        assertTrue(AllocationCounter.available(), "com.sun.management.ThreadMXBean is needed to count allocated bytes");
        Map<String, Runnable> calls = calls();
        TreeSet<String> methods = new TreeSet<>();
        for (Method m : TensorUtils.class.getMethods()) {
            if (m.getDeclaringClass() == TensorUtils.class && Modifier.isStatic(m.getModifiers())) {
                methods.add(m.getName() + "/" + m.getParameterCount());
            }
        }
        TreeSet<String> covered = new TreeSet<>();
        calls.keySet().forEach(k -> covered.add(k.substring(0, k.indexOf(' '))));
        assertEquals(methods, covered, "every public method (name/arity) is measured");
        Map<String, String> allocating = new LinkedHashMap<>();
        Map<String, Integer> rounds = new java.util.TreeMap<>();
        for (Map.Entry<String, Runnable> call : calls.entrySet()) {
            AllocationCounter.Measurement m = AllocationCounter.steadyState(call.getValue());
            if (m.bytes() != 0) {
                allocating.put(call.getKey(),
                        m.bytes() / m.calls() + " B" + AllocationCounter.allocationSites(call.getValue()));
            }
            rounds.put(call.getKey().trim(), m.rounds());
        }
        System.out.println("[TensorUtilsAllocationTest] " + calls.size() + " methods, " + Kernels.info()
                + "; rounds to steady state: " + rounds + "; bytes per call of those that allocate: " + allocating);
        assertTrue(allocating.isEmpty(), "bytes allocated per steady-state call: " + allocating + ", " + Kernels.info());
    }

    private static Map<String, Runnable> calls() {
        SplittableRandom random = new SplittableRandom(LayerFixtures.SEED + 60);
        byte[] matrix = LayerFixtures.bytes(random, ROWS * COLS);
        byte[] vectors = LayerFixtures.bytes(random, BATCH * COLS);
        float[] floats = LayerFixtures.floats(random, BATCH, COLS);
        floats[1] = 3.0f; // not all zero
        float[] floatMatrix = LayerFixtures.floats(random, ROWS, COLS);
        byte[] quantized = new byte[BATCH * COLS];
        float[] scaling = LayerFixtures.scales(random, BATCH);
        float[] perChannel = LayerFixtures.scales(random, ROWS);
        int[] offsets = new int[BATCH];
        int[] zeroPoints = new int[BATCH];
        int[] rowSums = new int[ROWS];
        PortableTensorUtils.reductionSumVector(matrix, rowSums, ROWS, COLS);
        float[] result = new float[BATCH * ROWS];
        int[] bias = new int[ROWS];
        short[] int16 = new short[BATCH * ROWS];
        byte[] int8 = new byte[BATCH * ROWS];
        float[] minMax = new float[2];
        int[] offset = new int[1];
        short[] hidden = new short[BATCH * COLS];
        int[] segments = new int[ROWS + 1];
        for (int r = 0; r < ROWS; r++) {
            segments[r + 1] = segments[r] + r % 3;
        }
        int[] indices = new int[segments[ROWS]];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i % (SPARSE_COLS / 16);
        }
        byte[] sparseMatrix = LayerFixtures.bytes(random, 16 * indices.length);
        byte[] sparseVectors = LayerFixtures.bytes(random, BATCH * SPARSE_COLS);
        int[] channelMultipliers = new int[ROWS];
        int[] channelShifts = new int[ROWS];
        java.util.Arrays.fill(channelMultipliers, 1 << 30);
        java.util.Arrays.fill(channelShifts, -3);
        byte[] ledger = new byte[ROWS * 2];
        for (int r = 0; r < ROWS; r++) {
            ledger[2 * r] = 1;
            ledger[2 * r + 1] = (byte) (r % (SPARSE_COLS / 16));
        }
        byte[] ledgerMatrix = LayerFixtures.bytes(random, 16 * ROWS);
        int[] sums = new int[ROWS];
        float[] scaled = new float[COLS];
        int m = 1 << 30;

        Map<String, Runnable> c = new LinkedHashMap<>();
        c.put("dotProduct/3 ", () -> sink += TensorUtils.dotProduct(matrix, vectors, COLS));
        c.put("symmetricQuantizeFloats/4 ", () ->
                sink += (long) TensorUtils.symmetricQuantizeFloats(floats, COLS, quantized, minMax));
        c.put("symmetricQuantizeFloats/5 ", () ->
                sink += (long) TensorUtils.symmetricQuantizeFloats(floats, COLS, quantized, -4.0f, 5.0f));
        c.put("asymmetricQuantizeFloats/4 ", () ->
                sink += (long) TensorUtils.asymmetricQuantizeFloats(floats, COLS, quantized, offset));
        c.put("batchQuantizeFloats/7 asymmetric", () ->
                TensorUtils.batchQuantizeFloats(floats, BATCH, COLS, quantized, scaling, zeroPoints, true));
        c.put("batchQuantizeFloats/7 symmetric", () ->
                TensorUtils.batchQuantizeFloats(floats, BATCH, COLS, quantized, scaling, zeroPoints, false));
        c.put("matrixBatchVectorMultiplyAccumulate/6 float", () ->
                TensorUtils.matrixBatchVectorMultiplyAccumulate(floatMatrix, ROWS, COLS, floats, BATCH, result));
        c.put("matrixBatchVectorMultiplyAccumulate/7 hybrid", () ->
                TensorUtils.matrixBatchVectorMultiplyAccumulate(matrix, ROWS, COLS, vectors, scaling, BATCH, result));
        c.put("matrixBatchVectorMultiplyAccumulate/10 hybrid, offsets, computed row sums", () ->
                TensorUtils.matrixBatchVectorMultiplyAccumulate(matrix, ROWS, COLS, vectors, scaling, BATCH, result,
                        perChannel, offsets, null));
        c.put("matrixBatchVectorMultiplyAccumulate/10 hybrid, cached row sums", () ->
                TensorUtils.matrixBatchVectorMultiplyAccumulate(matrix, ROWS, COLS, vectors, scaling, BATCH, result,
                        perChannel, offsets, rowSums));
        c.put("matrixBatchVectorMultiplyAccumulate/10 int16", () ->
                TensorUtils.matrixBatchVectorMultiplyAccumulate(vectors, bias, matrix, m, -9, BATCH, COLS, ROWS, 3,
                        int16));
        c.put("matrixBatchVectorMultiplyAccumulate/11 int16", () ->
                TensorUtils.matrixBatchVectorMultiplyAccumulate(vectors, bias, matrix, m, -9, BATCH, COLS, ROWS, 3,
                        int16, Rounding.SINGLE_ROUNDING));
        c.put("matrixBatchVectorMultiplyAccumulate/10 int8", () ->
                TensorUtils.matrixBatchVectorMultiplyAccumulate(vectors, bias, matrix, m, -9, BATCH, COLS, ROWS, 3,
                        int8));
        c.put("matrixBatchVectorMultiplyAccumulate/11 int8", () ->
                TensorUtils.matrixBatchVectorMultiplyAccumulate(vectors, bias, matrix, m, -9, BATCH, COLS, ROWS, 3,
                        int8, Rounding.SINGLE_ROUNDING));
        c.put("matrixBatchVectorMultiply/10 int8", () ->
                TensorUtils.matrixBatchVectorMultiply(vectors, 5, matrix, m, -9, BATCH, COLS, ROWS, int8, (byte) 2));
        c.put("matrixBatchVectorMultiply/11 int8", () ->
                TensorUtils.matrixBatchVectorMultiply(vectors, 5, matrix, m, -9, BATCH, COLS, ROWS, int8, (byte) 2,
                        Rounding.SINGLE_ROUNDING));
        c.put("matrixBatchVectorMultiply/10 int16 hidden", () ->
                TensorUtils.matrixBatchVectorMultiply(hidden, matrix, m, -9, bias, BATCH, COLS, ROWS, 1, int8));
        c.put("sparseMatrixBatchVectorMultiplyAccumulate1x16/17 ", () ->
                TensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(sparseMatrix, segments, indices, ROWS,
                        SPARSE_COLS, sparseVectors, bias, BATCH, 3, m, -5, null, null, -2, -128, 127, int8));
        c.put("sparseMatrixBatchVectorMultiplyAccumulate1x16/18 per-channel", () ->
                TensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(sparseMatrix, segments, indices, ROWS,
                        SPARSE_COLS, sparseVectors, bias, BATCH, 3, m, -5, channelMultipliers, channelShifts, -2, -100,
                        100, int8, Rounding.SINGLE_ROUNDING));
        c.put("sparseMatrixBatchVectorMultiplyAccumulate/9 ", () ->
                TensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(ledgerMatrix, ledger, ROWS, SPARSE_COLS,
                        sparseVectors, scaling, BATCH, result, perChannel));
        c.put("reductionSumVector/4 ", () -> TensorUtils.reductionSumVector(matrix, sums, ROWS, COLS));
        c.put("matrixScalarMultiplyAccumulate/5 ", () ->
                TensorUtils.matrixScalarMultiplyAccumulate(matrix, 3, ROWS, COLS, sums));
        c.put("vectorScalarMultiply/4 ", () -> TensorUtils.vectorScalarMultiply(vectors, COLS, 0.5f, scaled));
        c.put("isZeroVector/2 ", () -> sink += TensorUtils.isZeroVector(floats, COLS) ? 1 : 0);
        return c;
    }
}
