package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.DOUBLES;
import static dev.qlanes.internal.vector.VectorShapes.DOUBLES_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.INTS_CLASS;

import dev.qlanes.reference.ReferenceIntegerOps;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The float requantization of TFLite's reference FULLY_CONNECTED since April 2025 (docs/semantics.md §4.2,
 * {@code Requantization.DOUBLE_FLOAT}) across a batch row's outputs, lane by lane equal to
 * {@link ReferenceIntegerOps#requantizeInDouble}: {@code trunc_i32(round(fl64((double) acc · eff)))}, for finite
 * {@code eff}.
 *
 * <p>Every step is exact or one IEEE operation per lane, so lanes and scalar code agree bit for bit: {@code I2D} of
 * an int is exact; the product {@code p} is one binary64 multiplication (round to nearest even) in either; the rest
 * is exact. The Vector API has no round-half-away (nor floor), so it is built from Java's truncating, saturating
 * {@code D2I}: {@code t = (int) p}; {@code f = p − t} is exact (for {@code |p| ≥ 1} both lie within a factor of two;
 * below, {@code t = 0}); and {@code (int) (2f)} is {@code +1} exactly when {@code f ≥ 0.5}, {@code −1} when
 * {@code f ≤ −0.5}, else 0, which is the ties-away step: {@code round(p) = t + (int) (2f)}. At the int32 limits,
 * where x86-64's {@code cvttsd2si} gives {@code INT32_MIN} for a rounded value outside int32 and Java saturates:
 * <ul>
 *   <li>{@code p ≥ 2^31 − 0.5} (or {@code +∞}): {@code t = INT32_MAX} and {@code (int) (2f) ≥ 1}; capped at 1, the
 *       wrapping sum is {@code INT32_MIN};</li>
 *   <li>{@code p ≤ −2^31} (or {@code −∞}): {@code t = INT32_MIN}, and the rounded value is {@code −2^31} (in
 *       range) or below (out of range), {@code INT32_MIN} either way, so {@code t} is kept.</li>
 * </ul>
 * Nothing is compared in doubles: on JDK 25 with AVX-512 and {@code -XX:MaxVectorSize=16}, {@code DoubleVector}
 * compares at 128 bits were measured not to be intrinsified (every call boxed), while the conversions and int
 * compares are.
 *
 * <p>One {@link VectorShapes#INTS} vector of accumulators is converted in two halves of {@link VectorShapes#DOUBLES}
 * lanes ({@code convert} parts 0 and 1, back with parts 0 and −1), as {@link IntegerRequantizer} does with longs,
 * and written as one loop body, for the reason that class gives.
 */
final class DoubleFloatRequantizer {
    private DoubleFloatRequantizer() {}

    /**
     * {@code acc[off + i] = requantizeInDouble(acc[off + i] + bias[biasOff + i], eff_c) + zeroPoint} for
     * {@code i < n}, in place (the additions wrap in int32), with {@code c = channel0 + i}:
     * {@code eff_c = effectiveScales[c]} when {@code effectiveScales} is non-null, else {@code effectiveScale}; every
     * scale finite (a NaN product would give 0 here, {@code INT32_MIN} in the reference).
     *
     * @param bias the bias (null for none), read at {@code biasOff + i}
     */
    static void requantizeInPlace(int[] acc, int off, int n, int[] bias, int biasOff, double effectiveScale,
            double[] effectiveScales, int channel0, int zeroPoint) {
        boolean perChannel = effectiveScales != null;
        DoubleVector tensorScale = DoubleVector.broadcast(DOUBLES, effectiveScale);
        int half = DOUBLES.length();
        int i = 0;
        for (int bound = INTS.loopBound(n); i < bound; i += INTS.length()) {
            IntVector x = IntVector.fromArray(INTS, acc, off + i);
            if (bias != null) {
                x = x.add(IntVector.fromArray(INTS, bias, biasOff + i));
            }
            DoubleVector eff0 = perChannel ? DoubleVector.fromArray(DOUBLES, effectiveScales, channel0 + i)
                    : tensorScale;
            DoubleVector eff1 = perChannel ? DoubleVector.fromArray(DOUBLES, effectiveScales, channel0 + i + half)
                    : tensorScale;
            // merged, converted and converting values cast to their exact classes before a call on them:
            // VectorShapes' *_CLASS
            DoubleVector p0 = DOUBLES_CLASS.cast(INTS_CLASS.cast(x).convert(VectorOperators.I2D, 0)).mul(eff0);
            DoubleVector p1 = DOUBLES_CLASS.cast(INTS_CLASS.cast(x).convert(VectorOperators.I2D, 1)).mul(eff1);
            IntVector t = INTS_CLASS.cast(DOUBLES_CLASS.cast(p0).convert(VectorOperators.D2I, 0))
                    .or(INTS_CLASS.cast(DOUBLES_CLASS.cast(p1).convert(VectorOperators.D2I, -1)));
            DoubleVector f0 = p0.sub(DOUBLES_CLASS.cast(INTS_CLASS.cast(t).convert(VectorOperators.I2D, 0)));
            DoubleVector f1 = p1.sub(DOUBLES_CLASS.cast(INTS_CLASS.cast(t).convert(VectorOperators.I2D, 1)));
            IntVector away = INTS_CLASS.cast(DOUBLES_CLASS.cast(f0.add(f0)).convert(VectorOperators.D2I, 0))
                    .or(INTS_CLASS.cast(DOUBLES_CLASS.cast(f1.add(f1)).convert(VectorOperators.D2I, -1)));
            // the blend's result cast before the last add: a random test order left it boxed ("Test order")
            IntVector rounded = INTS_CLASS.cast(INTS_CLASS.cast(t).add(INTS_CLASS.cast(away).min(1))
                    .blend(Integer.MIN_VALUE, INTS_CLASS.cast(t).eq(Integer.MIN_VALUE)));
            rounded.add(zeroPoint).intoArray(acc, off + i);
        }
        for (; i < n; i++) {
            int a = acc[off + i] + (bias != null ? bias[biasOff + i] : 0);
            acc[off + i] = ReferenceIntegerOps.requantizeInDouble(a,
                    perChannel ? effectiveScales[channel0 + i] : effectiveScale) + zeroPoint;
        }
    }
}
