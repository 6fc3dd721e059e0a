package dev.qlanes.internal.vector;

import java.lang.foreign.MemorySegment;

/**
 * The segment-weights operations of {@link SegmentDotKernel}, as an interface so that each memory kind can have
 * its own copy of the code (see {@link SegmentDotKernel#perKind()}).
 */
interface SegmentRowKernel {

    /**
     * {@code dots[dotsOffset + (r - rowFrom)] = Σ_c w[r][c] · xw[c]} for {@code rowFrom <= r < rowTo},
     * {@code w[r][c]} at byte {@code weightsOffset + r·cols + c} of {@code weights}, {@code xw} widened by
     * {@link RowRangeDotKernel#widenRow}; int32, wrapping.
     */
    void dots(MemorySegment weights, long weightsOffset, int cols, int rowFrom, int rowTo, short[] xw, int[] dots,
            int dotsOffset);

    /** {@link #dots} for four activation rows at once, as {@link RowRangeDotKernel#dots4} computes it. */
    void dots4(MemorySegment weights, long weightsOffset, int cols, int rowFrom, int rowTo, short[] packed, int[] dots,
            int dotsOffset, int dotsStride);

    /** {@code sums[r] = Σ_c w[r][c]} for {@code r < rows}; int32, wrapping. */
    void rowSums(MemorySegment weights, long weightsOffset, int rows, int cols, int[] sums);
}
