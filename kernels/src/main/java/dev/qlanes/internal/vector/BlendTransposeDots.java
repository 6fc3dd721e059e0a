package dev.qlanes.internal.vector;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.MUL;

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

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
    /** Rows per tile: the lanes of {@link #FLOATS}, and one block's columns. */
    static final int ROWS = 8;
    /**
     * Tiles per pass where rows allow. One tile's sums are one chain of eight dependent adds per block; a second
     * tile's chain runs beside it. JMH under {@code -XX:UseAVX=2} (Zen 4, facade float MBVMA at batch 1, two rounds
     * alternating the builds, µs): 256×256 10.8 → 9.4, 640×128 14.5 → 12.5, 128×640 12.9 → 10.9, 1000×1001 161 → 145.
     */
    static final int TILES = 2;
    /**
     * Rows of a multiple of this many floats (2 KiB) take one tile per pass: 16 such rows fall into at most two sets
     * of the L1 cache, 8 or 16 streams into an 8-way set, and each line was fetched again before its second block
     * was read (two tiles per pass made 1×1024×1024 2× slower). Any other stride puts at most 4 of 16 rows in a set.
     */
    static final int ALIASING_COLUMNS = 2048 / Float.BYTES;

    // Stage s pairs rows r and r + s (r & s == 0) and swaps the off-diagonal s×s blocks of their 2×2 block matrix:
    // lane j of row r takes lane j ^ s of row r + s where j & s != 0, and lane j of row r + s takes lane j ^ s of
    // row r where j & s == 0. SWAP_s is the permute j -> j ^ s, UPPER_s the lanes with j & s != 0.
    private static final VectorShuffle<Float> SWAP_1 = VectorShuffle.fromValues(FLOATS, 1, 0, 3, 2, 5, 4, 7, 6);
    private static final VectorShuffle<Float> SWAP_2 = VectorShuffle.fromValues(FLOATS, 2, 3, 0, 1, 6, 7, 4, 5);
    private static final VectorShuffle<Float> SWAP_4 = VectorShuffle.fromValues(FLOATS, 4, 5, 6, 7, 0, 1, 2, 3);
    private static final VectorMask<Float> UPPER_1 =
            VectorMask.fromValues(FLOATS, false, true, false, true, false, true, false, true);
    private static final VectorMask<Float> UPPER_2 =
            VectorMask.fromValues(FLOATS, false, false, true, true, false, false, true, true);
    private static final VectorMask<Float> UPPER_4 =
            VectorMask.fromValues(FLOATS, false, false, false, false, true, true, true, true);

    /**
     * {@code result[r] += rowDot(w, cols, r, x, 0)} for every row {@code r} of the {@code rows × cols} row-major
     * {@code w}. Columns past the last whole block continue each row's sum in scalar code; rows past the last whole
     * tile take {@link FloatPanels#rowDot}.
     */
    static void addDots(float[] w, int rows, int cols, float[] x, float[] result) {
        VectorShuffle<Float> swap1 = SWAP_1;
        VectorShuffle<Float> swap2 = SWAP_2;
        VectorShuffle<Float> swap4 = SWAP_4;
        VectorMask<Float> upper1 = UPPER_1;
        VectorMask<Float> upper2 = UPPER_2;
        VectorMask<Float> upper4 = UPPER_4;
        int r = 0;
        if (cols % ALIASING_COLUMNS != 0) { // else 16 rows would crowd one L1 set: see TILES
            for (; r + TILES * ROWS <= rows; r += TILES * ROWS) {
                // two tiles' chains interleaved: the same body as below, written out twice
                // the row offsets once per pass: computed per load, they cost a multiply each (RegisterTransposeDots)
                int m0 = r * cols;
                int m1 = m0 + cols;
                int m2 = m1 + cols;
                int m3 = m2 + cols;
                int m4 = m3 + cols;
                int m5 = m4 + cols;
                int m6 = m5 + cols;
                int m7 = m6 + cols;
                int m8 = m7 + cols;
                int m9 = m8 + cols;
                int m10 = m9 + cols;
                int m11 = m10 + cols;
                int m12 = m11 + cols;
                int m13 = m12 + cols;
                int m14 = m13 + cols;
                int m15 = m14 + cols;
                FloatVector dots0 = FloatVector.zero(FLOATS);
                FloatVector dots1 = FloatVector.zero(FLOATS);
                int c = 0;
                for (int bound = cols - (ROWS - 1); c < bound; c += ROWS) {
                    FloatVector xc = FloatVector.fromArray(FLOATS, x, c);
                    // rows 0..7: the transpose below, then their column sums in dots0
                    FloatVector p0 = FloatVector.fromArray(FLOATS, w, m0 + c).lanewise(MUL, xc);
                    FloatVector p1 = FloatVector.fromArray(FLOATS, w, m1 + c).lanewise(MUL, xc);
                    FloatVector p2 = FloatVector.fromArray(FLOATS, w, m2 + c).lanewise(MUL, xc);
                    FloatVector p3 = FloatVector.fromArray(FLOATS, w, m3 + c).lanewise(MUL, xc);
                    FloatVector p4 = FloatVector.fromArray(FLOATS, w, m4 + c).lanewise(MUL, xc);
                    FloatVector p5 = FloatVector.fromArray(FLOATS, w, m5 + c).lanewise(MUL, xc);
                    FloatVector p6 = FloatVector.fromArray(FLOATS, w, m6 + c).lanewise(MUL, xc);
                    FloatVector p7 = FloatVector.fromArray(FLOATS, w, m7 + c).lanewise(MUL, xc);
                    // rows 8..15: the transpose below, then their column sums in dots1
                    FloatVector p8 = FloatVector.fromArray(FLOATS, w, m8 + c).lanewise(MUL, xc);
                    FloatVector p9 = FloatVector.fromArray(FLOATS, w, m9 + c).lanewise(MUL, xc);
                    FloatVector p10 = FloatVector.fromArray(FLOATS, w, m10 + c).lanewise(MUL, xc);
                    FloatVector p11 = FloatVector.fromArray(FLOATS, w, m11 + c).lanewise(MUL, xc);
                    FloatVector p12 = FloatVector.fromArray(FLOATS, w, m12 + c).lanewise(MUL, xc);
                    FloatVector p13 = FloatVector.fromArray(FLOATS, w, m13 + c).lanewise(MUL, xc);
                    FloatVector p14 = FloatVector.fromArray(FLOATS, w, m14 + c).lanewise(MUL, xc);
                    FloatVector p15 = FloatVector.fromArray(FLOATS, w, m15 + c).lanewise(MUL, xc);
                    // stage 1: rows (0,1) (2,3) (4,5) (6,7), blocks of one lane
                    FloatVector a0 = p0.blend(p1.rearrange(swap1), upper1);
                    FloatVector a1 = p0.rearrange(swap1).blend(p1, upper1);
                    FloatVector a2 = p2.blend(p3.rearrange(swap1), upper1);
                    FloatVector a3 = p2.rearrange(swap1).blend(p3, upper1);
                    FloatVector a4 = p4.blend(p5.rearrange(swap1), upper1);
                    FloatVector a5 = p4.rearrange(swap1).blend(p5, upper1);
                    FloatVector a6 = p6.blend(p7.rearrange(swap1), upper1);
                    FloatVector a7 = p6.rearrange(swap1).blend(p7, upper1);
                    // stage 2: rows (0,2) (1,3) (4,6) (5,7), blocks of two
                    FloatVector b0 = a0.blend(a2.rearrange(swap2), upper2);
                    FloatVector b2 = a0.rearrange(swap2).blend(a2, upper2);
                    FloatVector b1 = a1.blend(a3.rearrange(swap2), upper2);
                    FloatVector b3 = a1.rearrange(swap2).blend(a3, upper2);
                    FloatVector b4 = a4.blend(a6.rearrange(swap2), upper2);
                    FloatVector b6 = a4.rearrange(swap2).blend(a6, upper2);
                    FloatVector b5 = a5.blend(a7.rearrange(swap2), upper2);
                    FloatVector b7 = a5.rearrange(swap2).blend(a7, upper2);
                    // stage 3: rows (0,4) (1,5) (2,6) (3,7), blocks of four; vector k is now column c + k
                    FloatVector e0 = b0.blend(b4.rearrange(swap4), upper4);
                    FloatVector e4 = b0.rearrange(swap4).blend(b4, upper4);
                    FloatVector e1 = b1.blend(b5.rearrange(swap4), upper4);
                    FloatVector e5 = b1.rearrange(swap4).blend(b5, upper4);
                    FloatVector e2 = b2.blend(b6.rearrange(swap4), upper4);
                    FloatVector e6 = b2.rearrange(swap4).blend(b6, upper4);
                    FloatVector e3 = b3.blend(b7.rearrange(swap4), upper4);
                    FloatVector e7 = b3.rearrange(swap4).blend(b7, upper4);
                    FloatVector a8 = p8.blend(p9.rearrange(swap1), upper1);
                    FloatVector a9 = p8.rearrange(swap1).blend(p9, upper1);
                    FloatVector a10 = p10.blend(p11.rearrange(swap1), upper1);
                    FloatVector a11 = p10.rearrange(swap1).blend(p11, upper1);
                    FloatVector a12 = p12.blend(p13.rearrange(swap1), upper1);
                    FloatVector a13 = p12.rearrange(swap1).blend(p13, upper1);
                    FloatVector a14 = p14.blend(p15.rearrange(swap1), upper1);
                    FloatVector a15 = p14.rearrange(swap1).blend(p15, upper1);
                    FloatVector b8 = a8.blend(a10.rearrange(swap2), upper2);
                    FloatVector b10 = a8.rearrange(swap2).blend(a10, upper2);
                    FloatVector b9 = a9.blend(a11.rearrange(swap2), upper2);
                    FloatVector b11 = a9.rearrange(swap2).blend(a11, upper2);
                    FloatVector b12 = a12.blend(a14.rearrange(swap2), upper2);
                    FloatVector b14 = a12.rearrange(swap2).blend(a14, upper2);
                    FloatVector b13 = a13.blend(a15.rearrange(swap2), upper2);
                    FloatVector b15 = a13.rearrange(swap2).blend(a15, upper2);
                    FloatVector e8 = b8.blend(b12.rearrange(swap4), upper4);
                    FloatVector e12 = b8.rearrange(swap4).blend(b12, upper4);
                    FloatVector e9 = b9.blend(b13.rearrange(swap4), upper4);
                    FloatVector e13 = b9.rearrange(swap4).blend(b13, upper4);
                    FloatVector e10 = b10.blend(b14.rearrange(swap4), upper4);
                    FloatVector e14 = b10.rearrange(swap4).blend(b14, upper4);
                    FloatVector e11 = b11.blend(b15.rearrange(swap4), upper4);
                    FloatVector e15 = b11.rearrange(swap4).blend(b15, upper4);
                    dots0 = dots0.lanewise(ADD, e0);
                    dots1 = dots1.lanewise(ADD, e8);
                    dots0 = dots0.lanewise(ADD, e1);
                    dots1 = dots1.lanewise(ADD, e9);
                    dots0 = dots0.lanewise(ADD, e2);
                    dots1 = dots1.lanewise(ADD, e10);
                    dots0 = dots0.lanewise(ADD, e3);
                    dots1 = dots1.lanewise(ADD, e11);
                    dots0 = dots0.lanewise(ADD, e4);
                    dots1 = dots1.lanewise(ADD, e12);
                    dots0 = dots0.lanewise(ADD, e5);
                    dots1 = dots1.lanewise(ADD, e13);
                    dots0 = dots0.lanewise(ADD, e6);
                    dots1 = dots1.lanewise(ADD, e14);
                    dots0 = dots0.lanewise(ADD, e7);
                    dots1 = dots1.lanewise(ADD, e15);
                }
                result[r] += FloatPanels.continueDot(dots0.lane(0), w, m0, c, cols, x, 0);
                result[r + 1] += FloatPanels.continueDot(dots0.lane(1), w, m1, c, cols, x, 0);
                result[r + 2] += FloatPanels.continueDot(dots0.lane(2), w, m2, c, cols, x, 0);
                result[r + 3] += FloatPanels.continueDot(dots0.lane(3), w, m3, c, cols, x, 0);
                result[r + 4] += FloatPanels.continueDot(dots0.lane(4), w, m4, c, cols, x, 0);
                result[r + 5] += FloatPanels.continueDot(dots0.lane(5), w, m5, c, cols, x, 0);
                result[r + 6] += FloatPanels.continueDot(dots0.lane(6), w, m6, c, cols, x, 0);
                result[r + 7] += FloatPanels.continueDot(dots0.lane(7), w, m7, c, cols, x, 0);
                result[r + 8] += FloatPanels.continueDot(dots1.lane(0), w, m8, c, cols, x, 0);
                result[r + 9] += FloatPanels.continueDot(dots1.lane(1), w, m9, c, cols, x, 0);
                result[r + 10] += FloatPanels.continueDot(dots1.lane(2), w, m10, c, cols, x, 0);
                result[r + 11] += FloatPanels.continueDot(dots1.lane(3), w, m11, c, cols, x, 0);
                result[r + 12] += FloatPanels.continueDot(dots1.lane(4), w, m12, c, cols, x, 0);
                result[r + 13] += FloatPanels.continueDot(dots1.lane(5), w, m13, c, cols, x, 0);
                result[r + 14] += FloatPanels.continueDot(dots1.lane(6), w, m14, c, cols, x, 0);
                result[r + 15] += FloatPanels.continueDot(dots1.lane(7), w, m15, c, cols, x, 0);
            }
        }
        for (; r + ROWS <= rows; r += ROWS) {
            // the row offsets once per pass: computed per load, they cost a multiply each (RegisterTransposeDots)
            int m0 = r * cols;
            int m1 = m0 + cols;
            int m2 = m1 + cols;
            int m3 = m2 + cols;
            int m4 = m3 + cols;
            int m5 = m4 + cols;
            int m6 = m5 + cols;
            int m7 = m6 + cols;
            FloatVector dots0 = FloatVector.zero(FLOATS);
            int c = 0;
            for (int bound = cols - (ROWS - 1); c < bound; c += ROWS) {
                FloatVector xc = FloatVector.fromArray(FLOATS, x, c);
                FloatVector p0 = FloatVector.fromArray(FLOATS, w, m0 + c).lanewise(MUL, xc);
                FloatVector p1 = FloatVector.fromArray(FLOATS, w, m1 + c).lanewise(MUL, xc);
                FloatVector p2 = FloatVector.fromArray(FLOATS, w, m2 + c).lanewise(MUL, xc);
                FloatVector p3 = FloatVector.fromArray(FLOATS, w, m3 + c).lanewise(MUL, xc);
                FloatVector p4 = FloatVector.fromArray(FLOATS, w, m4 + c).lanewise(MUL, xc);
                FloatVector p5 = FloatVector.fromArray(FLOATS, w, m5 + c).lanewise(MUL, xc);
                FloatVector p6 = FloatVector.fromArray(FLOATS, w, m6 + c).lanewise(MUL, xc);
                FloatVector p7 = FloatVector.fromArray(FLOATS, w, m7 + c).lanewise(MUL, xc);
                // stage 1: rows (0,1) (2,3) (4,5) (6,7), blocks of one lane
                FloatVector a0 = p0.blend(p1.rearrange(swap1), upper1);
                FloatVector a1 = p0.rearrange(swap1).blend(p1, upper1);
                FloatVector a2 = p2.blend(p3.rearrange(swap1), upper1);
                FloatVector a3 = p2.rearrange(swap1).blend(p3, upper1);
                FloatVector a4 = p4.blend(p5.rearrange(swap1), upper1);
                FloatVector a5 = p4.rearrange(swap1).blend(p5, upper1);
                FloatVector a6 = p6.blend(p7.rearrange(swap1), upper1);
                FloatVector a7 = p6.rearrange(swap1).blend(p7, upper1);
                // stage 2: rows (0,2) (1,3) (4,6) (5,7), blocks of two
                FloatVector b0 = a0.blend(a2.rearrange(swap2), upper2);
                FloatVector b2 = a0.rearrange(swap2).blend(a2, upper2);
                FloatVector b1 = a1.blend(a3.rearrange(swap2), upper2);
                FloatVector b3 = a1.rearrange(swap2).blend(a3, upper2);
                FloatVector b4 = a4.blend(a6.rearrange(swap2), upper2);
                FloatVector b6 = a4.rearrange(swap2).blend(a6, upper2);
                FloatVector b5 = a5.blend(a7.rearrange(swap2), upper2);
                FloatVector b7 = a5.rearrange(swap2).blend(a7, upper2);
                // stage 3: rows (0,4) (1,5) (2,6) (3,7), blocks of four; vector k is now column c + k
                FloatVector e0 = b0.blend(b4.rearrange(swap4), upper4);
                FloatVector e4 = b0.rearrange(swap4).blend(b4, upper4);
                FloatVector e1 = b1.blend(b5.rearrange(swap4), upper4);
                FloatVector e5 = b1.rearrange(swap4).blend(b5, upper4);
                FloatVector e2 = b2.blend(b6.rearrange(swap4), upper4);
                FloatVector e6 = b2.rearrange(swap4).blend(b6, upper4);
                FloatVector e3 = b3.blend(b7.rearrange(swap4), upper4);
                FloatVector e7 = b3.rearrange(swap4).blend(b7, upper4);
                dots0 = dots0.lanewise(ADD, e0);
                dots0 = dots0.lanewise(ADD, e1);
                dots0 = dots0.lanewise(ADD, e2);
                dots0 = dots0.lanewise(ADD, e3);
                dots0 = dots0.lanewise(ADD, e4);
                dots0 = dots0.lanewise(ADD, e5);
                dots0 = dots0.lanewise(ADD, e6);
                dots0 = dots0.lanewise(ADD, e7);
            }
            result[r] += FloatPanels.continueDot(dots0.lane(0), w, m0, c, cols, x, 0);
            result[r + 1] += FloatPanels.continueDot(dots0.lane(1), w, m1, c, cols, x, 0);
            result[r + 2] += FloatPanels.continueDot(dots0.lane(2), w, m2, c, cols, x, 0);
            result[r + 3] += FloatPanels.continueDot(dots0.lane(3), w, m3, c, cols, x, 0);
            result[r + 4] += FloatPanels.continueDot(dots0.lane(4), w, m4, c, cols, x, 0);
            result[r + 5] += FloatPanels.continueDot(dots0.lane(5), w, m5, c, cols, x, 0);
            result[r + 6] += FloatPanels.continueDot(dots0.lane(6), w, m6, c, cols, x, 0);
            result[r + 7] += FloatPanels.continueDot(dots0.lane(7), w, m7, c, cols, x, 0);
        }
        for (; r < rows; r++) {
            result[r] += FloatPanels.rowDot(w, cols, r, x, 0);
        }
    }
}
