package dev.qlanes.internal;

/**
 * {@link FloatRows} as the reference's loop over row-major weights (the scalar kernels' form).
 *
 * @param weights {@code rows × cols} floats, row-major, owned by this object
 */
record ScalarFloatRows(float[] weights, int rows, int cols) implements FloatRows {

    @Override
    public void dots(float[] x, int batch, float[] out, int outOffset) {
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < rows; r++) {
                float dot = 0.0f;
                for (int c = 0; c < cols; c++) {
                    dot += weights[r * cols + c] * x[b * cols + c];
                }
                out[outOffset + b * rows + r] = dot;
            }
        }
    }
}
