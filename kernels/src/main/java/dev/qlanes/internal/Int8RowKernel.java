package dev.qlanes.internal;

/**
 * A whole full-integer layer call for one activation row, in one pass: the dot products, bias, requantization, output
 * zero point, clamp and narrowing, with the layer's parameters bound at construction ({@link LayerKernels#int8Row}).
 * For layers so small that a call's fixed costs rival its dot products. Arguments are trusted: the layer validates
 * them first.
 */
public interface Int8RowKernel {

    /**
     * {@code out[outOffset + r] = clamp(MBQM(Σ_c w[r][c]·x[xOffset + c] + bias[r], M_r, shift_r) + zp, min, max)}
     * for every row {@code r}, in wrapping int32 and {@code DOUBLE_ROUNDING} (docs/semantics.md §3.6–§3.8), bit for
     * bit the layer's general path. Writes nothing past the row's outputs.
     */
    void apply(byte[] x, int xOffset, byte[] out, int outOffset);

    /**
     * {@code dots[r] = Σ_c w[r][c]·x[xOffset + c]} for every row {@code r}: the dot products alone, computed exactly as
     * {@link #apply} computes them (for tests and benchmarks' floors). Writes nothing past {@code dots[rows - 1]}.
     */
    void dots(byte[] x, int xOffset, int[] dots);
}
