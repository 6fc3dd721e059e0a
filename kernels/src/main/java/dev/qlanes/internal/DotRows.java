package dev.qlanes.internal;

/**
 * The dot-product loops over one weight matrix, bound to its memory when the weights are prepared: a
 * {@code rows × cols} row-major int8 matrix in a heap array, native memory or a mapped file. The memory kind is
 * chosen once, by {@link LayerKernels#rows}, so every loop behind this interface only ever sees one kind (mixing
 * kinds in one loop is the foreign memory API's profile-pollution trap, ~2.5-3x slower). Activations are widened to
 * 16 bits by the same object, in the layout its loops read, so a caller cannot pair one implementation's widening
 * with another's loops. Results are exact, wrapping int32.
 */
public interface DotRows {

    /**
     * {@code xw[c] = x[xOffset + c]} for {@code c < cols}: one activation row widened to 16 bits, once per row, for
     * every {@link #dots} call over that row.
     */
    void widen(byte[] x, int xOffset, short[] xw);

    /** Activation rows per {@link #dotsTile} pass: each widened weight chunk serves all of them. */
    int batchTile();

    /** The length of a {@link #widenTile} buffer. */
    int packedLength();

    /**
     * Widens {@link #batchTile} activation rows, row {@code k} at {@code x[xOffset + k·cols ...]}, into {@code packed} (at least
     * {@link #packedLength} long) in the layout {@link #dotsTile} reads.
     */
    void widenTile(byte[] x, int xOffset, short[] packed);

    /**
     * {@code dots[dotsOffset + (r - rowFrom)] = Σ_c w[r][c] · xw[c]} for {@code rowFrom <= r < rowTo}, {@code xw} from
     * {@link #widen}.
     */
    void dots(int rowFrom, int rowTo, short[] xw, int[] dots, int dotsOffset);

    /**
     * {@link #dots} for the {@link #batchTile} activation rows of a {@link #widenTile} buffer:
     * {@code dots[dotsOffset + k·dotsStride + (r - rowFrom)] = Σ_c w[r][c] · x_k[c]} for {@code k < batchTile()}.
     */
    void dotsTile(int rowFrom, int rowTo, short[] packed, int[] dots, int dotsOffset, int dotsStride);

    /** {@code sums[r] = Σ_c w[r][c]} for every row. */
    void rowSums(int[] sums);
}
