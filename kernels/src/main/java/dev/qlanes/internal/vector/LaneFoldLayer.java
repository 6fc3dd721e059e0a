package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.BiasedSplit.HIGH_WEIGHT;
import static dev.qlanes.internal.vector.BiasedSplit.SPLIT_BIAS;
import static dev.qlanes.internal.vector.BiasedSplit.SPLIT_RESIDUE;
import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS;
import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS_MASK_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.BYTES_HALF;
import static dev.qlanes.internal.vector.VectorShapes.BYTES_HALF_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.INTS_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.LONGS_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.MASKED_TAILS;
import static dev.qlanes.internal.vector.VectorShapes.SHORTS;
import static dev.qlanes.internal.vector.VectorShapes.SHORTS_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.firstBytes;
import static jdk.incubator.vector.VectorOperators.B2S;

import dev.qlanes.internal.Int8RowKernel;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

/**
 * A whole int8 layer call for one activation row whose outputs fit one int vector, without leaving registers between
 * the dot products and the stored bytes. Each tile of four rows runs {@link ArrayDotLoops}' arithmetic (the
 * {@link BiasedSplit}), reading the activation bytes directly instead of a widened copy; its four sum vectors are then
 * folded pairwise (lane {@code i} of a fold is the sum of lanes {@code 2i} and {@code 2i + 1} of its two sources in
 * turn: adds within longs, then {@link #UNZIP}) until each row's sum is one lane, row {@code r} in lane {@code r}. The
 * output stage ({@code IntegerRequantizer}'s {@code DOUBLE_ROUNDING} arithmetic) runs in those lanes and the bytes
 * are stored once. Integer sums reorder freely, so the result is bit for bit the general path's.
 *
 * <p>Why: at 128 inputs and 8 outputs (ToyCar's bottleneck) the general path widened the row into scratch, reduced
 * each row's vectors on their own into an int array, and requantized from there, through the layer's workspace pool
 * and chunk grid; a call cost about twice its dot products (105 against 53 ns, Zen 4). The tile loop is the generated
 * loops' arithmetic written out once more by hand, not generated from their template: those loops reduce each row on
 * its own, and a vector cannot cross a helper C2 does not inline without being boxed.
 *
 * <p>The weights are copied at construction into whole tiles (zero rows past the layer's) of whole blocks, each block
 * of a tile's four rows stored together, so that the tile loop reads them at one index plus constant offsets: one
 * register where four row indices spilled at AVX2. Block {@code k} of a row reads the activations from column
 * {@code min(k·BLOCK, cols − BLOCK)}, so the last block overlaps the one before it instead of running past the row,
 * and its weights for the columns already counted are zero. No mask and no scalar tail at any width. The layer's
 * constants are stored per lane: the bias (with the input offset and the split's residue folded in), the left shift,
 * the multiplier, the right shift and its rounding mask and half.
 */
final class LaneFoldLayer implements Int8RowKernel {
    /** Rows per tile, as in the row-major loops: four sum and four high vectors plus temporaries fit AVX2's 16. */
    private static final int ROW_TILE = 4;
    /**
     * Two tiles at most, and no more rows than {@link VectorShapes#INTS} has lanes (four at 128 bits): every row's sum
     * lands in one lane. At 512 bits 8 of the 16 lanes are used, which serves ToyCar's 8 outputs.
     */
    static final int MAX_ROWS = Math.min(2 * ROW_TILE, INTS.length());
    /** Bytes per vector step, and per block of two steps (the loop's unit, as in {@link ArrayDotLoops}). */
    private static final int STEP = BYTES_HALF.length();
    static final int BLOCK = 2 * STEP;
    /** Bytes of one block of a tile's four rows, stored together: the loop reads them at constant offsets. */
    private static final int TILE_BLOCK = ROW_TILE * BLOCK;
    /**
     * The longest rows served: the copy of the weights then stays under 32 KiB, and past this a call's dot products
     * outweigh its fixed costs anyway (4 µs at 8×4096 against ~50 ns of overhead).
     */
    static final int MAX_COLS = 4096;

    /**
     * Even int lanes first, then odd ones: after the pair sums of a fold, lane {@code 2i} holds the first source's
     * pair {@code i} and lane {@code 2i + 1} the second's. One single-source permute, so one constant register.
     */
    private static final VectorShuffle<Integer> UNZIP = VectorShuffle.fromArray(INTS, unzip(), 0);
    /** {@code 2^30}, SRDHM's rounding term. */
    private static final long SRDHM_ROUND = 1L << 30;
    /** The low half of a long: an even int lane of a pair; and the high half, the odd lane. */
    private static final long LOW_HALF = 0xFFFF_FFFFL;
    private static final long HIGH_HALF = ~LOW_HALF;
    /** Each thread's hand-over of the sums from {@link #foldedSums} to {@link #outputStage}: one vector's lanes. */
    private static final ThreadLocal<int[]> SUMS = ThreadLocal.withInitial(() -> new int[INTS.length()]);

    private final int rows;
    private final int cols;
    /** Row-tiles actually used: 1 for up to four rows. */
    private final int tiles;
    /** Blocks per row, the last one overlapping (see the class comment). */
    private final int blocks;
    /** {@link #tiles} tiles of {@link #blocks} blocks of four rows, zero past {@link #rows}: see the class comment. */
    private final byte[] w;
    /** What each row's sums carry beyond its dot product: the split's residue per int lane of every block (wrapping). */
    private final int residue;
    /** Per lane ({@code INTS.length()} long, zero past {@link #rows}): see the class comment. */
    private final int[] bias;
    private final int[] left;
    private final int[] multipliers;
    private final int[] right;
    private final int[] roundingMask;
    private final int[] roundingHalf;
    private final int outputOffset;
    private final int min;
    private final int max;

    private LaneFoldLayer(MemorySegment weights, int rows, int cols, int[] bias, int[] multipliers, int[] shifts,
            boolean perChannel, int outputOffset, int min, int max) {
        this.rows = rows;
        this.cols = cols;
        this.tiles = (rows + ROW_TILE - 1) / ROW_TILE;
        int blocks = (cols + BLOCK - 1) / BLOCK;
        this.blocks = blocks;
        this.w = new byte[tiles * blocks * TILE_BLOCK];
        int lastX = cols - BLOCK;
        for (int r = 0; r < rows; r++) {
            int rowStart = (r / ROW_TILE) * blocks * TILE_BLOCK + (r % ROW_TILE) * BLOCK;
            for (int k = 0; k < blocks; k++) {
                int x0 = Math.min(k * BLOCK, lastX);
                int first = Math.max(x0, k * BLOCK); // columns before k·BLOCK stay zero
                MemorySegment.copy(weights, ValueLayout.JAVA_BYTE, (long) r * cols + first, w,
                        rowStart + k * TILE_BLOCK + first - x0, x0 + BLOCK - first);
            }
        }
        int lanes = INTS.length();
        this.bias = new int[lanes];
        this.left = new int[lanes];
        this.multipliers = new int[lanes];
        this.right = new int[lanes];
        this.roundingMask = new int[lanes];
        this.roundingHalf = new int[lanes];
        this.residue = SPLIT_RESIDUE * blocks * lanes;
        for (int r = 0; r < rows; r++) {
            int channel = perChannel ? r : 0;
            this.bias[r] = bias[r] - residue;
            this.left[r] = Math.max(shifts[channel], 0);
            this.multipliers[r] = multipliers[channel];
            this.right[r] = Math.max(-shifts[channel], 0);
            this.roundingMask[r] = (1 << right[r]) - 1;
            this.roundingHalf[r] = roundingMask[r] >> 1;
        }
        this.outputOffset = outputOffset;
        this.min = min;
        this.max = max;
    }

    /**
     * The kernel for a {@code rows × cols} layer with these output-stage parameters ({@code bias} with the input
     * offset's term folded in; multipliers and shifts one per channel or one), or null where it does not serve:
     * more than {@link #MAX_ROWS} rows, rows shorter than one block or longer than {@link #MAX_COLS}, or a negative
     * multiplier (never derived by {@code QuantizeMultiplier}; excluding it leaves out SRDHM's one saturating case).
     */
    static LaneFoldLayer of(MemorySegment weights, int rows, int cols, int[] bias, int[] multipliers, int[] shifts,
            boolean perChannel, int outputOffset, int min, int max) {
        if (rows < 1 || rows > MAX_ROWS || cols < BLOCK || cols > MAX_COLS) {
            return null;
        }
        for (int m : multipliers) {
            if (m < 0) {
                return null;
            }
        }
        return new LaneFoldLayer(weights, rows, cols, bias, multipliers, shifts, perChannel, outputOffset, min, max);
    }

    @Override
    public void apply(byte[] x, int xOffset, byte[] out, int outOffset) {
        int[] sums = SUMS.get();
        foldedSums(x, xOffset, sums);
        outputStage(sums, out, outOffset);
    }

    @Override
    public void dots(byte[] x, int xOffset, int[] dots) {
        int[] sums = SUMS.get();
        foldedSums(x, xOffset, sums);
        for (int r = 0; r < rows; r++) {
            dots[r] = sums[r] - residue;
        }
    }

    /**
     * Row {@code r}'s sums (its dot product plus {@link #residue}) into {@code sums[r]}, every lane of {@link #INTS}
     * written. The dot products and the output stage are two methods, handing the sums over through a per-thread
     * array: as one, C2's compilation came near the live-node count past which it stops inlining, and under some
     * warm-up orders it then left vectors boxed (docs/performance.md, "Test order"). Every vector stays inside one
     * of the two methods (a vector crossing a call C2 does not inline is boxed).
     */
    private void foldedSums(byte[] x, int xOffset, int[] sums) {
        ShortVector split = SPLIT_BIAS;
        IntVector zero = IntVector.zero(INTS);
        IntVector firstTile = zero;
        IntVector secondTile = zero;
        int lastX = xOffset + cols - BLOCK;
        for (int t = 0; t < tiles; t++) {
            IntVector sums0 = zero;
            IntVector sums1 = zero;
            IntVector sums2 = zero;
            IntVector sums3 = zero;
            IntVector highs0 = zero;
            IntVector highs1 = zero;
            IntVector highs2 = zero;
            IntVector highs3 = zero;
            int m = t * blocks * TILE_BLOCK;
            for (int k = 0; k < blocks; k++, m += TILE_BLOCK) {
                int xc = Math.min(xOffset + k * BLOCK, lastX);
                ShortVector x0 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, x, xc))
                        .convertShape(B2S, SHORTS, 0));
                ShortVector x1 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, x, xc + STEP))
                        .convertShape(B2S, SHORTS, 0));
                ShortVector first0 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(ByteVector.fromArray(BYTES_HALF, w, m))
                        .convertShape(B2S, SHORTS, 0));
                ShortVector second0 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(
                        ByteVector.fromArray(BYTES_HALF, w, m + STEP)).convertShape(B2S, SHORTS, 0));
                IntVector y0 = INTS_CLASS.cast(
                        SHORTS_CLASS.cast(first0.mul(x0).add(second0.mul(x1)).add(split)).reinterpretAsInts());
                ShortVector first1 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(
                        ByteVector.fromArray(BYTES_HALF, w, m + BLOCK)).convertShape(B2S, SHORTS, 0));
                ShortVector second1 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(
                        ByteVector.fromArray(BYTES_HALF, w, m + BLOCK + STEP)).convertShape(B2S, SHORTS, 0));
                IntVector y1 = INTS_CLASS.cast(
                        SHORTS_CLASS.cast(first1.mul(x0).add(second1.mul(x1)).add(split)).reinterpretAsInts());
                ShortVector first2 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(
                        ByteVector.fromArray(BYTES_HALF, w, m + 2 * BLOCK)).convertShape(B2S, SHORTS, 0));
                ShortVector second2 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(
                        ByteVector.fromArray(BYTES_HALF, w, m + 2 * BLOCK + STEP)).convertShape(B2S, SHORTS, 0));
                IntVector y2 = INTS_CLASS.cast(
                        SHORTS_CLASS.cast(first2.mul(x0).add(second2.mul(x1)).add(split)).reinterpretAsInts());
                ShortVector first3 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(
                        ByteVector.fromArray(BYTES_HALF, w, m + 3 * BLOCK)).convertShape(B2S, SHORTS, 0));
                ShortVector second3 = SHORTS_CLASS.cast(BYTES_HALF_CLASS.cast(
                        ByteVector.fromArray(BYTES_HALF, w, m + 3 * BLOCK + STEP)).convertShape(B2S, SHORTS, 0));
                IntVector y3 = INTS_CLASS.cast(
                        SHORTS_CLASS.cast(first3.mul(x0).add(second3.mul(x1)).add(split)).reinterpretAsInts());
                sums0 = INTS_CLASS.cast(sums0).add(y0);
                sums1 = INTS_CLASS.cast(sums1).add(y1);
                sums2 = INTS_CLASS.cast(sums2).add(y2);
                sums3 = INTS_CLASS.cast(sums3).add(y3);
                highs0 = INTS_CLASS.cast(highs0).add(y0.lanewise(VectorOperators.ASHR, 16));
                highs1 = INTS_CLASS.cast(highs1).add(y1.lanewise(VectorOperators.ASHR, 16));
                highs2 = INTS_CLASS.cast(highs2).add(y2.lanewise(VectorOperators.ASHR, 16));
                highs3 = INTS_CLASS.cast(highs3).add(y3.lanewise(VectorOperators.ASHR, 16));
            }
            IntVector v0 = INTS_CLASS.cast(sums0).sub(INTS_CLASS.cast(highs0).mul(HIGH_WEIGHT));
            IntVector v1 = INTS_CLASS.cast(sums1).sub(INTS_CLASS.cast(highs1).mul(HIGH_WEIGHT));
            IntVector v2 = INTS_CLASS.cast(sums2).sub(INTS_CLASS.cast(highs2).mul(HIGH_WEIGHT));
            IntVector v3 = INTS_CLASS.cast(sums3).sub(INTS_CLASS.cast(highs3).mul(HIGH_WEIGHT));
            // Each fold adds lane pairs within longs, the first source's pair sums into the low halves and the
            // second's into the high halves, then puts even int lanes first (UNZIP). Written out, not a helper: past
            // C2's node-count cutoff a helper stays a call, and its vectors are boxed (as a prototype did). Not
            // selectFrom of two sources either: at AVX2 that takes four constant vectors (two indices, two blend
            // masks), which C2 spilled across the tile loop, and in JMH the layer ran ~15 ns slower than the same
            // compiled kernel called one frame higher, perf putting the difference at those 32-byte spill stores;
            // with -XX:ObjectAlignmentInBytes=64 the gap went, so it hangs on where things lie.
            LongVector p0 = LONGS_CLASS.cast(INTS_CLASS.cast(v0).reinterpretAsLongs());
            LongVector p1 = LONGS_CLASS.cast(INTS_CLASS.cast(v1).reinterpretAsLongs());
            LongVector p2 = LONGS_CLASS.cast(INTS_CLASS.cast(v2).reinterpretAsLongs());
            LongVector p3 = LONGS_CLASS.cast(INTS_CLASS.cast(v3).reinterpretAsLongs());
            LongVector f01 = LONGS_CLASS.cast(INTS_CLASS.cast(INTS_CLASS.cast(LONGS_CLASS.cast(
                    p0.add(p0.lanewise(VectorOperators.LSHR, 32)).and(LOW_HALF)
                    .or(p1.add(p1.lanewise(VectorOperators.LSHL, 32)).and(HIGH_HALF))).reinterpretAsInts())
                    .rearrange(UNZIP)).reinterpretAsLongs());
            LongVector f23 = LONGS_CLASS.cast(INTS_CLASS.cast(INTS_CLASS.cast(LONGS_CLASS.cast(
                    p2.add(p2.lanewise(VectorOperators.LSHR, 32)).and(LOW_HALF)
                    .or(p3.add(p3.lanewise(VectorOperators.LSHL, 32)).and(HIGH_HALF))).reinterpretAsInts())
                    .rearrange(UNZIP)).reinterpretAsLongs());
            IntVector tile = INTS_CLASS.cast(LONGS_CLASS.cast(
                    f01.add(f01.lanewise(VectorOperators.LSHR, 32)).and(LOW_HALF)
                    .or(f23.add(f23.lanewise(VectorOperators.LSHL, 32)).and(HIGH_HALF))).reinterpretAsInts())
                    .rearrange(UNZIP);
            if (t == 0) { // a tile's rows take lanes/4 lanes each, in row order
                firstTile = tile;
            } else {
                secondTile = tile;
            }
        }
        IntVector folded = INTS_CLASS.cast(firstTile);
        if (INTS.length() > ROW_TILE) { // the two tiles side by side (constant: folded away at 128 bits)
            LongVector a = LONGS_CLASS.cast(INTS_CLASS.cast(firstTile).reinterpretAsLongs());
            LongVector b = LONGS_CLASS.cast(INTS_CLASS.cast(secondTile).reinterpretAsLongs());
            folded = INTS_CLASS.cast(LONGS_CLASS.cast(a.add(a.lanewise(VectorOperators.LSHR, 32)).and(LOW_HALF)
                    .or(b.add(b.lanewise(VectorOperators.LSHL, 32)).and(HIGH_HALF))).reinterpretAsInts())
                    .rearrange(UNZIP);
        }
        if (INTS.length() > 2 * ROW_TILE) { // 512 bits: two lanes per row left, folded with zeros
            LongVector a = LONGS_CLASS.cast(INTS_CLASS.cast(folded).reinterpretAsLongs());
            folded = INTS_CLASS.cast(LONGS_CLASS.cast(a.add(a.lanewise(VectorOperators.LSHR, 32)).and(LOW_HALF))
                    .reinterpretAsInts()).rearrange(UNZIP);
        }
        INTS_CLASS.cast(folded).intoArray(sums, 0);
    }

    /** The output stage of {@link #foldedSums}' sums into {@code out[outOffset ..]}, one lane per row. */
    private void outputStage(int[] sums, byte[] out, int outOffset) {
        IntVector one = IntVector.broadcast(INTS, 1);
        IntVector acc = IntVector.fromArray(INTS, sums, 0).add(IntVector.fromArray(INTS, bias, 0));
        IntVector xl = acc.lanewise(VectorOperators.LSHL, INTS_CLASS.cast(IntVector.fromArray(INTS, left, 0)));
        IntVector m = IntVector.fromArray(INTS, multipliers, 0);
        // SRDHM in 64-bit lane pairs, as IntegerRequantizer; no saturation: no multiplier is INT32_MIN (see of)
        LongVector xl64 = LONGS_CLASS.cast(INTS_CLASS.cast(xl).reinterpretAsLongs());
        LongVector m64 = LONGS_CLASS.cast(INTS_CLASS.cast(m).reinterpretAsLongs());
        LongVector even = xl64.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.ASHR, 32)
                .mul(m64.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.ASHR, 32))
                .add(SRDHM_ROUND).lanewise(VectorOperators.LSHR, 31);
        LongVector odd = xl64.lanewise(VectorOperators.ASHR, 32).mul(m64.lanewise(VectorOperators.ASHR, 32))
                .add(SRDHM_ROUND).lanewise(VectorOperators.LSHR, 31);
        IntVector high = INTS_CLASS.cast(
                LONGS_CLASS.cast(odd.lanewise(VectorOperators.LSHL, 32).or(even.and(LOW_HALF))).reinterpretAsInts());
        // RDBPOT: half away from zero, the threshold one higher for negative values
        IntVector threshold = IntVector.fromArray(INTS, roundingHalf, 0).add(high.lanewise(VectorOperators.LSHR, 31));
        VectorMask<Integer> roundUp = high.and(IntVector.fromArray(INTS, roundingMask, 0))
                .compare(VectorOperators.GT, threshold);
        IntVector shiftRight = INTS_CLASS.cast(IntVector.fromArray(INTS, right, 0)); // a shift count: cast
        IntVector y = INTS_CLASS.cast(high.lanewise(VectorOperators.ASHR, shiftRight).add(one, roundUp)
                .add(outputOffset).max(min).min(max));
        if (rows == BYTES_FOR_INTS.length() || MASKED_TAILS) { // one store: 8 rows at 256 bits, or masked at 512
            ByteVector bytes = BYTES_FOR_INTS_CLASS.cast(
                    INTS_CLASS.cast(y).convertShape(VectorOperators.I2B, BYTES_FOR_INTS, 0));
            if (rows == BYTES_FOR_INTS.length()) {
                bytes.intoArray(out, outOffset);
            } else {
                bytes.intoArray(out, outOffset, BYTES_FOR_INTS_MASK_CLASS.cast(firstBytes(rows)));
            }
        } else { // no masked byte store (VectorShapes.MASKED_TAILS): lane by lane, rows < 8
            for (int r = 0; r < rows; r++) {
                out[outOffset + r] = (byte) INTS_CLASS.cast(y).lane(r); // cast: an invariant inside a loop
            }
        }
    }

    /** Even lanes first, then odd ones. */
    private static int[] unzip() {
        int n = INTS.length();
        int[] index = new int[n];
        for (int i = 0; i < n / 2; i++) {
            index[i] = 2 * i;
            index[n / 2 + i] = 2 * i + 1;
        }
        return index;
    }
}
