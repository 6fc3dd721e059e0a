package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.FLOATS;
import static dev.qlanes.internal.vector.VectorShapes.FLOATS_CLASS;

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
            // loop-carried: cast to its exact class before a call on it (VectorShapes' *_CLASS constants)
            dot = FLOATS_CLASS.cast(dot).add(FloatVector.fromArray(FLOATS, panel, p + c * LANES).mul(x[xOffset + c]));
        }
        FLOATS_CLASS.cast(dot).intoArray(sums, s);
    }

    /** Rows whose sums {@link #addRowDots} keeps in flight: enough to hide the add's latency, few enough for x86's registers. */
    static final int INTERLEAVED_ROWS = 8;

    /**
     * {@code result[out + r - rowFrom] += rowDot(w, cols, r, x, 0)} for {@code rowFrom <= r < rowTo}, without
     * panels: scalar, {@value #INTERLEAVED_ROWS} rows at a time. Each row's sum is the reference's sequential loop, so
     * the results are the same bits; the reference waits on one add's latency per column, while here eight
     * independent sums share each activation load and fill the adders. For batch 1, where a per-call panel's copy
     * is not shared, at 128 bits ({@link RegisterTransposeDots} runs at 512, {@link BlendTransposeDots} at 256):
     * 4.4-4.6x the reference at 1x1024x1024 on a quiet Zen 4 (JMH), against ~2.3x through a panel. The activation
     * row starts at index 0 on purpose: an {@code x[xOffset + c]} index made C2 compile the loop about 2x slower.
     */
    static void addRowDots(float[] w, int cols, int rowFrom, int rowTo, float[] x, float[] result, int out) {
        int r = rowFrom;
        for (; r + INTERLEAVED_ROWS <= rowTo; r += INTERLEAVED_ROWS) {
            int m0 = r * cols;
            int m1 = m0 + cols;
            int m2 = m1 + cols;
            int m3 = m2 + cols;
            int m4 = m3 + cols;
            int m5 = m4 + cols;
            int m6 = m5 + cols;
            int m7 = m6 + cols;
            float d0 = 0.0f, d1 = 0.0f, d2 = 0.0f, d3 = 0.0f, d4 = 0.0f, d5 = 0.0f, d6 = 0.0f, d7 = 0.0f;
            int c = 0;
            // two columns per pass, each row's two products added in column order: C2 computes a row's index once
            // for both loads (it does not unroll this loop itself). The bound is cols - 1 on purpose: with the test
            // written c + 1 < cols, C2 kept a range check on every load and the loop ran 1.5x slower.
            for (int bound = cols - 1; c < bound; c += 2) {
                float v = x[c];
                float u = x[c + 1];
                d0 += w[m0 + c] * v;
                d1 += w[m1 + c] * v;
                d2 += w[m2 + c] * v;
                d3 += w[m3 + c] * v;
                d4 += w[m4 + c] * v;
                d5 += w[m5 + c] * v;
                d6 += w[m6 + c] * v;
                d7 += w[m7 + c] * v;
                d0 += w[m0 + c + 1] * u;
                d1 += w[m1 + c + 1] * u;
                d2 += w[m2 + c + 1] * u;
                d3 += w[m3 + c + 1] * u;
                d4 += w[m4 + c + 1] * u;
                d5 += w[m5 + c + 1] * u;
                d6 += w[m6 + c + 1] * u;
                d7 += w[m7 + c + 1] * u;
            }
            if (c < cols) { // an odd last column
                float v = x[c];
                d0 += w[m0 + c] * v;
                d1 += w[m1 + c] * v;
                d2 += w[m2 + c] * v;
                d3 += w[m3 + c] * v;
                d4 += w[m4 + c] * v;
                d5 += w[m5 + c] * v;
                d6 += w[m6 + c] * v;
                d7 += w[m7 + c] * v;
            }
            int o = out + r - rowFrom;
            result[o] += d0;
            result[o + 1] += d1;
            result[o + 2] += d2;
            result[o + 3] += d3;
            result[o + 4] += d4;
            result[o + 5] += d5;
            result[o + 6] += d6;
            result[o + 7] += d7;
        }
        for (; r < rowTo; r++) {
            result[out + r - rowFrom] += rowDot(w, cols, r, x, 0);
        }
    }

    /** The reference's loop for one row {@code r} and batch row {@code b}: the rows past the last whole panel. */
    static float rowDot(float[] w, int cols, int r, float[] x, int xOffset) {
        return continueDot(0.0f, w, r * cols, 0, cols, x, xOffset);
    }

    /**
     * {@code dot} continued in the reference's order over columns {@code [from, cols)} of the row that starts at
     * {@code w[m]}, with activations from {@code x[xOffset]}: the columns past a vector kernel's last whole block.
     */
    static float continueDot(float dot, float[] w, int m, int from, int cols, float[] x, int xOffset) {
        for (int c = from; c < cols; c++) {
            dot += w[m + c] * x[xOffset + c];
        }
        return dot;
    }
}
