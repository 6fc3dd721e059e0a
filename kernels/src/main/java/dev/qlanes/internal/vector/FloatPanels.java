package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.FLOATS;

import jdk.incubator.vector.FloatVector;

/**
 * Float dot products vectorized across rows over transposed panels: for a tile of {@code L} rows ({@code L} float
 * lanes), {@code panel[c·L + l] = w[r + l][c]}, so that column {@code c} of the tile is one vector load and each lane
 * sums its own row in column order, with every product and sum rounded to float and no FMA, exactly as the
 * reference's scalar loop does (docs/semantics.md §3.1). {@link FloatMatrixKernel} transposes a slice per call for
 * the facade; {@link PackedFloatRows} transposes a layer's weights once.
 */
final class FloatPanels {
    private FloatPanels() {}

    /** Float lanes, the rows of one panel. */
    static final int LANES = FLOATS.length();

    /**
     * {@code panel[p + c·L + l] = w[(r + l)·cols + c0 + c]} for {@code c < n}, {@code l < L}: {@code n} columns from
     * {@code c0} of rows {@code r .. r+L-1}, transposed.
     */
    static void transpose(float[] w, int cols, int r, int c0, int n, float[] panel, int p) {
        for (int l = 0; l < LANES; l++) {
            int from = (r + l) * cols + c0;
            for (int c = 0; c < n; c++) {
                panel[p + c * LANES + l] = w[from + c];
            }
        }
    }

    /**
     * Continues the tile's sums with {@code n} more columns: {@code sums[s + l] = fl32(sums[s + l] + fl32(panel[p +
     * c·L + l] · x[xOffset + c]))} for {@code c = 0 .. n-1} in order. Arrays in and out, so no vector crosses the call.
     */
    static void accumulate(float[] panel, int p, int n, float[] x, int xOffset, float[] sums, int s) {
        FloatVector dot = FloatVector.fromArray(FLOATS, sums, s);
        for (int c = 0; c < n; c++) {
            dot = dot.add(FloatVector.fromArray(FLOATS, panel, p + c * LANES).mul(x[xOffset + c]));
        }
        dot.intoArray(sums, s);
    }

    /** The reference's loop for one row {@code r} and batch row {@code b}: the rows past the last whole panel. */
    static float rowDot(float[] w, int cols, int r, float[] x, int xOffset) {
        float dot = 0.0f;
        for (int c = 0; c < cols; c++) {
            dot += w[r * cols + c] * x[xOffset + c];
        }
        return dot;
    }
}
