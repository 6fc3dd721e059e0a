package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.FLOATS;
import static dev.qlanes.internal.vector.VectorShapes.INTS;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The float epilogue of the hybrid products (docs/semantics.md §3.2, §3.4, §3.8, §4.1 step 6), across rows
 * {@code row0 .. row0+n-1} of one batch vector, in exactly the reference's operation order and without FMA:
 * <pre>
 *   scale = perChannelScale == null ? sf : fl32(sf * perChannelScale[row0+i])
 *   dot   = dots[i] - (rowSums == null ? 0 : rowSums[row0+i] * inputOffset)      (int32, wrapping)
 *   result[i] = fl32(base[i] + fl32((float) dot * scale))
 * </pre>
 * The facade accumulates ({@code base} is {@code result}); the layers start from the bias. Each lane is one
 * output; nothing is reduced across lanes, so the float results are bit-identical.
 */
final class HybridEpilogue {
    private HybridEpilogue() {}

    /**
     * @param rowSums the weights' row sums for the §3.4 zero-point term, or null when there is none
     * @param base    {@code base[baseOff + i]} is added to output {@code i}: the bias, or {@code result} itself
     */
    static void apply(int[] dots, int dotsOff, int n, int row0, float scalingFactor, float[] perChannelScale,
            int[] rowSums, int inputOffset, float[] base, int baseOff, float[] result, int resultOff) {
        FloatVector broadcastScale = FloatVector.broadcast(FLOATS, scalingFactor);
        int r = 0;
        for (int bound = FLOATS.loopBound(n); r < bound; r += FLOATS.length()) {
            IntVector dot = IntVector.fromArray(INTS, dots, dotsOff + r);
            if (rowSums != null) {
                dot = dot.sub(IntVector.fromArray(INTS, rowSums, row0 + r).mul(inputOffset));
            }
            FloatVector scale = perChannelScale == null ? broadcastScale
                    : broadcastScale.mul(FloatVector.fromArray(FLOATS, perChannelScale, row0 + r));
            FloatVector product = ((FloatVector) dot.convert(VectorOperators.I2F, 0)).mul(scale);
            FloatVector.fromArray(FLOATS, base, baseOff + r).add(product).intoArray(result, resultOff + r);
        }
        for (; r < n; r++) {
            int dot = dots[dotsOff + r];
            if (rowSums != null) {
                dot -= rowSums[row0 + r] * inputOffset;
            }
            float scale = scalingFactor;
            if (perChannelScale != null) {
                scale *= perChannelScale[row0 + r];
            }
            result[resultOff + r] = base[baseOff + r] + (float) dot * scale;
        }
    }
}
