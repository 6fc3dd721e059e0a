package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.FLOATS;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Float {@code MatrixBatchVectorMultiplyAccumulate} (docs/semantics.md §3.1), vectorized across rows: each lane is
 * one row's dot product, summed over the columns in increasing order with every product and sum rounded to float,
 * as the reference does. No sum is reordered and no FMA is used, so results are bit-identical.
 *
 * <p>A lane needs its row's elements one column at a time, i.e. a column of the row-major matrix. Gathering them
 * ({@code fromArray} with an index map) ran slower than the scalar reference (Zen 4, 1x1024x1024: 882 vs 815 µs),
 * and transposing 16x16 blocks in registers with two-source {@code selectFrom} barely better (532-585 µs). So a
 * {@link #PANEL_COLUMNS}-column slice of {@code L} rows ({@code L} float lanes) is copied, transposed, into a
 * {@link FloatPanels} panel that stays in L1, and each batch row then costs one vector load,
 * multiply and add per column; the panel's sums carry over from slice to slice in a per-batch-row buffer. The copy
 * is about 1.2 cycles per weight, the reference ~3: at batch 1 this is ~2.3x the reference, and from batch 2 on
 * the copy is shared (measured in a probe: 4x at batch 2, 6.5x at 4, 27x at 16). Where two-source permutes are one
 * instruction, batches up to {@link RegisterTransposeDots#MAX_BATCH} transpose in registers instead
 * ({@link RegisterTransposeDots}). Elsewhere batch 1 goes without panels: at 256 bits through register transposes
 * built from one-source permutes and blends ({@link BlendTransposeDots}), at 128 through eight interleaved scalar
 * sums ({@link FloatPanels#addRowDots}). In the panels' batches the rows beyond the last whole {@code L} run the
 * reference loop.
 */
final class FloatMatrixKernel {
    private FloatMatrixKernel() {}

    /** Columns per panel: {@code 256 × 16} floats (AVX-512) are 16 KiB, half of a typical L1 data cache. */
    static final int PANEL_COLUMNS = 256;

    static void multiplyAccumulate(float[] matrix, int mRows, int mCols, float[] vector, int nBatch,
            float[] result) {
        if (RegisterTransposeDots.ENABLED && nBatch <= RegisterTransposeDots.MAX_BATCH) {
            RegisterTransposeDots.multiplyAccumulate(matrix, mRows, mCols, vector, nBatch, result);
            return;
        }
        if (nBatch == 1) { // nothing would share a panel's copy
            if (BlendTransposeDots.ENABLED) {
                BlendTransposeDots.addDots(matrix, mRows, mCols, vector, result);
            } else {
                FloatPanels.addRowDots(matrix, mCols, 0, mRows, vector, result, 0);
            }
            return;
        }
        int lanes = FloatPanels.LANES;
        Scratch scratch = Scratch.get();
        float[] panel = scratch.floats(Scratch.PANEL, PANEL_COLUMNS * lanes);
        float[] partial = scratch.floats(Scratch.PARTIAL, nBatch * lanes);
        int r = 0;
        for (int bound = FLOATS.loopBound(mRows); r < bound; r += lanes) {
            Arrays.fill(partial, 0, nBatch * lanes, 0.0f);
            for (int c0 = 0; c0 < mCols; c0 += PANEL_COLUMNS) {
                int n = Math.min(PANEL_COLUMNS, mCols - c0);
                FloatPanels.transpose(matrix, mCols, r, c0, n, panel, 0);
                for (int b = 0; b < nBatch; b++) {
                    FloatPanels.accumulate(panel, 0, n, vector, b * mCols + c0, partial, b * lanes);
                }
            }
            for (int b = 0; b < nBatch; b++) {
                int out = b * mRows + r;
                FloatVector.fromArray(FLOATS, result, out).add(FloatVector.fromArray(FLOATS, partial, b * lanes))
                        .intoArray(result, out);
            }
        }
        for (; r < mRows; r++) {
            for (int b = 0; b < nBatch; b++) {
                result[b * mRows + r] += FloatPanels.rowDot(matrix, mCols, r, vector, b * mCols);
            }
        }
    }
}
