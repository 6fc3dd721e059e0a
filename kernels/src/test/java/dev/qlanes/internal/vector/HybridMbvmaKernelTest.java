package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.Fixtures.VECTOR;

import dev.qlanes.internal.vector.Fixtures.Bytes;
import dev.qlanes.reference.PortableTensorUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Hybrid MBVMA (docs/semantics.md §3.2, §3.4) and the hybrid sparse ledger product (§3.8): the vector kernel
 * equals the reference by raw float bits for every tail of the dot kernel and the row tile, every batch
 * size, every value profile, with and without offsets, per-channel scales and cached (or stale) row sums.
 */
class HybridMbvmaKernelTest {

    enum Variant { PLAIN, PER_CHANNEL_NO_OFFSETS, OFFSETS, OFFSETS_PER_CHANNEL, CACHED_ROW_SUMS, STALE_ROW_SUMS }

    @TestFactory
    List<DynamicTest> hybridMatchesReference() {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (int cols : Fixtures.columns(ArrayDotLoops.STEP)) {
            for (int rows : Fixtures.rows()) {
                int batch = Fixtures.batches()[i % Fixtures.batches().length];
                Bytes matrixProfile = Bytes.values()[i % Bytes.values().length];
                Bytes vectorProfile = Bytes.values()[(i / Bytes.values().length + i) % Bytes.values().length];
                Variant variant = Variant.values()[i % Variant.values().length];
                long seed = Fixtures.SEED + i++;
                tests.add(DynamicTest.dynamicTest(rows + "x" + cols + " b" + batch + " " + matrixProfile + "·"
                        + vectorProfile + " " + variant, () -> check(rows, cols, batch, matrixProfile, vectorProfile,
                        variant, seed)));
            }
        }
        return tests;
    }

    private static void check(int rows, int cols, int batch, Bytes matrixProfile, Bytes vectorProfile,
            Variant variant, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] matrix = matrixProfile.fill(random, rows * cols);
        byte[] vectors = vectorProfile.fill(random, batch * cols);
        float[] scaling = Fixtures.randomFloats(random, batch, 0.01);
        boolean perChannel = variant == Variant.PER_CHANNEL_NO_OFFSETS || variant == Variant.OFFSETS_PER_CHANNEL;
        boolean offsets = variant.ordinal() >= Variant.OFFSETS.ordinal();
        float[] pcs = perChannel ? Fixtures.randomFloats(random, rows, 1.0) : null;
        int[] inputOffset = null;
        if (offsets) {
            inputOffset = new int[batch];
            for (int b = 0; b < batch; b++) {
                inputOffset[b] = random.nextInt(256) - 128;
            }
        }
        int[] rowSums = null;
        if (variant == Variant.CACHED_ROW_SUMS || variant == Variant.STALE_ROW_SUMS) {
            rowSums = new int[rows];
            byte[] ones = filledOnes(cols);
            for (int r = 0; r < rows; r++) {
                rowSums[r] = variant == Variant.STALE_ROW_SUMS ? random.nextInt()
                        : (int) Fixtures.rawDot(matrix, r, ones, 0, cols);
            }
        }
        float[] initial = Fixtures.padded(Fixtures.randomFloats(random, batch * rows, 3.0));
        float[] expected = initial.clone();
        float[] actual = initial.clone();
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(matrix, rows, cols, vectors, scaling, batch, expected,
                pcs, inputOffset, rowSums);
        VECTOR.matrixBatchVectorMultiplyAccumulate(matrix, rows, cols, vectors, scaling, batch, actual, pcs,
                inputOffset, rowSums);
        Fixtures.assertSameBits(expected, actual, rows, Fixtures.kernelId("hybrid MBVMA " + variant) + ", case seed "
                + seed, idx -> ", raw dot " + Fixtures.rawDot(matrix, idx % rows, vectors, idx / rows, cols));
    }

    private static byte[] filledOnes(int n) {
        byte[] ones = new byte[n];
        java.util.Arrays.fill(ones, (byte) 1);
        return ones;
    }

    @TestFactory
    List<DynamicTest> sparseLedgerMatchesReference() {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (int blocks : new int[] {1, 2, 3, 5, 16}) {
            for (int rows : Fixtures.rows()) {
                int batch = Fixtures.batches()[i % Fixtures.batches().length];
                Bytes profile = Bytes.values()[i % Bytes.values().length];
                boolean perChannel = i % 2 == 0;
                long seed = Fixtures.SEED + 1000 + i++;
                tests.add(DynamicTest.dynamicTest(rows + "x" + blocks * 16 + " b" + batch + " " + profile
                        + (perChannel ? " per-channel" : ""), () -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    int cols = blocks * 16;
                    java.io.ByteArrayOutputStream ledger = new java.io.ByteArrayOutputStream();
                    int total = 0;
                    for (int r = 0; r < rows; r++) {
                        int count = random.nextInt(blocks + 1);
                        ledger.write(count);
                        int start = random.nextInt(blocks - count + 1); // ascending distinct block indices
                        for (int k = 0; k < count; k++) {
                            ledger.write(start + k);
                        }
                        total += count;
                    }
                    byte[] matrix = profile.fill(random, total * 16);
                    byte[] vectors = Bytes.UNIFORM.fill(random, batch * cols);
                    float[] scaling = Fixtures.randomFloats(random, batch, 0.01);
                    float[] pcs = perChannel ? Fixtures.randomFloats(random, rows, 1.0) : null;
                    float[] initial = Fixtures.padded(Fixtures.randomFloats(random, batch * rows, 3.0));
                    float[] expected = initial.clone();
                    float[] actual = initial.clone();
                    byte[] ledgerBytes = ledger.toByteArray();
                    PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(matrix, ledgerBytes, rows, cols,
                            vectors, scaling, batch, expected, pcs);
                    VECTOR.sparseMatrixBatchVectorMultiplyAccumulate(matrix, ledgerBytes, rows, cols, vectors, scaling,
                            batch, actual, pcs);
                    Fixtures.assertSameBits(expected, actual, rows, Fixtures.kernelId("sparse ledger") + ", case seed "
                            + seed);
                }));
            }
        }
        return tests;
    }
}
