package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.DOUBLES;
import static dev.qlanes.internal.vector.VectorShapes.INTS_FOR_DOUBLES;

import dev.qlanes.reference.ReferenceIntegerOps;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The float requantization of TFLite's reference FULLY_CONNECTED since April 2025 (SEMANTICS.md §4.2,
 * {@code Requantization.DOUBLE_FLOAT}) across a batch row's outputs, lane by lane equal to
 * {@link ReferenceIntegerOps#requantizeInDouble}: {@code trunc_i32(round(fl64((double) acc · eff)))}.
 *
 * <p>Every step is exact or one IEEE operation per lane, so lanes and scalar code agree bit for bit: {@code I2D} of
 * an int is exact; the product is one binary64 multiplication (round to nearest even) in either; and the rest is
 * integer logic on that product. The Vector API has no round-half-away (nor floor), so it is built from truncation:
 * inside the int32 range {@code t = (double) (int) p} is {@code p} truncated toward zero and {@code f = p − t} is
 * exact (both lie in the same binade or {@code t} is 0), so {@code round(p) = t + 1} when {@code f ≥ 0.5}, {@code t
 * − 1} when {@code f ≤ −0.5}, else {@code t}. Outside {@code (−2^31 − 0.5, 2^31 − 0.5)} (and for NaN) the rounded
 * value leaves int32 and x86-64's {@code cvttsd2si} gives {@code INT32_MIN}, which Java's saturating cast would not:
 * those lanes are blended to {@code −2^31} before the final conversion.
 *
 * <p>{@link VectorShapes#DOUBLES} holds half as many lanes as an int vector of the same width, so the accumulators
 * are loaded at half width ({@link VectorShapes#INTS_FOR_DOUBLES}) and converted lane for lane. Written as one loop
 * body, for the reason {@link IntegerRequantizer} gives.
 */
final class DoubleFloatRequantizer {
    private DoubleFloatRequantizer() {}

    /** Products at or below this round below {@code −2^31}: out of range, {@code INT32_MIN} on x86-64. */
    private static final double BELOW_INT32 = -0x1p31 - 0.5;
    /** Products at or above this round to {@code 2^31} or more: out of range, {@code INT32_MIN} on x86-64. */
    private static final double ABOVE_INT32 = 0x1p31 - 0.5;

    /**
     * {@code acc[off + i] = requantizeInDouble(acc[off + i] + bias[biasOff + i], eff_c) + zeroPoint} for
     * {@code i < n}, in place (the additions wrap in int32), with {@code c = channel0 + i}:
     * {@code eff_c = effectiveScales[c]} when {@code effectiveScales} is non-null, else {@code effectiveScale}.
     *
     * @param bias the bias (null for none), read at {@code biasOff + i}
     */
    static void requantizeInPlace(int[] acc, int off, int n, int[] bias, int biasOff, double effectiveScale,
            double[] effectiveScales, int channel0, int zeroPoint) {
        boolean perChannel = effectiveScales != null;
        DoubleVector tensorScale = DoubleVector.broadcast(DOUBLES, effectiveScale);
        int i = 0;
        for (int bound = DOUBLES.loopBound(n); i < bound; i += DOUBLES.length()) {
            IntVector x = IntVector.fromArray(INTS_FOR_DOUBLES, acc, off + i);
            if (bias != null) {
                x = x.add(IntVector.fromArray(INTS_FOR_DOUBLES, bias, biasOff + i));
            }
            DoubleVector eff = perChannel ? DoubleVector.fromArray(DOUBLES, effectiveScales, channel0 + i)
                    : tensorScale;
            DoubleVector p = ((DoubleVector) x.convertShape(VectorOperators.I2D, DOUBLES, 0)).mul(eff);
            VectorMask<Double> inRange = p.compare(VectorOperators.GT, BELOW_INT32)
                    .and(p.compare(VectorOperators.LT, ABOVE_INT32));
            DoubleVector t = (DoubleVector) p.convertShape(VectorOperators.D2I, INTS_FOR_DOUBLES, 0)
                    .convertShape(VectorOperators.I2D, DOUBLES, 0);
            DoubleVector f = p.sub(t);
            DoubleVector r = t.add(1.0, f.compare(VectorOperators.GE, 0.5))
                    .sub(1.0, f.compare(VectorOperators.LE, -0.5))
                    .blend(-0x1p31, inRange.not());
            ((IntVector) r.convertShape(VectorOperators.D2I, INTS_FOR_DOUBLES, 0)).add(zeroPoint)
                    .intoArray(acc, off + i);
        }
        for (; i < n; i++) {
            int a = acc[off + i] + (bias != null ? bias[biasOff + i] : 0);
            acc[off + i] = ReferenceIntegerOps.requantizeInDouble(a,
                    perChannel ? effectiveScales[channel0 + i] : effectiveScale) + zeroPoint;
        }
    }
}
