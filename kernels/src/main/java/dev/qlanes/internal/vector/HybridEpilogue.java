package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.FLOATS;
import static dev.qlanes.internal.vector.VectorShapes.FLOATS_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.INTS_CLASS;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
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
 * output; nothing is reduced across lanes, so the float results are bit-identical. The last vector is masked rather
 * than finished in a scalar loop: a small layer's 8 or 10 outputs are all in it.
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
        // whole vectors unmasked: AVX2's masked store (vmaskmovps) is slow on AMD cores, and a mask per step costs
        // a compare; the loop below is the same body with masks, for the last partial vector only
        for (int bound = FLOATS.loopBound(n); r < bound; r += FLOATS.length()) {
            IntVector dot = IntVector.fromArray(INTS, dots, dotsOff + r);
            if (rowSums != null) {
                dot = dot.sub(IntVector.fromArray(INTS, rowSums, row0 + r).mul(inputOffset));
            }
            // loop invariant and merged values cast before a call on them (VectorShapes.INTS_CLASS); scale is only
            // an argument, which needs no cast
            FloatVector scale = perChannelScale == null ? broadcastScale
                    : FLOATS_CLASS.cast(broadcastScale).mul(FloatVector.fromArray(FLOATS, perChannelScale, row0 + r));
            FloatVector product = FLOATS_CLASS.cast(INTS_CLASS.cast(dot).convert(VectorOperators.I2F, 0)).mul(scale);
            FloatVector.fromArray(FLOATS, base, baseOff + r).add(product).intoArray(result, resultOff + r);
        }
        if (r < n) { // a partial last vector: a small layer's whole output
            VectorMask<Integer> live = INTS.indexInRange(r, n);
            VectorMask<Float> liveFloats = FLOATS.indexInRange(r, n);
            IntVector dot = IntVector.fromArray(INTS, dots, dotsOff + r, live);
            if (rowSums != null) {
                dot = dot.sub(IntVector.fromArray(INTS, rowSums, row0 + r, live).mul(inputOffset));
            }
            FloatVector scale = perChannelScale == null ? broadcastScale
                    : FLOATS_CLASS.cast(broadcastScale).mul(FloatVector.fromArray(FLOATS, perChannelScale, row0 + r,
                            liveFloats));
            FloatVector product = FLOATS_CLASS.cast(INTS_CLASS.cast(dot).convert(VectorOperators.I2F, 0)).mul(scale);
            FloatVector.fromArray(FLOATS, base, baseOff + r, liveFloats).add(product)
                    .intoArray(result, resultOff + r, liveFloats);
        }
    }
}
