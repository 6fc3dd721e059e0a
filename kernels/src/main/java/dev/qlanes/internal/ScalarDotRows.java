package dev.qlanes.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link DotRows} as plain loops, one weight byte at a time, for {@link ScalarLayerKernels}: activations in its
 * layout, one row after the other ({@code x_k[c]} at {@code k·cols + c}).
 *
 * @param weights {@code rows × cols} bytes, row-major
 */
record ScalarDotRows(MemorySegment weights, int rows, int cols) implements DotRows {
    /** Activation rows per tile: any count is exact here; 4 keeps the layers' grouping what it is on the vector path. */
    private static final int TILE = 4;

    @Override
    public int batchTile() {
        return TILE;
    }

    @Override
    public void widen(byte[] x, int xOffset, short[] xw) {
        for (int c = 0; c < cols; c++) {
            xw[c] = x[xOffset + c];
        }
    }

    /** The tile's rows one after the other: {@code x_k[c]} at {@code k·cols + c}. */
    @Override
    public int packedLength() {
        return TILE * cols;
    }

    @Override
    public void widenTile(byte[] x, int xOffset, short[] packed) {
        for (int i = 0; i < TILE * cols; i++) {
            packed[i] = x[xOffset + i];
        }
    }

    @Override
    public void dots(int rowFrom, int rowTo, short[] xw, int[] dots, int dotsOffset) {
        dots(rowFrom, rowTo, xw, 0, dots, dotsOffset);
    }

    @Override
    public void dotsTile(int rowFrom, int rowTo, short[] packed, int[] dots, int dotsOffset, int dotsStride) {
        for (int k = 0; k < TILE; k++) {
            dots(rowFrom, rowTo, packed, k * cols, dots, dotsOffset + k * dotsStride);
        }
    }

    private void dots(int rowFrom, int rowTo, short[] x, int xOffset, int[] dots, int dotsOffset) {
        for (int r = rowFrom; r < rowTo; r++) {
            long w = (long) r * cols;
            int sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += weights.get(ValueLayout.JAVA_BYTE, w + c) * x[xOffset + c];
            }
            dots[dotsOffset + r - rowFrom] = sum;
        }
    }

    @Override
    public void rowSums(int[] sums) {
        for (int r = 0; r < rows; r++) {
            long w = (long) r * cols;
            int sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += weights.get(ValueLayout.JAVA_BYTE, w + c);
            }
            sums[r] = sum;
        }
    }
}
