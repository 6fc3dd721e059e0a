package dev.qlanes.internal.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float MBVMA at batch 1 on 256-bit vectors (AVX2), eight rows at a time: each row's products of an eight-column
 * block are formed in one vector multiply, the 8×8 block of products is transposed in registers, and one vector add
 * per column then continues all eight rows' sums. Each lane adds its row's products in column order, every product
 * and sum rounded to float and no FMA, so the results are the reference's bits (docs/semantics.md §3.1). The
 * permutes and blends only move bits: NaN payloads, infinities and -0.0 arrive unchanged.
 *
 * <p>The transpose swaps blocks between row pairs in three stages (blocks of one, two and four lanes). A stage's
 * two outputs each take one one-source permute and one blend, instructions AVX2 has; the two-source permutes of
 * {@link RegisterTransposeDots}, one instruction on AVX-512, cost AVX2 two permutes and a blend each, and there the
 * scalar rows were faster. Multiplying before the transpose, by the activations as one vector, saves the eight
 * broadcasts a transposed weight block would need. Probe (Zen 5 under {@code -XX:UseAVX=2}, 1x1024x1024, best of 30
 * rounds): 126-132 µs against {@link FloatPanels#addRowDots}' 158-162 and the reference's 503-509; weights transposed
 * first, then multiplied by broadcasts, 225 µs. At 512 bits {@link RegisterTransposeDots} stays faster (94 against
 * 104 µs), and at 128 bits the 256-bit species would be emulated, so only a 256-bit width takes this kernel.
 */
final class BlendTransposeDots {
    private BlendTransposeDots() {}

    /** Whether batch 1 takes this kernel rather than {@link FloatPanels#addRowDots}. */
    static final boolean ENABLED = VectorShapes.BITS == 256;

    static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
    /** Rows per tile: the lanes of {@link #FLOATS}, and one block's columns. */
    static final int ROWS = 8;
    /**
     * Rows of a multiple of this many floats (2 KiB) take one tile per pass: 16 such rows fall into at most two sets
     * of the L1 cache, 8 or 16 streams into an 8-way set, and each line was fetched again before its second block
     * was read (two tiles per pass made 1×1024×1024 2× slower). Any other stride puts at most 4 of 16 rows in a set.
     */
    static final int ALIASING_COLUMNS = 2048 / Float.BYTES;

    // Stage s pairs rows r and r + s (r & s == 0) and swaps the off-diagonal s×s blocks of their 2×2 block matrix:
    // lane j of row r takes lane j ^ s of row r + s where j & s != 0, and lane j of row r + s takes lane j ^ s of
    // row r where j & s == 0. SWAP_s is the permute j -> j ^ s, UPPER_s the lanes with j & s != 0.
    static final VectorShuffle<Float> SWAP_1 = VectorShuffle.fromValues(FLOATS, 1, 0, 3, 2, 5, 4, 7, 6);
    static final VectorShuffle<Float> SWAP_2 = VectorShuffle.fromValues(FLOATS, 2, 3, 0, 1, 6, 7, 4, 5);
    static final VectorShuffle<Float> SWAP_4 = VectorShuffle.fromValues(FLOATS, 4, 5, 6, 7, 0, 1, 2, 3);
    static final VectorMask<Float> UPPER_1 =
            VectorMask.fromValues(FLOATS, false, true, false, true, false, true, false, true);
    static final VectorMask<Float> UPPER_2 =
            VectorMask.fromValues(FLOATS, false, false, true, true, false, false, true, true);
    static final VectorMask<Float> UPPER_4 =
            VectorMask.fromValues(FLOATS, false, false, false, false, true, true, true, true);

    /**
     * {@code result[r] += rowDot(w, cols, r, x, 0)} for every row {@code r} of the {@code rows × cols} row-major
     * {@code w}: passes of two tiles ({@link BlendTransposePair}) unless the rows alias in the L1 cache, then single
     * tiles ({@link BlendTransposeTile}); both are generated from one template
     * ({@code kernels/src/template/BlendTransposeTiles.java.template}). Columns past the last whole block continue
     * each row's sum in scalar code; rows past the last whole tile take {@link FloatPanels#rowDot}.
     *
     * <p>One tile's sums are one chain of eight dependent adds per block; a second tile's chain runs beside it. JMH
     * under {@code -XX:UseAVX=2} (Zen 4, facade float MBVMA at batch 1, two rounds alternating the builds, µs):
     * 256×256 10.8 → 9.4, 640×128 14.5 → 12.5, 128×640 12.9 → 10.9, 1000×1001 161 → 145.
     */
    static void addDots(float[] w, int rows, int cols, float[] x, float[] result) {
        int r = 0;
        if (cols % ALIASING_COLUMNS != 0) { // else 16 rows would crowd one L1 set: see ALIASING_COLUMNS
            r = BlendTransposePair.addDots(w, r, rows, cols, x, result);
        }
        r = BlendTransposeTile.addDots(w, r, rows, cols, x, result);
        for (; r < rows; r++) {
            result[r] += FloatPanels.rowDot(w, cols, r, x, 0);
        }
    }
}
