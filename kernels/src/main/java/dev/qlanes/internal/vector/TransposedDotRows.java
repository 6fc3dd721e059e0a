package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.INTS_CLASS;

import dev.qlanes.internal.DotRows;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.IntVector;

/**
 * Exact int8 dot products of a matrix with short rows (at most {@link #MAX_COLS} columns), vectorized across rows: a
 * column-major int32 copy of the weights, made once, gives each lane one row, and each column adds
 * {@code w[r][c] · x[c]} to every lane at once, a load, a multiply and an add per vector of rows, with no reduction.
 * The row-major loops need rows of whole double steps ({@code 2 · STEP} bytes): shorter rows, and the part of a row
 * past its last double step, went one scalar at a time, four times over at batch 4 and more. A probe (Zen 4, 512 bits,
 * int8 layer, best of 15 × 4,000 calls; ns per call at batch 1 / batch 32):
 * <ul>
 *   <li>8 inputs, 128 units (ToyCar's 8→128): 717 / 67,195 before, 163 / 3,980 here;</li>
 *   <li>16 inputs, 16 units (hello_world's middle layer): 218 / 15,381 before, 75 / 1,346 here;</li>
 *   <li>63 inputs, 128 units: 4,593 / 235,012 before, 572 / 11,975 here;</li>
 *   <li>64 inputs, 128 units, whole double steps (not served here): 697 / 24,280 row-major, 582 / 11,794 here.</li>
 * </ul>
 * Sums wrap like int32 in any order, so the results are the row-major loops' bits.
 *
 * <p>Activations are widened, and rows summed, by the row-major loops it wraps ({@code rowMajor}), so the activation
 * layouts stay theirs: {@code xw[c]} for {@link #dots}, {@link ArrayDotLoops#packedIndex} for {@link #dotsTile}.
 */
final class TransposedDotRows implements DotRows {

    /**
     * The longest rows taken: shorter than one double step of the row-major loops, where they read a scalar at a time
     * (63 columns at 512 bits, 31 at 256, 15 at 128).
     */
    static final int MAX_COLS = 2 * ArrayDotLoops.STEP - 1;
    /**
     * The most weights copied: the int32 copy is four times the int8 matrix, so 1 Mi weights cost 4 MiB, while the
     * small layers this serves (ToyCar's 8→128, hello_world's 16→16) hold a few thousand.
     */
    static final int MAX_WEIGHTS = 1 << 20;

    /**
     * Row vectors per pass of {@link #dots}. One vector's sums are one chain of dependent adds, a column per step; four
     * independent chains keep the multipliers busy, and each column's activation is broadcast once for all four.
     * JMH, ToyCar's 8→128 (1×128×8, Zen 4, two rounds alternating the builds): the dot products 103 → 51-53 ns under
     * {@code -XX:UseAVX=2} and 56 → 44 ns at 512 bits; the hybrid layer 221 → 146-155 and 199 → 169-176 ns.
     */
    static final int ROW_TILE = 4;

    private final DotRows rowMajor;
    private final int cols;
    /** {@code columns[c · stride + r] = w[r][c]}; lanes past the last row read zeros. */
    private final int[] columns;
    /** Rows rounded up to whole vectors, plus one vector, so that a vector from any row start stays in its column. */
    private final int stride;
    /** {@code packedAt[c]}: where a {@code widenTile} buffer holds column {@code c} of its first row. */
    private final int[] packedAt;

    /** Whether a {@code rows × cols} matrix takes this kernel. */
    static boolean serves(int rows, int cols) {
        return cols >= 1 && cols <= MAX_COLS && (long) rows * cols <= MAX_WEIGHTS;
    }

    /** The kernel over {@code rows × cols} row-major weights in {@code weights}, widened and summed by {@code rowMajor}. */
    TransposedDotRows(DotRows rowMajor, MemorySegment weights, int rows, int cols) {
        if (!serves(rows, cols) || rowMajor.batchTile() != ArrayDotLoops.BATCH_TILE) {
            throw new IllegalArgumentException(rows + "x" + cols + " weights with batch tile " + rowMajor.batchTile()
                    + ", expected 1.." + MAX_COLS + " columns, at most " + MAX_WEIGHTS + " weights and tile "
                    + ArrayDotLoops.BATCH_TILE);
        }
        this.rowMajor = rowMajor;
        this.cols = cols;
        this.stride = Math.ceilDiv(rows, INTS.length()) * INTS.length() + INTS.length();
        this.columns = new int[cols * stride];
        this.packedAt = new int[cols];
        for (int c = 0; c < cols; c++) {
            packedAt[c] = ArrayDotLoops.packedIndex(c, 0, cols);
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                columns[c * stride + r] = weights.get(ValueLayout.JAVA_BYTE, (long) r * cols + c);
            }
        }
    }

    @Override
    public void widen(byte[] x, int xOffset, short[] xw) {
        rowMajor.widen(x, xOffset, xw);
    }

    @Override
    public int batchTile() {
        return rowMajor.batchTile();
    }

    @Override
    public int packedLength() {
        return rowMajor.packedLength();
    }

    @Override
    public void widenTile(byte[] x, int xOffset, short[] packed) {
        rowMajor.widenTile(x, xOffset, packed);
    }

    @Override
    public void rowSums(int[] sums) {
        rowMajor.rowSums(sums);
    }

    /** {@link #ROW_TILE} vectors of rows at a time, then one vector at a time, the last one masked. */
    @Override
    public void dots(int rowFrom, int rowTo, short[] xw, int[] dots, int dotsOffset) {
        int lanes = INTS.length();
        int r = rowFrom;
        for (; r + ROW_TILE * lanes <= rowTo; r += ROW_TILE * lanes) {
            IntVector sums0 = IntVector.zero(INTS);
            IntVector sums1 = IntVector.zero(INTS);
            IntVector sums2 = IntVector.zero(INTS);
            IntVector sums3 = IntVector.zero(INTS);
            for (int c = 0; c < cols; c++) {
                int xc = xw[c];
                int at = c * stride + r;
                sums0 = INTS_CLASS.cast(sums0).add(IntVector.fromArray(INTS, columns, at).mul(xc));
                sums1 = INTS_CLASS.cast(sums1).add(IntVector.fromArray(INTS, columns, at + lanes).mul(xc));
                sums2 = INTS_CLASS.cast(sums2).add(IntVector.fromArray(INTS, columns, at + 2 * lanes).mul(xc));
                sums3 = INTS_CLASS.cast(sums3).add(IntVector.fromArray(INTS, columns, at + 3 * lanes).mul(xc));
            }
            int out = dotsOffset + r - rowFrom;
            INTS_CLASS.cast(sums0).intoArray(dots, out);
            INTS_CLASS.cast(sums1).intoArray(dots, out + lanes);
            INTS_CLASS.cast(sums2).intoArray(dots, out + 2 * lanes);
            INTS_CLASS.cast(sums3).intoArray(dots, out + 3 * lanes);
        }
        for (; r < rowTo; r += lanes) {
            IntVector sums = IntVector.zero(INTS);
            for (int c = 0; c < cols; c++) { // loop-carried sums cast to their exact class: VectorShapes.INTS_CLASS
                sums = INTS_CLASS.cast(sums).add(IntVector.fromArray(INTS, columns, c * stride + r).mul(xw[c]));
            }
            INTS_CLASS.cast(sums).intoArray(dots, dotsOffset + r - rowFrom, INTS.indexInRange(r, rowTo));
        }
    }

    /** {@link ArrayDotLoops#BATCH_TILE} batch rows per weight vector: each column's load serves all four. */
    @Override
    public void dotsTile(int rowFrom, int rowTo, short[] packed, int[] dots, int dotsOffset, int dotsStride) {
        for (int r = rowFrom; r < rowTo; r += INTS.length()) {
            IntVector sums0 = IntVector.zero(INTS);
            IntVector sums1 = IntVector.zero(INTS);
            IntVector sums2 = IntVector.zero(INTS);
            IntVector sums3 = IntVector.zero(INTS);
            for (int c = 0; c < cols; c++) {
                IntVector w = IntVector.fromArray(INTS, columns, c * stride + r);
                int p = packedAt[c]; // x_k[c] is STEP further on for each k
                sums0 = INTS_CLASS.cast(sums0).add(w.mul(packed[p]));
                sums1 = INTS_CLASS.cast(sums1).add(w.mul(packed[p + ArrayDotLoops.STEP]));
                sums2 = INTS_CLASS.cast(sums2).add(w.mul(packed[p + 2 * ArrayDotLoops.STEP]));
                sums3 = INTS_CLASS.cast(sums3).add(w.mul(packed[p + 3 * ArrayDotLoops.STEP]));
            }
            int out = dotsOffset + r - rowFrom;
            var live = INTS.indexInRange(r, rowTo);
            INTS_CLASS.cast(sums0).intoArray(dots, out, live);
            INTS_CLASS.cast(sums1).intoArray(dots, out + dotsStride, live);
            INTS_CLASS.cast(sums2).intoArray(dots, out + 2 * dotsStride, live);
            INTS_CLASS.cast(sums3).intoArray(dots, out + 3 * dotsStride, live);
        }
    }
}
