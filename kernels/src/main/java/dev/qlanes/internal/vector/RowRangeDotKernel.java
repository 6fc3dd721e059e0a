package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.BYTES_HALF;
import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.SHORTS;
import static dev.qlanes.internal.vector.WideningDotKernel.HIGH_WEIGHT;
import static dev.qlanes.internal.vector.WideningDotKernel.SPLIT_RESIDUE;
import static dev.qlanes.internal.vector.WideningDotKernel.splitBias;
import static dev.qlanes.internal.vector.WideningDotKernel.widen;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link WideningDotKernel}'s arithmetic (16-bit products, summed in pairs in 16 bits, then the biased split into
 * int lanes) for row-by-vector products over a row range of a heap {@code byte[]} matrix that starts at an offset
 * (a prepared copy, the array behind a heap segment, or a facade matrix), so that layers can split rows across
 * threads. The activation row is widened to 16 bits once ({@link #widenRow}) and reused by every row; rows go in tiles
 * of {@link #ROW_TILE}, so each activation chunk loaded serves four of them. Same exact, wrapping int32 results.
 *
 * <p>The activations sit at offset 0 of their own {@code short[]}: with one more loop-invariant offset C2 ran out
 * of registers in the tile loop, spilled an accumulator and recomputed addresses, and the loop ran ~15% slower
 * (measured on AVX2). The loop body is written out in one method; its only helper, {@link WideningDotKernel#widen},
 * is small enough that C2 always inlines it. A larger helper that C2 compiles on its own before its caller (as
 * happens during warm-up) may then be too big to inline, and every vector crossing that call is boxed, i.e.
 * allocated, on every iteration.
 */
public final class RowRangeDotKernel {
    private RowRangeDotKernel() {}

    /** Bytes consumed per vector step. */
    static final int STEP = BYTES_HALF.length();
    /** Rows per tile: 4 × (sums, highs) + 2 activation chunks + the bias fill 11 of AVX2's 16 vector registers. */
    static final int ROW_TILE = 4;
    /** Rows whose tiles interleave (see {@link #dots}): a layer's block, so that each block's streams are 16 rows long. */
    static final int ROW_GROUP = 64;

    /** {@code xw[c] = x[xOffset + c]} for {@code c < n}: an activation row widened to 16 bits for {@link #dots}. */
    public static void widenRow(byte[] x, int xOffset, int n, short[] xw) {
        int c = 0;
        for (int bound = BYTES_HALF.loopBound(n); c < bound; c += STEP) {
            WideningDotKernel.widen(x, xOffset + c).intoArray(xw, c);
        }
        for (; c < n; c++) {
            xw[c] = x[xOffset + c];
        }
    }

    /**
     * {@code dots[dotsOffset + (r - rowFrom)] = Σ_c w[r][c] · xw[c]} for {@code rowFrom <= r < rowTo},
     * {@code w[r][c]} at {@code weights[weightsOffset + r·cols + c]}, {@code xw} from {@link #widenRow}; int32, wrapping.
     *
     * <p>Rows go in groups of {@link #ROW_GROUP}; a group of {@code n} rows is covered by {@code q = n / 4} tiles, tile
     * {@code i} taking rows {@code i, i + q, i + 2q, i + 3q} of the group (the last {@code n % 4} rows go one by
     * one). Each of a tile's rows is its own stream of loads: with four adjacent rows every stream ended after one row
     * and the hardware prefetcher started four new ones per tile, while a quarter group apart each stream runs
     * {@code q} rows on. The loop's instructions are the same either way. JMH on AVX2 (Zen 3), batch 1, two runs
     * each: the hybrid layer at 1x4096x4096 went from 1262-1325 to 859-882 µs, at 1x1024x1024 from 62-65 to
     * 50-53 µs; the facade's MBVMA at 1x1024x1024 and 1x4096x1024 gained 2-16%.
     */
    public static void dots(byte[] weights, int weightsOffset, int cols, int rowFrom, int rowTo, short[] xw,
            int[] dots, int dotsOffset) {
        for (int g = rowFrom; g < rowTo; g += ROW_GROUP) {
            int n = Math.min(ROW_GROUP, rowTo - g);
            int quarter = n / ROW_TILE;
            int out = dotsOffset + g - rowFrom;
            for (int i = 0; i < quarter; i++) {
                rowTile(weights, weightsOffset + (g + i) * cols, quarter * cols, cols, xw, dots, out + i, quarter);
            }
            for (int r = ROW_TILE * quarter; r < n; r++) {
                dots[out + r] = dot(weights, weightsOffset + (g + r) * cols, xw, 0, cols);
            }
        }
    }

    /**
     * The dot products of rows {@code m0 + k·span} ({@code k < 4}, each {@code cols} bytes) with {@code xw}, into
     * {@code dots[out + k·outStride]}.
     */
    private static void rowTile(byte[] w, int m0, int span, int cols, short[] xw, int[] dots, int out,
            int outStride) {
        int m1 = m0 + span;
        int m2 = m1 + span;
        int m3 = m2 + span;
        ShortVector bias = splitBias();
        IntVector sums0 = IntVector.zero(INTS);
        IntVector sums1 = IntVector.zero(INTS);
        IntVector sums2 = IntVector.zero(INTS);
        IntVector sums3 = IntVector.zero(INTS);
        IntVector highs0 = IntVector.zero(INTS);
        IntVector highs1 = IntVector.zero(INTS);
        IntVector highs2 = IntVector.zero(INTS);
        IntVector highs3 = IntVector.zero(INTS);
        int c = 0;
        for (int bound = cols - 2 * STEP; c <= bound; c += 2 * STEP) {
            ShortVector x0 = ShortVector.fromArray(SHORTS, xw, c);
            ShortVector x1 = ShortVector.fromArray(SHORTS, xw, c + STEP);
            IntVector y0 = widen(w, m0 + c).mul(x0).add(widen(w, m0 + c + STEP).mul(x1)).add(bias)
                    .reinterpretAsInts();
            IntVector y1 = widen(w, m1 + c).mul(x0).add(widen(w, m1 + c + STEP).mul(x1)).add(bias)
                    .reinterpretAsInts();
            IntVector y2 = widen(w, m2 + c).mul(x0).add(widen(w, m2 + c + STEP).mul(x1)).add(bias)
                    .reinterpretAsInts();
            IntVector y3 = widen(w, m3 + c).mul(x0).add(widen(w, m3 + c + STEP).mul(x1)).add(bias)
                    .reinterpretAsInts();
            sums0 = sums0.add(y0);
            sums1 = sums1.add(y1);
            sums2 = sums2.add(y2);
            sums3 = sums3.add(y3);
            highs0 = highs0.add(y0.lanewise(VectorOperators.ASHR, 16));
            highs1 = highs1.add(y1.lanewise(VectorOperators.ASHR, 16));
            highs2 = highs2.add(y2.lanewise(VectorOperators.ASHR, 16));
            highs3 = highs3.add(y3.lanewise(VectorOperators.ASHR, 16));
        }
        int lanes = c / (2 * STEP) * INTS.length();
        int s0 = sums0.sub(highs0.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD) - SPLIT_RESIDUE * lanes;
        int s1 = sums1.sub(highs1.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD) - SPLIT_RESIDUE * lanes;
        int s2 = sums2.sub(highs2.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD) - SPLIT_RESIDUE * lanes;
        int s3 = sums3.sub(highs3.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD) - SPLIT_RESIDUE * lanes;
        if (c < cols) { // fewer than two steps left: row by row (a separate call keeps this loop's registers free)
            s0 += dot(w, m0 + c, xw, c, cols);
            s1 += dot(w, m1 + c, xw, c, cols);
            s2 += dot(w, m2 + c, xw, c, cols);
            s3 += dot(w, m3 + c, xw, c, cols);
        }
        dots[out] = s0;
        dots[out + outStride] = s1;
        dots[out + 2 * outStride] = s2;
        dots[out + 3 * outStride] = s3;
    }

    /** Activation rows per {@link #dots4} pass: 4 × (sums, highs) + 2 weight chunks + the bias in 11 registers. */
    public static final int BATCH_TILE = 4;

    /** The length of a {@link #widenRows4} buffer for rows of {@code n} columns. */
    public static int packedLength(int n) {
        return Math.ceilDiv(n, STEP) * BATCH_TILE * STEP;
    }

    /**
     * Widens {@value #BATCH_TILE} activation rows, row {@code k} at {@code x[xOffset + k·n ...]}, into one interleaved
     * buffer for {@link #dots4}: column block {@code j} (columns {@code j·STEP ..}) holds the four rows' blocks one
     * after the other, so {@code x_k[c]} is at {@link #packedIndex}{@code (c, k)}. The tile loop then addresses all
     * four rows from one induction variable with constant displacements: four separate arrays cost C2 four more
     * registers, spilled and reloaded each iteration (~1.4x slower on AVX2).
     */
    public static void widenRows4(byte[] x, int xOffset, int n, short[] packed) {
        int c = 0;
        for (int bound = BYTES_HALF.loopBound(n); c < bound; c += STEP) {
            for (int k = 0; k < BATCH_TILE; k++) {
                widen(x, xOffset + k * n + c).intoArray(packed, packedIndex(c, k));
            }
        }
        for (; c < n; c++) {
            for (int k = 0; k < BATCH_TILE; k++) {
                packed[packedIndex(c, k)] = x[xOffset + k * n + c];
            }
        }
    }

    /** Where {@link #widenRows4} puts column {@code c} of row {@code k}. */
    static int packedIndex(int c, int k) {
        return c / STEP * BATCH_TILE * STEP + k * STEP + c % STEP;
    }

    /**
     * {@link #dots} for {@value #BATCH_TILE} activation rows at once, from {@link #widenRows4}'s buffer:
     * {@code dots[dotsOffset + k·dotsStride + (r - rowFrom)] = Σ_c w[r][c] · x_k[c]} for {@code k < 4}, each weight
     * chunk widened once for all four. With several batch rows this beats four {@link #dots} passes (~1.5x on
     * AVX2): C2 widens with {@code vpmovsxbw ymm, xmm}, which issues once per cycle on Zen 3 (the memory form native
     * code uses issues twice), so widening is the costliest step of the loop, and here it is shared.
     */
    public static void dots4(byte[] w, int weightsOffset, int cols, int rowFrom, int rowTo, short[] packed,
            int[] dots, int dotsOffset, int dotsStride) {
        ShortVector bias = splitBias();
        for (int r = rowFrom; r < rowTo; r++) {
            int m = weightsOffset + r * cols;
            IntVector sums0 = IntVector.zero(INTS);
            IntVector sums1 = IntVector.zero(INTS);
            IntVector sums2 = IntVector.zero(INTS);
            IntVector sums3 = IntVector.zero(INTS);
            IntVector highs0 = IntVector.zero(INTS);
            IntVector highs1 = IntVector.zero(INTS);
            IntVector highs2 = IntVector.zero(INTS);
            IntVector highs3 = IntVector.zero(INTS);
            int c = 0;
            for (int bound = cols - 2 * STEP; c <= bound; c += 2 * STEP) {
                ShortVector w0 = widen(w, m + c);
                ShortVector w1 = widen(w, m + c + STEP);
                int p = BATCH_TILE * c; // packedIndex(c, 0): c is a multiple of STEP
                IntVector y0 = w0.mul(ShortVector.fromArray(SHORTS, packed, p))
                        .add(w1.mul(ShortVector.fromArray(SHORTS, packed, p + 4 * STEP))).add(bias).reinterpretAsInts();
                IntVector y1 = w0.mul(ShortVector.fromArray(SHORTS, packed, p + STEP))
                        .add(w1.mul(ShortVector.fromArray(SHORTS, packed, p + 5 * STEP))).add(bias).reinterpretAsInts();
                IntVector y2 = w0.mul(ShortVector.fromArray(SHORTS, packed, p + 2 * STEP))
                        .add(w1.mul(ShortVector.fromArray(SHORTS, packed, p + 6 * STEP))).add(bias).reinterpretAsInts();
                IntVector y3 = w0.mul(ShortVector.fromArray(SHORTS, packed, p + 3 * STEP))
                        .add(w1.mul(ShortVector.fromArray(SHORTS, packed, p + 7 * STEP))).add(bias).reinterpretAsInts();
                sums0 = sums0.add(y0);
                sums1 = sums1.add(y1);
                sums2 = sums2.add(y2);
                sums3 = sums3.add(y3);
                highs0 = highs0.add(y0.lanewise(VectorOperators.ASHR, 16));
                highs1 = highs1.add(y1.lanewise(VectorOperators.ASHR, 16));
                highs2 = highs2.add(y2.lanewise(VectorOperators.ASHR, 16));
                highs3 = highs3.add(y3.lanewise(VectorOperators.ASHR, 16));
            }
            int lanes = c / (2 * STEP) * INTS.length();
            int out = dotsOffset + r - rowFrom;
            dots[out] = sums0.sub(highs0.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD) - SPLIT_RESIDUE * lanes;
            dots[out + dotsStride] = sums1.sub(highs1.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD)
                    - SPLIT_RESIDUE * lanes;
            dots[out + 2 * dotsStride] = sums2.sub(highs2.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD)
                    - SPLIT_RESIDUE * lanes;
            dots[out + 3 * dotsStride] = sums3.sub(highs3.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD)
                    - SPLIT_RESIDUE * lanes;
            if (c < cols) { // fewer than two column blocks left
                for (int k = 0; k < BATCH_TILE; k++) {
                    dots[out + k * dotsStride] += packedTail(w, m, c, cols, packed, k);
                }
            }
        }
    }

    /** {@code Σ w[m + c] · x_k[c]} for {@code from <= c < to} from a {@link #widenRows4} buffer; int32, wrapping. */
    private static int packedTail(byte[] w, int m, int from, int to, short[] packed, int k) {
        int sum = 0;
        int c = from;
        if (to - c >= STEP) { // one whole block: from is a multiple of STEP
            IntVector y = widen(w, m + c).mul(ShortVector.fromArray(SHORTS, packed, packedIndex(c, k)))
                    .add(splitBias()).reinterpretAsInts();
            sum = y.sub(y.lanewise(VectorOperators.ASHR, 16).mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD)
                    - SPLIT_RESIDUE * INTS.length();
            c += STEP;
        }
        for (; c < to; c++) {
            sum += w[m + c] * packed[packedIndex(c, k)];
        }
        return sum;
    }

    /** {@code Σ w[m + (c - from)] · xw[c]} for {@code from <= c < to}; int32, wrapping. */
    static int dot(byte[] w, int m, short[] xw, int from, int to) {
        ShortVector bias = splitBias();
        IntVector sums = IntVector.zero(INTS);
        IntVector highs = IntVector.zero(INTS);
        int splits = 0;
        int c = from;
        for (int bound = to - 2 * STEP; c <= bound; c += 2 * STEP, splits++) {
            IntVector y = widen(w, m + c - from).mul(ShortVector.fromArray(SHORTS, xw, c))
                    .add(widen(w, m + c - from + STEP).mul(ShortVector.fromArray(SHORTS, xw, c + STEP)))
                    .add(bias).reinterpretAsInts();
            sums = sums.add(y);
            highs = highs.add(y.lanewise(VectorOperators.ASHR, 16));
        }
        for (int bound = to - STEP; c <= bound; c += STEP, splits++) {
            IntVector y = widen(w, m + c - from).mul(ShortVector.fromArray(SHORTS, xw, c)).add(bias)
                    .reinterpretAsInts();
            sums = sums.add(y);
            highs = highs.add(y.lanewise(VectorOperators.ASHR, 16));
        }
        int sum = sums.sub(highs.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD)
                - SPLIT_RESIDUE * (splits * INTS.length());
        for (; c < to; c++) {
            sum += w[m + c - from] * xw[c];
        }
        return sum;
    }

    /** {@code sums[r] = Σ_c w[r][c]} for {@code r < rows}; int32, wrapping. */
    public static void rowSums(byte[] weights, int weightsOffset, int rows, int cols, int[] sums) {
        for (int r = 0; r < rows; r++) {
            sums[r] = WideningDotKernel.sum(weights, weightsOffset + r * cols, cols);
        }
    }
}
