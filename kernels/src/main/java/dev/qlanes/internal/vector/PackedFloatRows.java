package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.FloatPanels.LANES;

import dev.qlanes.internal.FloatRows;
import java.util.Arrays;

/**
 * {@link FloatRows} over weights transposed once into {@link FloatPanels} panels of {@code L} rows: a call then costs
 * one vector load, multiply and add per column and batch row for every {@code L} rows, with no copy (the facade's
 * {@link FloatMatrixKernel} has to transpose per call). The rows past the last whole panel keep a row-major
 * copy and run the reference's loop. Immutable; thread-safe.
 */
final class PackedFloatRows implements FloatRows {
    private final int rows;
    private final int cols;
    /** Row tiles of {@code L} rows, tile {@code t} at {@code t·cols·L}, transposed. */
    private final float[] panels;
    /** The rows past the last whole panel, row-major (the panels hold the others: no second full copy). */
    private final float[] tail;
    private final int wholeRows;

    PackedFloatRows(float[] weights, int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        this.wholeRows = rows - rows % LANES;
        this.tail = Arrays.copyOfRange(weights, wholeRows * cols, rows * cols);
        this.panels = new float[Math.multiplyExact(wholeRows, cols)];
        for (int r = 0; r < wholeRows; r += LANES) {
            FloatPanels.transpose(weights, cols, r, 0, cols, panels, r * cols);
        }
    }

    @Override
    public void dots(float[] x, int batch, float[] out, int outOffset) {
        for (int b = 0; b < batch; b++) {
            int o = outOffset + b * rows;
            for (int r = 0; r < wholeRows; r += LANES) {
                Arrays.fill(out, o + r, o + r + LANES, 0.0f);
                FloatPanels.accumulate(panels, r * cols, cols, x, b * cols, out, o + r);
            }
            for (int r = wholeRows; r < rows; r++) {
                out[o + r] = FloatPanels.rowDot(tail, cols, r - wholeRows, x, b * cols);
            }
        }
    }
}
