package dev.qlanes.internal.vector;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.MUL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float dot products of eight rows at a time, vectorized across the rows by transposing 8×8 blocks of the row-major
 * matrix in registers: after three zip stages of two-source permutes, vector {@code k} holds column {@code c + k} of
 * the eight rows, so one vector add continues all eight sums by one column. Each lane adds its row's products in
 * column order, every product and sum rounded to float and no FMA, so the results are the reference's bits
 * (docs/semantics.md §3.1). The permutes only move bits: NaN payloads, infinities and -0.0 arrive unchanged.
 *
 * <p>For batches up to {@value #MAX_BATCH}, where {@link FloatMatrixKernel}'s panel copy is shared by too few rows.
 * It needs a two-source permute in one instruction (AVX-512's {@code vpermi2ps}), so it runs only where the kernels'
 * width is {@value #MIN_BITS} bits ({@link #ENABLED}); elsewhere batch 1 takes {@link FloatPanels#addRowDots}, eight
 * interleaved scalar sums. Measured in a probe (Zen 4, 1x1024x1024, best of many calls): batch 1 123 µs against the
 * scalar form's 181-235; batch 2 179-181 against the panels' 407, batch 4 298-336 against 508; under
 * {@code -XX:UseAVX=2}, where C2 builds each permute from two and a blend, batch 1 204 against 181.
 *
 * <p>The vectors are 256 bits even on 512-bit hardware, the one place where a second float species runs beside
 * {@link VectorShapes#FLOATS}: a 16x16 block needs four stages and more registers than C2 keeps, and spilled (249 µs);
 * 16-column rows through 512-bit vectors, half of each add wasted, ran 168-188 µs.
 */
final class RegisterTransposeDots {
    private RegisterTransposeDots() {}

    /** The kernels' width from which the two-source permute is one instruction (AVX-512, SVE at 512 bits). */
    static final int MIN_BITS = 512;
    /** Whether small batches take this kernel rather than {@link FloatPanels#addRowDots} and the panels. */
    static final boolean ENABLED = VectorShapes.BITS >= MIN_BITS;

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
    /** Rows per tile: the lanes of {@link #FLOATS}, and one block's columns. */
    static final int ROWS = 8;
    /** One zip stage's index maps over two vectors (8 + l is lane l of the second): the low lanes interleaved... */
    private static final FloatVector ZIP_LOW = FloatVector.fromArray(FLOATS, new float[] {0, 8, 1, 9, 2, 10, 3, 11}, 0);
    /** ...and the high lanes. */
    private static final FloatVector ZIP_HIGH =
            FloatVector.fromArray(FLOATS, new float[] {4, 12, 5, 13, 6, 14, 7, 15}, 0);

    /** The most batch rows this kernel takes; beyond, {@link FloatMatrixKernel}'s shared panels are faster. */
    static final int MAX_BATCH = 4;

    /**
     * Float MBVMA for {@code 1 <= batch <=} {@value #MAX_BATCH}: {@code result[b·rows + r] += rowDot(w, cols, r, x,
     * b·cols)}. Batch rows go in pairs, each pair one pass over the weights that shares every transposed block; an odd
     * last row takes a pass of its own.
     */
    static void multiplyAccumulate(float[] w, int rows, int cols, float[] x, int batch, float[] result) {
        for (int b = 0; b < batch; b += 2) {
            addTileDots(w, rows, cols, x, b, b + 1 < batch, result);
        }
    }

    /**
     * One pass: {@code result[b·rows + r] += rowDot(w, cols, r, x, b·cols)} for every row {@code r} and batch row
     * {@code b = first}, and {@code b = first + 1} when {@code pair}. Columns past the last whole block continue each
     * row's sums in scalar code; rows past the last whole tile take {@link FloatPanels#rowDot}. One body for one
     * batch row and two: C2 separates the two cases of the loop-invariant {@code pair} (probe, 1x1024x1024: one row
     * 123-125 µs through here against 120-123 with no second sum at all, after passes of both kinds).
     */
    private static void addTileDots(float[] w, int rows, int cols, float[] x, int first, boolean pair,
            float[] result) {
        FloatVector low = ZIP_LOW;
        FloatVector high = ZIP_HIGH;
        int second = first + 1; // read only when pair
        int xa = first * cols;
        int xb = second * cols;
        int r = 0;
        for (; r + ROWS <= rows; r += ROWS) {
            // the row offsets once per tile: computed per load, they cost a multiply each and the loop ran 2x slower
            int m0 = r * cols;
            int m1 = m0 + cols;
            int m2 = m1 + cols;
            int m3 = m2 + cols;
            int m4 = m3 + cols;
            int m5 = m4 + cols;
            int m6 = m5 + cols;
            int m7 = m6 + cols;
            FloatVector dots = FloatVector.zero(FLOATS);
            FloatVector pairDots = FloatVector.zero(FLOATS);
            int c = 0;
            // written out, no vector passed to a helper: one that C2 declined to inline would box it. Only methods
            // that the 256-bit classes override (lanewise, selectFrom, lane) or static ones: FloatVector's shared
            // final forms (add, mul, intoArray) would add a second receiver class to their profiles, and C2,
            // compiling the 512-bit kernels' loops from those profiles, failed intrinsics and boxed
            // (TensorUtilsAllocationTest, C2 only)
            for (int bound = cols - (ROWS - 1); c < bound; c += ROWS) {
                FloatVector a0 = FloatVector.fromArray(FLOATS, w, m0 + c);
                FloatVector a1 = FloatVector.fromArray(FLOATS, w, m1 + c);
                FloatVector a2 = FloatVector.fromArray(FLOATS, w, m2 + c);
                FloatVector a3 = FloatVector.fromArray(FLOATS, w, m3 + c);
                FloatVector a4 = FloatVector.fromArray(FLOATS, w, m4 + c);
                FloatVector a5 = FloatVector.fromArray(FLOATS, w, m5 + c);
                FloatVector a6 = FloatVector.fromArray(FLOATS, w, m6 + c);
                FloatVector a7 = FloatVector.fromArray(FLOATS, w, m7 + c);
                // a perfect shuffle per stage, vector j with j + 4; three stages transpose the block
                FloatVector b0 = low.selectFrom(a0, a4);
                FloatVector b1 = high.selectFrom(a0, a4);
                FloatVector b2 = low.selectFrom(a1, a5);
                FloatVector b3 = high.selectFrom(a1, a5);
                FloatVector b4 = low.selectFrom(a2, a6);
                FloatVector b5 = high.selectFrom(a2, a6);
                FloatVector b6 = low.selectFrom(a3, a7);
                FloatVector b7 = high.selectFrom(a3, a7);
                FloatVector d0 = low.selectFrom(b0, b4);
                FloatVector d1 = high.selectFrom(b0, b4);
                FloatVector d2 = low.selectFrom(b1, b5);
                FloatVector d3 = high.selectFrom(b1, b5);
                FloatVector d4 = low.selectFrom(b2, b6);
                FloatVector d5 = high.selectFrom(b2, b6);
                FloatVector d6 = low.selectFrom(b3, b7);
                FloatVector d7 = high.selectFrom(b3, b7);
                FloatVector e0 = low.selectFrom(d0, d4); // column c + 0
                FloatVector e1 = high.selectFrom(d0, d4); // column c + 1
                FloatVector e2 = low.selectFrom(d1, d5); // column c + 2
                FloatVector e3 = high.selectFrom(d1, d5); // column c + 3
                FloatVector e4 = low.selectFrom(d2, d6); // column c + 4
                FloatVector e5 = high.selectFrom(d2, d6); // column c + 5
                FloatVector e6 = low.selectFrom(d3, d7); // column c + 6
                FloatVector e7 = high.selectFrom(d3, d7); // column c + 7
                int xc = xa + c;
                dots = dots.lanewise(ADD, e0.lanewise(MUL, FloatVector.broadcast(FLOATS, x[xc])));
                dots = dots.lanewise(ADD, e1.lanewise(MUL, FloatVector.broadcast(FLOATS, x[xc + 1])));
                dots = dots.lanewise(ADD, e2.lanewise(MUL, FloatVector.broadcast(FLOATS, x[xc + 2])));
                dots = dots.lanewise(ADD, e3.lanewise(MUL, FloatVector.broadcast(FLOATS, x[xc + 3])));
                dots = dots.lanewise(ADD, e4.lanewise(MUL, FloatVector.broadcast(FLOATS, x[xc + 4])));
                dots = dots.lanewise(ADD, e5.lanewise(MUL, FloatVector.broadcast(FLOATS, x[xc + 5])));
                dots = dots.lanewise(ADD, e6.lanewise(MUL, FloatVector.broadcast(FLOATS, x[xc + 6])));
                dots = dots.lanewise(ADD, e7.lanewise(MUL, FloatVector.broadcast(FLOATS, x[xc + 7])));
                if (pair) {
                    int yc = xb + c;
                    pairDots = pairDots.lanewise(ADD, e0.lanewise(MUL, FloatVector.broadcast(FLOATS, x[yc])));
                    pairDots = pairDots.lanewise(ADD, e1.lanewise(MUL, FloatVector.broadcast(FLOATS, x[yc + 1])));
                    pairDots = pairDots.lanewise(ADD, e2.lanewise(MUL, FloatVector.broadcast(FLOATS, x[yc + 2])));
                    pairDots = pairDots.lanewise(ADD, e3.lanewise(MUL, FloatVector.broadcast(FLOATS, x[yc + 3])));
                    pairDots = pairDots.lanewise(ADD, e4.lanewise(MUL, FloatVector.broadcast(FLOATS, x[yc + 4])));
                    pairDots = pairDots.lanewise(ADD, e5.lanewise(MUL, FloatVector.broadcast(FLOATS, x[yc + 5])));
                    pairDots = pairDots.lanewise(ADD, e6.lanewise(MUL, FloatVector.broadcast(FLOATS, x[yc + 6])));
                    pairDots = pairDots.lanewise(ADD, e7.lanewise(MUL, FloatVector.broadcast(FLOATS, x[yc + 7])));
                }
            }
            int o = first * rows + r;
            result[o] += FloatPanels.continueDot(dots.lane(0), w, m0, c, cols, x, xa);
            result[o + 1] += FloatPanels.continueDot(dots.lane(1), w, m1, c, cols, x, xa);
            result[o + 2] += FloatPanels.continueDot(dots.lane(2), w, m2, c, cols, x, xa);
            result[o + 3] += FloatPanels.continueDot(dots.lane(3), w, m3, c, cols, x, xa);
            result[o + 4] += FloatPanels.continueDot(dots.lane(4), w, m4, c, cols, x, xa);
            result[o + 5] += FloatPanels.continueDot(dots.lane(5), w, m5, c, cols, x, xa);
            result[o + 6] += FloatPanels.continueDot(dots.lane(6), w, m6, c, cols, x, xa);
            result[o + 7] += FloatPanels.continueDot(dots.lane(7), w, m7, c, cols, x, xa);
            if (pair) {
                int p = second * rows + r;
                result[p] += FloatPanels.continueDot(pairDots.lane(0), w, m0, c, cols, x, xb);
                result[p + 1] += FloatPanels.continueDot(pairDots.lane(1), w, m1, c, cols, x, xb);
                result[p + 2] += FloatPanels.continueDot(pairDots.lane(2), w, m2, c, cols, x, xb);
                result[p + 3] += FloatPanels.continueDot(pairDots.lane(3), w, m3, c, cols, x, xb);
                result[p + 4] += FloatPanels.continueDot(pairDots.lane(4), w, m4, c, cols, x, xb);
                result[p + 5] += FloatPanels.continueDot(pairDots.lane(5), w, m5, c, cols, x, xb);
                result[p + 6] += FloatPanels.continueDot(pairDots.lane(6), w, m6, c, cols, x, xb);
                result[p + 7] += FloatPanels.continueDot(pairDots.lane(7), w, m7, c, cols, x, xb);
            }
        }
        for (; r < rows; r++) {
            result[first * rows + r] += FloatPanels.rowDot(w, cols, r, x, xa);
            if (pair) {
                result[second * rows + r] += FloatPanels.rowDot(w, cols, r, x, xb);
            }
        }
    }
}
