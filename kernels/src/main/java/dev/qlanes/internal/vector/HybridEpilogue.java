package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.FLOATS;
import static dev.qlanes.internal.vector.VectorShapes.INTS;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The float epilogue of the hybrid products (SEMANTICS.md §3.2, §3.4, §3.8), across the rows of one batch
 * vector, in exactly the reference's operation order and without FMA:
 * <pre>
 *   scale = perChannelScale == null ? sf : fl32(sf * perChannelScale[r])
 *   dot   = dots[r] - (inputOffset == 0 ? 0 : rowSums[r] * inputOffset)          (int32, wrapping)
 *   result[r] = fl32(result[r] + fl32((float) dot * scale))
 * </pre>
 * Each lane is one output; nothing is reduced across lanes, so the float results are bit-identical.
 */
final class HybridEpilogue {
    private HybridEpilogue() {}

    /**
     * @param rowSums ignored (may be null) when {@code offsetted} is false
     * @param offsetted whether the §3.4 zero-point term applies, i.e. the caller passed input offsets
     */
    static void accumulate(int[] dots, int dotsOff, int mRows, float scalingFactor, float[] perChannelScale,
            boolean offsetted, int[] rowSums, int inputOffset, float[] result, int resultOff) {
        int r = 0;
        for (int bound = FLOATS.loopBound(mRows); r < bound; r += FLOATS.length()) {
            IntVector dot = IntVector.fromArray(INTS, dots, dotsOff + r);
            if (offsetted) {
                dot = dot.sub(IntVector.fromArray(INTS, rowSums, r).mul(inputOffset));
            }
            FloatVector scale = FloatVector.broadcast(FLOATS, scalingFactor);
            if (perChannelScale != null) {
                scale = scale.mul(FloatVector.fromArray(FLOATS, perChannelScale, r));
            }
            FloatVector product = ((FloatVector) dot.convert(VectorOperators.I2F, 0)).mul(scale);
            FloatVector.fromArray(FLOATS, result, resultOff + r).add(product).intoArray(result, resultOff + r);
        }
        for (; r < mRows; r++) {
            int dot = dots[dotsOff + r];
            if (offsetted) {
                dot -= rowSums[r] * inputOffset;
            }
            float scale = scalingFactor;
            if (perChannelScale != null) {
                scale *= perChannelScale[r];
            }
            result[resultOff + r] += (float) dot * scale;
        }
    }
}
