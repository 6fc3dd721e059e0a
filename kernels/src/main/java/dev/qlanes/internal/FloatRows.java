package dev.qlanes.internal;

/**
 * The float dot products of one {@code rows × cols} weight matrix, laid out once when a layer is built in whatever
 * form its loops read ({@link LayerKernels#floatRows}). Every dot product is TFLite's reference sum: from
 * {@code 0.0f}, over the columns in increasing order, each product and each sum rounded to float, no FMA
 * (docs/semantics.md §3.1), so results are bit-identical to the scalar loop.
 */
public interface FloatRows {

    /**
     * {@code out[outOffset + b·rows + r] = Σ_c w[r][c] · x[b·cols + c]} (the reference's order) for every
     * {@code b < batch} and row {@code r}. {@code x} and {@code out} must not overlap.
     */
    void dots(float[] x, int batch, float[] out, int outOffset);
}
