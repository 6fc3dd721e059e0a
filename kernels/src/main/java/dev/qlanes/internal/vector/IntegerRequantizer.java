package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS;
import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.INT_GROUPS;
import static dev.qlanes.internal.vector.VectorShapes.SHORTS_FOR_INTS;

import dev.qlanes.reference.FixedPoint;
import dev.qlanes.reference.Rounding;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The output stage of the full-integer kernels, across a batch row's outputs:
 * {@code out[i] = clamp(MBQM(acc[i], M_i, s_i) + zp [+ out[i]], min, max)} (SEMANTICS.md §3.6–§3.8), with
 * per-tensor or per-channel multipliers. The tail uses the scalar {@link FixedPoint}.
 */
final class IntegerRequantizer {
    private IntegerRequantizer() {}

    /** Multipliers and shifts of one requantization: per channel when the arrays are non-null. */
    record Multipliers(int multiplier, int shift, int[] multipliers, int[] shifts, Rounding rounding) {
        static Multipliers perTensor(int multiplier, int shift, Rounding rounding) {
            return new Multipliers(multiplier, shift, null, null, rounding);
        }

        IntVector requantize(IntVector acc, int channel) {
            IntVector m = multipliers == null ? IntVector.broadcast(INTS, multiplier)
                    : IntVector.fromArray(INTS, multipliers, channel);
            IntVector s = shifts == null ? IntVector.broadcast(INTS, shift) : IntVector.fromArray(INTS, shifts, channel);
            return VectorFixedPoint.multiplyByQuantizedMultiplier(acc, m, s, rounding);
        }

        int requantize(int acc, int channel) {
            return FixedPoint.multiplyByQuantizedMultiplier(acc,
                    multipliers == null ? multiplier : multipliers[channel],
                    shifts == null ? shift : shifts[channel], rounding);
        }
    }

    /**
     * int8 outputs for channels {@code 0..n-1}: {@code acc[accOff + i]} → {@code out[outOff + i]}.
     *
     * @param accumulate add the previous output after requantization (§3.6) instead of overwriting
     */
    static void toInt8(int[] acc, int accOff, int n, Multipliers q, int zeroPoint, boolean accumulate, int min,
            int max, byte[] out, int outOff) {
        int i = 0;
        for (int bound = BYTES_FOR_INTS.loopBound(n); i < bound; i += IntLanes.STEP) {
            ByteVector previous = accumulate ? ByteVector.fromArray(BYTES_FOR_INTS, out, outOff + i) : null;
            ByteVector packed = ByteVector.zero(BYTES_FOR_INTS);
            for (int g = 0; g < INT_GROUPS; g++) {
                int channel = i + g * INTS.length();
                IntVector y = q.requantize(IntVector.fromArray(INTS, acc, accOff + channel), channel).add(zeroPoint);
                if (accumulate) {
                    y = y.add(IntLanes.unpack(previous, g));
                }
                packed = IntLanes.pack(packed, y.max(min).min(max), g);
            }
            packed.intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            int y = q.requantize(acc[accOff + i], i) + zeroPoint + (accumulate ? out[outOff + i] : 0);
            out[outOff + i] = (byte) Math.min(max, Math.max(min, y));
        }
    }

    /** int16 outputs, accumulating (§3.6): {@code out[i] = clamp(MBQM(acc[i]) + zp + out[i], -32768, 32767)}. */
    static void toInt16Accumulate(int[] acc, int accOff, int n, Multipliers q, int zeroPoint, short[] out,
            int outOff) {
        int i = 0;
        for (int bound = INTS.loopBound(n); i < bound; i += INTS.length()) {
            IntVector previous = (IntVector) ShortVector.fromArray(SHORTS_FOR_INTS, out, outOff + i)
                    .convertShape(VectorOperators.S2I, INTS, 0);
            IntVector y = q.requantize(IntVector.fromArray(INTS, acc, accOff + i), i).add(zeroPoint).add(previous)
                    .max(Short.MIN_VALUE).min(Short.MAX_VALUE);
            ((ShortVector) y.convertShape(VectorOperators.I2S, SHORTS_FOR_INTS, 0)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            int y = q.requantize(acc[accOff + i], i) + zeroPoint + out[outOff + i];
            out[outOff + i] = (short) Math.min(Short.MAX_VALUE, Math.max(Short.MIN_VALUE, y));
        }
    }
}
