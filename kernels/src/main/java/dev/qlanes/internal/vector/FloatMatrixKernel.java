package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.FLOATS;

import jdk.incubator.vector.FloatVector;

/**
 * Float {@code MatrixBatchVectorMultiplyAccumulate} (docs/semantics.md §3.1), vectorized across rows: each lane
 * is one row's dot product, summed over the columns in increasing order with every product and sum rounded
 * to float, as the reference does. No sum is reordered and no FMA is used, so results are bit-identical;
 * the price is a strided (gathered) load of each column's elements, whose index map ({@code l · mCols} for lane
 * {@code l}) is kept in this thread's {@link Scratch}.
 */
final class FloatMatrixKernel {
    private FloatMatrixKernel() {}

    static void multiplyAccumulate(float[] matrix, int mRows, int mCols, float[] vector, int nBatch,
            float[] result) {
        int lanes = FLOATS.length();
        int[] rowOffsets = Scratch.get().ints(Scratch.INDEX_MAP, lanes);
        for (int l = 0; l < lanes; l++) {
            rowOffsets[l] = l * mCols;
        }
        for (int b = 0; b < nBatch; b++) {
            int v = b * mCols;
            int r = 0;
            for (int bound = FLOATS.loopBound(mRows); r < bound; r += lanes) {
                FloatVector dot = FloatVector.zero(FLOATS);
                for (int c = 0; c < mCols; c++) {
                    dot = dot.add(FloatVector.fromArray(FLOATS, matrix, r * mCols + c, rowOffsets, 0).mul(vector[v + c]));
                }
                FloatVector.fromArray(FLOATS, result, b * mRows + r).add(dot).intoArray(result, b * mRows + r);
            }
            for (; r < mRows; r++) {
                float dot = 0.0f;
                for (int c = 0; c < mCols; c++) {
                    dot += matrix[r * mCols + c] * vector[v + c];
                }
                result[b * mRows + r] += dot;
            }
        }
    }
}
