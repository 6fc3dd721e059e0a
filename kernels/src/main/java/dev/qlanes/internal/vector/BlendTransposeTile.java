// GENERATED from kernels/src/template/BlendTransposeTiles.java.template by scripts/generate-loops.sh: edit the template, not this file.
package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.BlendTransposeDots.FLOATS;
import static dev.qlanes.internal.vector.BlendTransposeDots.ROWS;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.MUL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/** {@link BlendTransposeDots}' passes of one 8-row tile(s), their chains of adds side by side. */
final class BlendTransposeTile {
    private BlendTransposeTile() {}

    /**
     * {@code result[r] += rowDot(w, cols, r, x, 0)} for the rows of whole passes of 8 from {@code r}; returns the
     * first row it left.
     */
    static int addDots(float[] w, int r, int rows, int cols, float[] x, float[] result) {
        VectorShuffle<Float> swap1 = BlendTransposeDots.SWAP_1;
        VectorShuffle<Float> swap2 = BlendTransposeDots.SWAP_2;
        VectorShuffle<Float> swap4 = BlendTransposeDots.SWAP_4;
        VectorMask<Float> upper1 = BlendTransposeDots.UPPER_1;
        VectorMask<Float> upper2 = BlendTransposeDots.UPPER_2;
        VectorMask<Float> upper4 = BlendTransposeDots.UPPER_4;
        for (; r + 8 <= rows; r += 8) { // 8: 1 × ROWS
            // the row offsets once per pass: computed per load, they cost a multiply each (RegisterTransposeDots)
            int m0_0 = (r + 0 * ROWS) * cols;
            int m1_0 = m0_0 + cols;
            int m2_0 = m1_0 + cols;
            int m3_0 = m2_0 + cols;
            int m4_0 = m3_0 + cols;
            int m5_0 = m4_0 + cols;
            int m6_0 = m5_0 + cols;
            int m7_0 = m6_0 + cols;
            FloatVector dots0 = FloatVector.zero(FLOATS);
            int c = 0;
            // only methods the 256-bit class overrides: see RegisterTransposeDots on the shared final ones
            for (int bound = cols - (ROWS - 1); c < bound; c += ROWS) {
                FloatVector xc = FloatVector.fromArray(FLOATS, x, c);
                FloatVector p0_0 = FloatVector.fromArray(FLOATS, w, m0_0 + c).lanewise(MUL, xc);
                FloatVector p1_0 = FloatVector.fromArray(FLOATS, w, m1_0 + c).lanewise(MUL, xc);
                FloatVector p2_0 = FloatVector.fromArray(FLOATS, w, m2_0 + c).lanewise(MUL, xc);
                FloatVector p3_0 = FloatVector.fromArray(FLOATS, w, m3_0 + c).lanewise(MUL, xc);
                FloatVector p4_0 = FloatVector.fromArray(FLOATS, w, m4_0 + c).lanewise(MUL, xc);
                FloatVector p5_0 = FloatVector.fromArray(FLOATS, w, m5_0 + c).lanewise(MUL, xc);
                FloatVector p6_0 = FloatVector.fromArray(FLOATS, w, m6_0 + c).lanewise(MUL, xc);
                FloatVector p7_0 = FloatVector.fromArray(FLOATS, w, m7_0 + c).lanewise(MUL, xc);
                // stage 1: rows (0,1) (2,3) (4,5) (6,7), blocks of one lane
                FloatVector a0_0 = p0_0.blend(p1_0.rearrange(swap1), upper1);
                FloatVector a1_0 = p0_0.rearrange(swap1).blend(p1_0, upper1);
                FloatVector a2_0 = p2_0.blend(p3_0.rearrange(swap1), upper1);
                FloatVector a3_0 = p2_0.rearrange(swap1).blend(p3_0, upper1);
                FloatVector a4_0 = p4_0.blend(p5_0.rearrange(swap1), upper1);
                FloatVector a5_0 = p4_0.rearrange(swap1).blend(p5_0, upper1);
                FloatVector a6_0 = p6_0.blend(p7_0.rearrange(swap1), upper1);
                FloatVector a7_0 = p6_0.rearrange(swap1).blend(p7_0, upper1);
                // stage 2: rows (0,2) (1,3) (4,6) (5,7), blocks of two
                FloatVector b0_0 = a0_0.blend(a2_0.rearrange(swap2), upper2);
                FloatVector b2_0 = a0_0.rearrange(swap2).blend(a2_0, upper2);
                FloatVector b1_0 = a1_0.blend(a3_0.rearrange(swap2), upper2);
                FloatVector b3_0 = a1_0.rearrange(swap2).blend(a3_0, upper2);
                FloatVector b4_0 = a4_0.blend(a6_0.rearrange(swap2), upper2);
                FloatVector b6_0 = a4_0.rearrange(swap2).blend(a6_0, upper2);
                FloatVector b5_0 = a5_0.blend(a7_0.rearrange(swap2), upper2);
                FloatVector b7_0 = a5_0.rearrange(swap2).blend(a7_0, upper2);
                // stage 3: rows (0,4) (1,5) (2,6) (3,7), blocks of four; vector k is now column c + k
                FloatVector e0_0 = b0_0.blend(b4_0.rearrange(swap4), upper4);
                FloatVector e4_0 = b0_0.rearrange(swap4).blend(b4_0, upper4);
                FloatVector e1_0 = b1_0.blend(b5_0.rearrange(swap4), upper4);
                FloatVector e5_0 = b1_0.rearrange(swap4).blend(b5_0, upper4);
                FloatVector e2_0 = b2_0.blend(b6_0.rearrange(swap4), upper4);
                FloatVector e6_0 = b2_0.rearrange(swap4).blend(b6_0, upper4);
                FloatVector e3_0 = b3_0.blend(b7_0.rearrange(swap4), upper4);
                FloatVector e7_0 = b3_0.rearrange(swap4).blend(b7_0, upper4);
                // each tile's sums in column order, the tiles' chains interleaved
                dots0 = dots0.lanewise(ADD, e0_0);
                dots0 = dots0.lanewise(ADD, e1_0);
                dots0 = dots0.lanewise(ADD, e2_0);
                dots0 = dots0.lanewise(ADD, e3_0);
                dots0 = dots0.lanewise(ADD, e4_0);
                dots0 = dots0.lanewise(ADD, e5_0);
                dots0 = dots0.lanewise(ADD, e6_0);
                dots0 = dots0.lanewise(ADD, e7_0);
            }
            // the columns past the last whole block, each row's sum continued in scalar code
            result[r + 0 * ROWS] += FloatPanels.continueDot(dots0.lane(0), w, m0_0, c, cols, x, 0);
            result[r + 0 * ROWS + 1] += FloatPanels.continueDot(dots0.lane(1), w, m1_0, c, cols, x, 0);
            result[r + 0 * ROWS + 2] += FloatPanels.continueDot(dots0.lane(2), w, m2_0, c, cols, x, 0);
            result[r + 0 * ROWS + 3] += FloatPanels.continueDot(dots0.lane(3), w, m3_0, c, cols, x, 0);
            result[r + 0 * ROWS + 4] += FloatPanels.continueDot(dots0.lane(4), w, m4_0, c, cols, x, 0);
            result[r + 0 * ROWS + 5] += FloatPanels.continueDot(dots0.lane(5), w, m5_0, c, cols, x, 0);
            result[r + 0 * ROWS + 6] += FloatPanels.continueDot(dots0.lane(6), w, m6_0, c, cols, x, 0);
            result[r + 0 * ROWS + 7] += FloatPanels.continueDot(dots0.lane(7), w, m7_0, c, cols, x, 0);
        }
        return r;
    }
}
