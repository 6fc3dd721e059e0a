// GENERATED from kernels/src/template/DotLoops.java.template by scripts/generate-loops.sh: edit the template, not this file.
package dev.qlanes.jmh;

import static dev.qlanes.jmh.WideningFloorBenchmark.BYTES_HALF;
import static dev.qlanes.jmh.WideningFloorBenchmark.BYTES_HALF_CLASS;
import static dev.qlanes.jmh.WideningFloorBenchmark.INTS;
import static dev.qlanes.jmh.WideningFloorBenchmark.INTS_CLASS;
import static dev.qlanes.jmh.WideningFloorBenchmark.SHORTS;
import static dev.qlanes.jmh.WideningFloorBenchmark.SHORTS_CLASS;
import static jdk.incubator.vector.VectorOperators.B2S;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Lower bounds, not kernels: {@code ArrayDotLoops}' loops (the same template) with the least that any exact fold of
 * 16-bit pair sums into int32 known to us adds to {@link FloorDotLoops}: per pair-sum vector, one instruction that
 * brings the high halves' information down (here the shift; a widening, a shuffle or a compare to count signs costs
 * as much) and one that accumulates it. Adds, subtracts, low multiplies and logic alone cannot do it: their result
 * bits depend only on operand bits at or below them, so the carries out of the high halves are lost. The bias of
 * {@code BiasedSplit} is left out, so the results are wrong. Used by {@link WideningFloorBenchmark#gemvFoldFloor}.
 *
 * <p>Every loop body is written out in one method, with no helper inside a loop that takes or returns a vector (the
 * widening is a template macro; the split bias comes from one call per method, before its loops): C2 compiles such a
 * helper on its own during warm-up, may then call that code where it deems the call cold instead of inlining it,
 * and every vector crossing the call is boxed, i.e. allocated, on every iteration. That is why the
 * loops are generated from one template instead of sharing helpers. Values whose exact vector class C2 cannot see
 * while parsing (accumulators, {@code reinterpret} results) are cast to it first: {@code VectorShapes.INTS_CLASS}.
 */
final class FoldFloorDotLoops {
    private FoldFloorDotLoops() {}

    /** Bytes consumed per vector step. */
    static final int STEP = BYTES_HALF.length();
    /** Weight rows per tile at batch 1: see the template's header for the register budget. */
    static final int ROW_TILE = 4;
    /** Activation rows per {@link #dotsTile} pass: each widened weight chunk serves all of them. */
    public static final int BATCH_TILE = 4;
    /** Rows whose tiles interleave (see {@link #dots}): a layer's block, so that each block's streams are 16 rows long. */
    static final int ROW_GROUP = 64;
    /**
     * Fewer columns than this past a row's last double step go one by one at batch 1: a vector step's set-up and
     * reduction cost more than a few scalar multiply-adds.
     */
    static final int SCALAR_TAIL = 8;

    /**
     * {@code STEP} zero lanes, then {@code STEP} lanes of all ones: the vector at {@code STEP - d} is all ones in lanes
     * {@code d} and up. ANDed into the activations of a step that ends at a row's end, it drops the columns already
     * counted: one load and one AND, where a mask built per step would take a lane compare and a blend. Loaded where it
     * is used, not through a helper: a helper that returns a vector boxes it whenever C2 leaves the call in place.
     */
    private static final short[] KEEP_FROM = new short[2 * STEP];

    static {
        java.util.Arrays.fill(KEEP_FROM, STEP, 2 * STEP, (short) -1);
    }

    /** {@code xw[c] = x[xOffset + c]} for {@code c < n}: an activation row widened to 16 bits for {@link #dots}. */
    public static void widenRow(byte[] x, int xOffset, int n, short[] xw) {
        int c = 0;
        for (int bound = BYTES_HALF.loopBound(n); c < bound; c += STEP) {
            ShortVector widened = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, x, xOffset + c)).convertShape(B2S, SHORTS, 0));
            widened.intoArray(xw, c);
        }
        for (; c < n; c++) {
            xw[c] = x[xOffset + c];
        }
    }

    /** The length of a {@link #widenTile} buffer for rows of {@code n} columns. */
    public static int packedLength(int n) {
        return Math.ceilDiv(n, STEP) * BATCH_TILE * STEP;
    }

    /**
     * Widens {@value #BATCH_TILE} activation rows, row {@code k} at {@code x[xOffset + k·n ...]}, into one interleaved
     * buffer for {@link #dotsTile}: column block {@code j} (columns {@code j·STEP ..}) holds the rows' blocks one after
     * the other, so {@code x_k[c]} is at {@link #packedIndex}{@code (c, k, n)}. The tile loop then addresses all rows from
     * one induction variable with constant displacements: separate arrays cost C2 more registers, spilled and
     * reloaded each iteration (~1.4x slower on AVX2).
     */
    public static void widenTile(byte[] x, int xOffset, int n, short[] packed) {
        int c = 0;
        for (int bound = BYTES_HALF.loopBound(n); c < bound; c += STEP) {
            for (int k = 0; k < BATCH_TILE; k++) {
                ShortVector widened = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, x, xOffset + k * n + c)).convertShape(B2S, SHORTS, 0));
                widened.intoArray(packed, BATCH_TILE * c + k * STEP); // packedIndex(c, k, n)
            }
        }
        if (c < n && n >= STEP) { // the last block right-aligned, its lanes of columns before c zeroed (tileTail)
            ShortVector counted = ShortVector.fromArray(SHORTS, KEEP_FROM, n - c); // lanes from c - (n - STEP) on
            for (int k = 0; k < BATCH_TILE; k++) {
                ShortVector widened = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, x, xOffset + k * n + n - STEP)).convertShape(B2S, SHORTS, 0));
                widened.and(counted).intoArray(packed, BATCH_TILE * c + k * STEP);
            }
            return;
        }
        for (; c < n; c++) {
            for (int k = 0; k < BATCH_TILE; k++) {
                packed[packedIndex(c, k, n)] = x[xOffset + k * n + c];
            }
        }
    }

    /**
     * Where {@link #widenTile} puts column {@code c} of row {@code k} of rows of {@code n} columns: in column block
     * {@code c / STEP}, at lane {@code c % STEP}, except in a partial last block of rows of at least {@code STEP}
     * columns, which holds columns {@code n - STEP .. n - 1} (lanes of earlier columns zero), so that it lines up with
     * a row's last {@code STEP} weights.
     */
    static int packedIndex(int c, int k, int n) {
        int whole = n - n % STEP;
        int lane = c < whole || n < STEP ? c % STEP : c - (n - STEP);
        return c / STEP * BATCH_TILE * STEP + k * STEP + lane;
    }

    /**
     * All row-by-vector dot products of a matrix batch product, {@code dots[b·rows + r] = Σ_c matrix[r][c] ·
     * vectors[b][c]}: batch rows go through {@link #dotsTile} {@value #BATCH_TILE} at a time (widened into
     * {@code packed}, {@link #packedLength} long), the rest one at a time through {@link #dots} (widened into
     * {@code xw}, {@code cols} long). {@code xw} and {@code packed} may be the same array.
     */
    public static void gemv(byte[] matrix, int rows, int cols, byte[] vectors, int batch, int[] dots, short[] xw,
            short[] packed) {
        int b = 0;
        for (; b + BATCH_TILE <= batch; b += BATCH_TILE) {
            widenTile(vectors, b * cols, cols, packed);
            dotsTile(matrix, 0, cols, 0, rows, packed, dots, b * rows, rows);
        }
        for (; b < batch; b++) {
            widenRow(vectors, b * cols, cols, xw);
            dots(matrix, 0, cols, 0, rows, xw, dots, b * rows);
        }
    }

    /** {@code Σ a[aOff + i] · b[bOff + i]} for {@code i < n}, wrapping like int32: both operands widened here. */
    public static int dot(byte[] a, int aOff, byte[] b, int bOff, int n) {
        // two independent (sums, highs) pairs, each fed by a 16-bit sum of two products
        IntVector sums0 = IntVector.zero(INTS);
        IntVector sums1 = IntVector.zero(INTS);
        IntVector highs0 = IntVector.zero(INTS);
        IntVector highs1 = IntVector.zero(INTS);
        // One index per operand, operands named before use: indexed as aOff + i and bOff + i, C2 kept both
        // offsets on the stack and re-added them every iteration (seen in the generated code), and the loop ran
        // 12-15% slower at n = 1024 and 4096 on AVX2. Written as one nested expression, the floor variant boxed its
        // accumulators once recompiled in JMH's fork (2 KB per call).
        int ia = aOff;
        int ib = bOff;
        for (int end = aOff + n - 4 * STEP; ia <= end; ia += 4 * STEP, ib += 4 * STEP) {
            ShortVector a0 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, a, ia + 0 * STEP)).convertShape(B2S, SHORTS, 0));
            ShortVector a1 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, a, ia + 1 * STEP)).convertShape(B2S, SHORTS, 0));
            ShortVector a2 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, a, ia + 2 * STEP)).convertShape(B2S, SHORTS, 0));
            ShortVector a3 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, a, ia + 3 * STEP)).convertShape(B2S, SHORTS, 0));
            ShortVector b0 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, b, ib + 0 * STEP)).convertShape(B2S, SHORTS, 0));
            ShortVector b1 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, b, ib + 1 * STEP)).convertShape(B2S, SHORTS, 0));
            ShortVector b2 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, b, ib + 2 * STEP)).convertShape(B2S, SHORTS, 0));
            ShortVector b3 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, b, ib + 3 * STEP)).convertShape(B2S, SHORTS, 0));
            IntVector y0 = INTS_CLASS.cast(SHORTS_CLASS.cast(a0.mul(b0).add(a1.mul(b1))).reinterpretAsInts());
            IntVector y1 = INTS_CLASS.cast(SHORTS_CLASS.cast(a2.mul(b2).add(a3.mul(b3))).reinterpretAsInts());
            sums0 = INTS_CLASS.cast(sums0).add(y0);
            sums1 = INTS_CLASS.cast(sums1).add(y1);
            highs0 = INTS_CLASS.cast(highs0).add(y0.lanewise(VectorOperators.ASHR, 16));
            highs1 = INTS_CLASS.cast(highs1).add(y1.lanewise(VectorOperators.ASHR, 16));
        }
        int i = ia - aOff;
        int splits = i / (2 * STEP);
        for (int bound = n - STEP; i <= bound; i += STEP, splits++) {
            ShortVector aw = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, a, aOff + i)).convertShape(B2S, SHORTS, 0));
            ShortVector bw = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, b, bOff + i)).convertShape(B2S, SHORTS, 0));
            IntVector y = INTS_CLASS.cast(SHORTS_CLASS.cast(aw.mul(bw)).reinterpretAsInts());
            sums0 = INTS_CLASS.cast(sums0).add(y);
            highs0 = INTS_CLASS.cast(highs0).add(y.lanewise(VectorOperators.ASHR, 16));
        }
        int sum = INTS_CLASS.cast(INTS_CLASS.cast(sums0).add(sums1)).add(INTS_CLASS.cast(highs0).add(highs1)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    /**
     * {@code dots[dotsOffset + (r - rowFrom)] = Σ_c w[r][c] · xw[c]} for {@code rowFrom <= r < rowTo},
     * {@code w[r][c]} at {@code weights[weightsOffset + r·cols + c]}, {@code xw} from {@code widenRow}; int32, wrapping.
     *
     * <p>Rows go in groups of {@link #ROW_GROUP}; a group of {@code n} rows is covered by {@code q = n / ROW_TILE} tiles,
     * tile {@code i} taking rows {@code i, i + q, i + 2q, ...} of the group (the last {@code n % ROW_TILE} rows go one
     * by one). Each of a tile's rows is its own stream of loads: with adjacent rows every stream ended after one row
     * and the hardware prefetcher started new ones per tile, while a fraction of a group apart each stream runs
     * {@code q} rows on. JMH on AVX2 (Zen 3), batch 1: the hybrid layer at 1x4096x4096 went from 1262-1325 to 859-882
     * µs, at 1x1024x1024 from 62-65 to 50-53 µs.
     */
    public static void dots(byte[] weights, int weightsOffset, int cols, int rowFrom, int rowTo, short[] xw,
            int[] dots, int dotsOffset) {
        if (cols < STEP) { // not one vector step per row: a tile would set up and reduce its accumulators for nothing
            int r = rowFrom;
            for (; r + 4 <= rowTo; r += 4) { // four independent sums per column, scalar
                int m = weightsOffset + r * cols;
                int s0 = 0;
                int s1 = 0;
                int s2 = 0;
                int s3 = 0;
                for (int c = 0; c < cols; c++) {
                    int x = xw[c];
                    s0 += weights[m + c] * x;
                    s1 += weights[m + cols + c] * x;
                    s2 += weights[m + 2 * cols + c] * x;
                    s3 += weights[m + 3 * cols + c] * x;
                }
                int o = dotsOffset + r - rowFrom;
                dots[o] = s0;
                dots[o + 1] = s1;
                dots[o + 2] = s2;
                dots[o + 3] = s3;
            }
            for (; r < rowTo; r++) {
                dots[dotsOffset + r - rowFrom] = dot(weights, weightsOffset + r * cols, xw, cols);
            }
            return;
        }
        for (int g = rowFrom; g < rowTo; g += ROW_GROUP) {
            int n = Math.min(ROW_GROUP, rowTo - g);
            int span = n / ROW_TILE;
            int out = dotsOffset + g - rowFrom;
            for (int i = 0; i < span; i++) {
                rowTile(weights, weightsOffset + (g + i) * cols, span * cols, cols, xw, dots, out + i,
                        span);
            }
            for (int r = ROW_TILE * span; r < n; r++) {
                dots[out + r] = dot(weights, weightsOffset + (g + r) * cols, xw, cols);
            }
        }
    }

    /**
     * The dot products of rows {@code first + k·span} ({@code k < ROW_TILE}, each {@code cols} bytes) with {@code xw},
     * into {@code dots[out + k·outStride]}.
     */
    private static void rowTile(byte[] w, int first, int span, int cols, short[] xw, int[] dots, int out,
            int outStride) {
        int m0 = first + 0 * span;
        IntVector sums0 = IntVector.zero(INTS);
        IntVector highs0 = IntVector.zero(INTS);
        int m1 = first + 1 * span;
        IntVector sums1 = IntVector.zero(INTS);
        IntVector highs1 = IntVector.zero(INTS);
        int m2 = first + 2 * span;
        IntVector sums2 = IntVector.zero(INTS);
        IntVector highs2 = IntVector.zero(INTS);
        int m3 = first + 3 * span;
        IntVector sums3 = IntVector.zero(INTS);
        IntVector highs3 = IntVector.zero(INTS);
        int c = 0;
        for (int bound = cols - 2 * STEP; c <= bound; c += 2 * STEP) {
            ShortVector x0 = ShortVector.fromArray(SHORTS, xw, c);
            ShortVector x1 = ShortVector.fromArray(SHORTS, xw, c + STEP);
            ShortVector first0 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, w, m0 + c)).convertShape(B2S, SHORTS, 0));
            ShortVector second0 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, w, m0 + c + STEP)).convertShape(B2S, SHORTS, 0));
            IntVector y0 = INTS_CLASS.cast(SHORTS_CLASS.cast(first0.mul(x0).add(second0.mul(x1))).reinterpretAsInts());
            ShortVector first1 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, w, m1 + c)).convertShape(B2S, SHORTS, 0));
            ShortVector second1 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, w, m1 + c + STEP)).convertShape(B2S, SHORTS, 0));
            IntVector y1 = INTS_CLASS.cast(SHORTS_CLASS.cast(first1.mul(x0).add(second1.mul(x1))).reinterpretAsInts());
            ShortVector first2 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, w, m2 + c)).convertShape(B2S, SHORTS, 0));
            ShortVector second2 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, w, m2 + c + STEP)).convertShape(B2S, SHORTS, 0));
            IntVector y2 = INTS_CLASS.cast(SHORTS_CLASS.cast(first2.mul(x0).add(second2.mul(x1))).reinterpretAsInts());
            ShortVector first3 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, w, m3 + c)).convertShape(B2S, SHORTS, 0));
            ShortVector second3 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, w, m3 + c + STEP)).convertShape(B2S, SHORTS, 0));
            IntVector y3 = INTS_CLASS.cast(SHORTS_CLASS.cast(first3.mul(x0).add(second3.mul(x1))).reinterpretAsInts());
            sums0 = INTS_CLASS.cast(sums0).add(y0);
            sums1 = INTS_CLASS.cast(sums1).add(y1);
            sums2 = INTS_CLASS.cast(sums2).add(y2);
            sums3 = INTS_CLASS.cast(sums3).add(y3);
            highs0 = INTS_CLASS.cast(highs0).add(y0.lanewise(VectorOperators.ASHR, 16));
            highs1 = INTS_CLASS.cast(highs1).add(y1.lanewise(VectorOperators.ASHR, 16));
            highs2 = INTS_CLASS.cast(highs2).add(y2.lanewise(VectorOperators.ASHR, 16));
            highs3 = INTS_CLASS.cast(highs3).add(y3.lanewise(VectorOperators.ASHR, 16));
        }
        int lanes = c / (2 * STEP) * INTS.length();
        dots[out + 0 * outStride] = INTS_CLASS.cast(sums0).add(highs0).reduceLanes(VectorOperators.ADD);
        dots[out + 1 * outStride] = INTS_CLASS.cast(sums1).add(highs1).reduceLanes(VectorOperators.ADD);
        dots[out + 2 * outStride] = INTS_CLASS.cast(sums2).add(highs2).reduceLanes(VectorOperators.ADD);
        dots[out + 3 * outStride] = INTS_CLASS.cast(sums3).add(highs3).reduceLanes(VectorOperators.ADD);
        if (c < cols) { // fewer than two steps left (a separate call keeps this loop's registers free)
            rowTileTail(w, first, span, xw, c, cols, dots, out, outStride);
        }
    }

    /**
     * Adds {@code Σ w_k[c] · xw[c]} over {@code from <= c < cols} to {@code dots[out + k·outStride]} for the rows
     * {@code w_k} at {@code w[first + k·span ..]}, {@code k < ROW_TILE}: the columns past the rows' last double step
     * (fewer than {@code 2 · STEP}, with {@code cols >= STEP}). One whole step if there is room, then the step that
     * ends at the rows' end, its activation lanes of columns already counted zeroed; fewer than
     * {@link #SCALAR_TAIL} columns go one by one. One call per tile, the activations loaded and masked once for its
     * rows.
     */
    private static void rowTileTail(byte[] w, int first, int span, short[] xw, int from, int cols, int[] dots,
            int out, int outStride) {
        // One row at a time: written out for the four rows at once, this made dots(), which inlines it, big enough
        // after a varied warm-up that C2 left widenings to the Vector API's Java fallback, which allocates.
        if (cols - from < SCALAR_TAIL) {
            for (int k = 0; k < ROW_TILE; k++) {
                int m = first + k * span;
                int sum = 0;
                for (int c = from; c < cols; c++) {
                    sum += w[m + c] * xw[c];
                }
                dots[out + k * outStride] += sum;
            }
            return;
        }
        boolean two = cols - from > STEP; // a whole step first, then the last one
        int end = cols - STEP;
        int lanes = (two ? 2 : 1) * INTS.length();
        ShortVector x0 = ShortVector.fromArray(SHORTS, xw, two ? from : end); // used only if two: kept in bounds
        ShortVector x1 = ShortVector.fromArray(SHORTS, xw, end)
                .and(ShortVector.fromArray(SHORTS, KEEP_FROM, two ? end - from : cols - from));
        for (int k = 0; k < ROW_TILE; k++) {
            int m = first + k * span;
            ShortVector last = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, w, m + end)).convertShape(B2S, SHORTS, 0));
            IntVector sums = INTS_CLASS.cast(SHORTS_CLASS.cast(last.mul(x1)).reinterpretAsInts());
            IntVector highs = sums.lanewise(VectorOperators.ASHR, 16);
            if (two) {
                ShortVector whole = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, w, m + from)).convertShape(B2S, SHORTS, 0));
                IntVector y = INTS_CLASS.cast(SHORTS_CLASS.cast(whole.mul(x0)).reinterpretAsInts());
                sums = INTS_CLASS.cast(sums).add(y);
                highs = INTS_CLASS.cast(highs).add(y.lanewise(VectorOperators.ASHR, 16));
            }
            dots[out + k * outStride] += INTS_CLASS.cast(sums).add(highs).reduceLanes(VectorOperators.ADD);
        }
    }

    /**
     * {@link #dots} for {@value #BATCH_TILE} activation rows at once, from {@code widenTile}'s buffer:
     * {@code dots[dotsOffset + k·dotsStride + (r - rowFrom)] = Σ_c w[r][c] · x_k[c]}, each weight chunk widened once
     * for all of them. With several batch rows this beats separate {@link #dots} passes (~1.5x on AVX2): C2 widens
     * with {@code vpmovsxbw ymm, xmm}, which issues once per cycle on Zen 3, so widening is the costliest step of the
     * loop, and here it is shared.
     */
    public static void dotsTile(byte[] w, int weightsOffset, int cols, int rowFrom, int rowTo, short[] packed,
            int[] dots, int dotsOffset, int dotsStride) {
        if (cols < STEP) { // not one vector step per row: the tile would set up and reduce its accumulators for nothing
            for (int r = rowFrom; r < rowTo; r++) { // one weight load, four sums, scalar; x_k[c] is at k·STEP + c
                int m = weightsOffset + r * cols;
                int s0 = 0;
                int s1 = 0;
                int s2 = 0;
                int s3 = 0;
                for (int c = 0; c < cols; c++) {
                    int v = w[m + c];
                    s0 += v * packed[0 * STEP + c];
                    s1 += v * packed[1 * STEP + c];
                    s2 += v * packed[2 * STEP + c];
                    s3 += v * packed[3 * STEP + c];
                }
                int out = dotsOffset + r - rowFrom;
                dots[out + 0 * dotsStride] = s0;
                dots[out + 1 * dotsStride] = s1;
                dots[out + 2 * dotsStride] = s2;
                dots[out + 3 * dotsStride] = s3;
            }
            return;
        }
        for (int r = rowFrom; r < rowTo; r++) {
            int m = weightsOffset + r * cols;
            IntVector sums0 = IntVector.zero(INTS);
            IntVector highs0 = IntVector.zero(INTS);
            IntVector sums1 = IntVector.zero(INTS);
            IntVector highs1 = IntVector.zero(INTS);
            IntVector sums2 = IntVector.zero(INTS);
            IntVector highs2 = IntVector.zero(INTS);
            IntVector sums3 = IntVector.zero(INTS);
            IntVector highs3 = IntVector.zero(INTS);
            int c = 0;
            for (int bound = cols - 2 * STEP; c <= bound; c += 2 * STEP) {
                ShortVector w0 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, w, m + c)).convertShape(B2S, SHORTS, 0));
                ShortVector w1 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, w, m + c + STEP)).convertShape(B2S, SHORTS, 0));
                int p = BATCH_TILE * c; // packedIndex(c, 0): c is a multiple of STEP
                IntVector y0 = INTS_CLASS.cast(SHORTS_CLASS.cast(
                        w0.mul(ShortVector.fromArray(SHORTS, packed, p + 0 * STEP))
                        .add(w1.mul(ShortVector.fromArray(SHORTS, packed, p + (0 + BATCH_TILE) * STEP))))
                        .reinterpretAsInts());
                IntVector y1 = INTS_CLASS.cast(SHORTS_CLASS.cast(
                        w0.mul(ShortVector.fromArray(SHORTS, packed, p + 1 * STEP))
                        .add(w1.mul(ShortVector.fromArray(SHORTS, packed, p + (1 + BATCH_TILE) * STEP))))
                        .reinterpretAsInts());
                IntVector y2 = INTS_CLASS.cast(SHORTS_CLASS.cast(
                        w0.mul(ShortVector.fromArray(SHORTS, packed, p + 2 * STEP))
                        .add(w1.mul(ShortVector.fromArray(SHORTS, packed, p + (2 + BATCH_TILE) * STEP))))
                        .reinterpretAsInts());
                IntVector y3 = INTS_CLASS.cast(SHORTS_CLASS.cast(
                        w0.mul(ShortVector.fromArray(SHORTS, packed, p + 3 * STEP))
                        .add(w1.mul(ShortVector.fromArray(SHORTS, packed, p + (3 + BATCH_TILE) * STEP))))
                        .reinterpretAsInts());
                sums0 = INTS_CLASS.cast(sums0).add(y0);
                sums1 = INTS_CLASS.cast(sums1).add(y1);
                sums2 = INTS_CLASS.cast(sums2).add(y2);
                sums3 = INTS_CLASS.cast(sums3).add(y3);
                highs0 = INTS_CLASS.cast(highs0).add(y0.lanewise(VectorOperators.ASHR, 16));
                highs1 = INTS_CLASS.cast(highs1).add(y1.lanewise(VectorOperators.ASHR, 16));
                highs2 = INTS_CLASS.cast(highs2).add(y2.lanewise(VectorOperators.ASHR, 16));
                highs3 = INTS_CLASS.cast(highs3).add(y3.lanewise(VectorOperators.ASHR, 16));
            }
            int lanes = c / (2 * STEP) * INTS.length();
            int out = dotsOffset + r - rowFrom;
            dots[out + 0 * dotsStride] = INTS_CLASS.cast(sums0).add(highs0).reduceLanes(VectorOperators.ADD);
            dots[out + 1 * dotsStride] = INTS_CLASS.cast(sums1).add(highs1).reduceLanes(VectorOperators.ADD);
            dots[out + 2 * dotsStride] = INTS_CLASS.cast(sums2).add(highs2).reduceLanes(VectorOperators.ADD);
            dots[out + 3 * dotsStride] = INTS_CLASS.cast(sums3).add(highs3).reduceLanes(VectorOperators.ADD);
            if (c < cols) { // fewer than two column blocks left (a separate call keeps this loop's registers free)
                tileTail(w, m, c, cols, packed, dots, out, dotsStride);
            }
        }
    }

    /**
     * Adds {@code Σ w[m + c] · x_k[c]} over {@code from <= c < cols} to {@code dots[out + k·stride]} for each
     * {@code k < BATCH_TILE}: the columns past a row's last double step (fewer than {@code 2 · STEP}, with
     * {@code cols >= STEP} and {@code from} a multiple of {@code 2 · STEP}), from a {@code widenTile} buffer. One whole
     * column block if there is room, then the row's last {@code STEP} weights against {@code widenTile}'s
     * right-aligned last block, whose lanes of columns already counted are zero: at most two weight loads, each
     * widened once for all rows, where a scalar loop per row and column cost up to 15x the row's double steps.
     */
    private static void tileTail(byte[] w, int m, int from, int cols, short[] packed, int[] dots, int out, int stride) {
        IntVector sums0 = IntVector.zero(INTS);
        IntVector highs0 = IntVector.zero(INTS);
        IntVector sums1 = IntVector.zero(INTS);
        IntVector highs1 = IntVector.zero(INTS);
        IntVector sums2 = IntVector.zero(INTS);
        IntVector highs2 = IntVector.zero(INTS);
        IntVector sums3 = IntVector.zero(INTS);
        IntVector highs3 = IntVector.zero(INTS);
        for (int c = from; c < cols; c += STEP) { // at most twice: a whole block, then the right-aligned last one
            ShortVector wc = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, w, m + Math.min(c, cols - STEP))).convertShape(B2S, SHORTS, 0));
            int p = BATCH_TILE * c; // packedIndex(c, 0, cols): c is a multiple of STEP
            IntVector y0 = INTS_CLASS.cast(SHORTS_CLASS.cast(
                    wc.mul(ShortVector.fromArray(SHORTS, packed, p + 0 * STEP))).reinterpretAsInts());
            IntVector y1 = INTS_CLASS.cast(SHORTS_CLASS.cast(
                    wc.mul(ShortVector.fromArray(SHORTS, packed, p + 1 * STEP))).reinterpretAsInts());
            IntVector y2 = INTS_CLASS.cast(SHORTS_CLASS.cast(
                    wc.mul(ShortVector.fromArray(SHORTS, packed, p + 2 * STEP))).reinterpretAsInts());
            IntVector y3 = INTS_CLASS.cast(SHORTS_CLASS.cast(
                    wc.mul(ShortVector.fromArray(SHORTS, packed, p + 3 * STEP))).reinterpretAsInts());
            sums0 = INTS_CLASS.cast(sums0).add(y0);
            sums1 = INTS_CLASS.cast(sums1).add(y1);
            sums2 = INTS_CLASS.cast(sums2).add(y2);
            sums3 = INTS_CLASS.cast(sums3).add(y3);
            highs0 = INTS_CLASS.cast(highs0).add(y0.lanewise(VectorOperators.ASHR, 16));
            highs1 = INTS_CLASS.cast(highs1).add(y1.lanewise(VectorOperators.ASHR, 16));
            highs2 = INTS_CLASS.cast(highs2).add(y2.lanewise(VectorOperators.ASHR, 16));
            highs3 = INTS_CLASS.cast(highs3).add(y3.lanewise(VectorOperators.ASHR, 16));
        }
        int lanes = Math.ceilDiv(cols - from, STEP) * INTS.length(); // one split per step taken
        dots[out + 0 * stride] += INTS_CLASS.cast(sums0).add(highs0).reduceLanes(VectorOperators.ADD);
        dots[out + 1 * stride] += INTS_CLASS.cast(sums1).add(highs1).reduceLanes(VectorOperators.ADD);
        dots[out + 2 * stride] += INTS_CLASS.cast(sums2).add(highs2).reduceLanes(VectorOperators.ADD);
        dots[out + 3 * stride] += INTS_CLASS.cast(sums3).add(highs3).reduceLanes(VectorOperators.ADD);
    }

    /**
     * {@code Σ w[m + c] · xw[c]} over {@code c < cols}, the row at {@code w[m ..]}; int32, wrapping. For the rows left
     * over from {@link #rowTile}'s tiles, at most three per {@link #ROW_GROUP}.
     */
    private static int dot(byte[] w, int m, short[] xw, int cols) {
        if (cols < STEP) { // not one vector step: a scalar loop, without the accumulators' set-up and reduction
            int sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += w[m + c] * xw[c];
            }
            return sum;
        }
        IntVector highs = IntVector.zero(INTS);
        IntVector sums = IntVector.zero(INTS);
        int c = 0;
        for (int bound = cols - 2 * STEP; c <= bound; c += 2 * STEP) {
            ShortVector w0 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, w, m + c)).convertShape(B2S, SHORTS, 0));
            ShortVector w1 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, w, m + c + STEP)).convertShape(B2S, SHORTS, 0));
            IntVector y = INTS_CLASS.cast(SHORTS_CLASS.cast(w0.mul(ShortVector.fromArray(SHORTS, xw, c))
                    .add(w1.mul(ShortVector.fromArray(SHORTS, xw, c + STEP)))).reinterpretAsInts());
            sums = INTS_CLASS.cast(sums).add(y);
            highs = INTS_CLASS.cast(highs).add(y.lanewise(VectorOperators.ASHR, 16));
        }
        int splits = c / (2 * STEP);
        for (int bound = cols - STEP; c <= bound; c += STEP, splits++) {
            ShortVector wc = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, w, m + c)).convertShape(B2S, SHORTS, 0));
            IntVector y = INTS_CLASS.cast(SHORTS_CLASS.cast(wc.mul(ShortVector.fromArray(SHORTS, xw, c))).reinterpretAsInts());
            sums = INTS_CLASS.cast(sums).add(y);
            highs = INTS_CLASS.cast(highs).add(y.lanewise(VectorOperators.ASHR, 16));
        }
        int sum = INTS_CLASS.cast(sums).add(highs).reduceLanes(VectorOperators.ADD);
        for (; c < cols; c++) {
            sum += w[m + c] * xw[c];
        }
        return sum;
    }
}
