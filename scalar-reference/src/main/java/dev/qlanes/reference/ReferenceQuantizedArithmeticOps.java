package dev.qlanes.reference;

import dev.qlanes.reference.internal.Check;
import dev.qlanes.reference.internal.Validate;

/**
 * TFLite's int8 ADD and MUL as {@code Register_ADD_REF} / {@code Register_MUL_REF} compute them: the integer
 * parameters {@code Prepare} derives from the tensors' scales and zero points, then
 * {@code reference_integer_ops::Add}/{@code BroadcastAdd6DSlow} and {@code Mul}/{@code BroadcastMul6DSlow}, with
 * NumPy broadcasting as in {@link ReferenceFloatOps#add}. All arithmetic after {@code Prepare} is integer, so the
 * results are bit-exact; the {@link Rounding} argument selects TFLite's build mode (double rounding by default).
 *
 * <p>Each tensor is given as its int8 data, shape, scale (finite, {@code > 0}) and zero point ({@code [-128, 127]}).
 * Arguments are validated, and parameter combinations TFLite's {@code Prepare} would abort on are rejected, before
 * anything is written; the output may be an input that is not broadcast.
 */
public final class ReferenceQuantizedArithmeticOps {
    private ReferenceQuantizedArithmeticOps() {}

    /** ADD's int8 path scales both inputs up by {@code 2^20} before adding, to keep precision ({@code add.cc}). */
    private static final int ADD_LEFT_SHIFT = 20;
    private static final int INT8_MIN = Byte.MIN_VALUE;
    private static final int INT8_MAX = Byte.MAX_VALUE;

    /** ADD in TFLite's default (double-rounding) build. */
    public static void add(byte[] a, int[] shapeA, float scaleA, int zeroPointA, byte[] b, int[] shapeB, float scaleB,
            int zeroPointB, byte[] out, int[] outShape, float outScale, int outZeroPoint, FusedActivation activation) {
        add(a, shapeA, scaleA, zeroPointA, b, shapeB, scaleB, zeroPointB, out, outShape, outScale, outZeroPoint,
                activation, Rounding.DOUBLE_ROUNDING);
    }

    /**
     * int8 ADD. {@code Prepare} (int8 path): {@code twice = 2 * (double) max(scaleA, scaleB)};
     * {@code (Ma, sa) = QuantizeMultiplierSmallerThanOneExp((double) scaleA / twice)}, likewise {@code (Mb, sb)},
     * and {@code (Mo, so)} from {@code twice / (2^20 * (double) outScale)}; the clamp is
     * {@code CalculateActivationRangeQuantized}. Each element, with {@code MBQM} in the chosen rounding:
     * <pre>
     *   x = MBQM((a - zeroPointA) * 2^20, Ma, sa) + MBQM((b - zeroPointB) * 2^20, Mb, sb)
     *   out = clamp(MBQM(x, Mo, so) + outZeroPoint, actMin, actMax)
     * </pre>
     *
     * @throws IllegalArgumentException if {@code twice / (2^20 * outScale) >= 1} (TFLite's Prepare aborts on
     *         {@code QuantizeMultiplierSmallerThanOneExp}'s check), or if the activation clamp leaves int8, besides
     *         the shape, scale and zero-point checks
     */
    public static void add(byte[] a, int[] shapeA, float scaleA, int zeroPointA, byte[] b, int[] shapeB, float scaleB,
            int zeroPointB, byte[] out, int[] outShape, float outScale, int outZeroPoint, FusedActivation activation,
            Rounding rounding) {
        check(a, shapeA, scaleA, zeroPointA, b, shapeB, scaleB, zeroPointB, out, outShape, outScale, outZeroPoint,
                activation, rounding);
        double twiceMaxInputScale = 2 * (double) Math.max(scaleA, scaleB);
        QuantizedMultiplier ma = smallerThanOne("scaleA / (2 * max(scaleA, scaleB))", scaleA / twiceMaxInputScale,
                rounding);
        QuantizedMultiplier mb = smallerThanOne("scaleB / (2 * max(scaleA, scaleB))", scaleB / twiceMaxInputScale,
                rounding);
        QuantizedMultiplier mo = smallerThanOne("2 * max(scaleA, scaleB) / (2^20 * outScale)",
                twiceMaxInputScale / ((double) (1 << ADD_LEFT_SHIFT) * (double) outScale), rounding);
        FullyConnectedQuantization.ActivationRange range = range(activation, outScale, outZeroPoint);

        Broadcast.forEach(shapeA, shapeB, outShape, (o, ia, ib) -> {
            int shiftedA = (a[ia] - zeroPointA) * (1 << ADD_LEFT_SHIFT);
            int shiftedB = (b[ib] - zeroPointB) * (1 << ADD_LEFT_SHIFT);
            int sum = FixedPoint.multiplyByQuantizedMultiplier(shiftedA, ma.multiplier(), ma.shift(), rounding)
                    + FixedPoint.multiplyByQuantizedMultiplier(shiftedB, mb.multiplier(), mb.shift(), rounding);
            int y = FixedPoint.multiplyByQuantizedMultiplier(sum, mo.multiplier(), mo.shift(), rounding) + outZeroPoint;
            out[o] = (byte) Math.min(range.max(), Math.max(range.min(), y));
        });
    }

    /** MUL in TFLite's default (double-rounding) build. */
    public static void mul(byte[] a, int[] shapeA, float scaleA, int zeroPointA, byte[] b, int[] shapeB, float scaleB,
            int zeroPointB, byte[] out, int[] outShape, float outScale, int outZeroPoint, FusedActivation activation) {
        mul(a, shapeA, scaleA, zeroPointA, b, shapeB, scaleB, zeroPointB, out, outShape, outScale, outZeroPoint,
                activation, Rounding.DOUBLE_ROUNDING);
    }

    /**
     * int8 MUL. {@code Prepare}: {@code (M, shift) = QuantizeMultiplier(scaleA * scaleB / outScale)} where the
     * real multiplier is evaluated in <em>float</em> ({@code fl32(fl32(scaleA * scaleB) / outScale)}, the C++
     * expression's type) and then widened; the clamp is {@code CalculateActivationRangeQuantized}. Each element:
     * {@code out = clamp(MBQM((a - zeroPointA) * (b - zeroPointB), M, shift) + outZeroPoint, actMin, actMax)}.
     *
     * @throws IllegalArgumentException if the multiplier needs a shift above 30 in a double-rounding build, or if
     *         the activation clamp leaves int8, besides the shape, scale and zero-point checks
     */
    public static void mul(byte[] a, int[] shapeA, float scaleA, int zeroPointA, byte[] b, int[] shapeB, float scaleB,
            int zeroPointB, byte[] out, int[] outShape, float outScale, int outZeroPoint, FusedActivation activation,
            Rounding rounding) {
        check(a, shapeA, scaleA, zeroPointA, b, shapeB, scaleB, zeroPointB, out, outShape, outScale, outZeroPoint,
                activation, rounding);
        float realMultiplier = scaleA * scaleB / outScale; // float, as in mul.cc's Prepare
        if (!Float.isFinite(realMultiplier)) {
            throw new IllegalArgumentException("scaleA * scaleB / outScale = " + realMultiplier + ", expected finite");
        }
        QuantizedMultiplier m = QuantizedMultiplier.of(realMultiplier, rounding);
        if (m.shift() > FixedPoint.MAX_SHIFT) {
            throw new IllegalArgumentException("scaleA * scaleB / outScale = " + realMultiplier + " needs shift = "
                    + m.shift() + ", expected a shift in [" + FixedPoint.MIN_SHIFT + ", " + FixedPoint.MAX_SHIFT + "]");
        }
        FullyConnectedQuantization.ActivationRange range = range(activation, outScale, outZeroPoint);

        Broadcast.forEach(shapeA, shapeB, outShape, (o, ia, ib) -> {
            int product = (a[ia] - zeroPointA) * (b[ib] - zeroPointB);
            int y = FixedPoint.multiplyByQuantizedMultiplier(product, m.multiplier(), m.shift(), rounding)
                    + outZeroPoint;
            out[o] = (byte) Math.min(range.max(), Math.max(range.min(), y));
        });
    }

    private static void check(byte[] a, int[] shapeA, float scaleA, int zeroPointA, byte[] b, int[] shapeB,
            float scaleB, int zeroPointB, byte[] out, int[] outShape, float outScale, int outZeroPoint,
            FusedActivation activation, Rounding rounding) {
        Broadcast.check("a", Check.notNull("a", a).length, shapeA, "b", Check.notNull("b", b).length, shapeB,
                "out", Check.notNull("out", out).length, outShape);
        Check.positiveFinite("scaleA", scaleA);
        Check.inRange("zeroPointA", zeroPointA, INT8_MIN, INT8_MAX);
        Check.positiveFinite("scaleB", scaleB);
        Check.inRange("zeroPointB", zeroPointB, INT8_MIN, INT8_MAX);
        Check.positiveFinite("outScale", outScale);
        Check.inRange("outZeroPoint", outZeroPoint, INT8_MIN, INT8_MAX);
        Check.notNull("activation", activation);
        Check.notNull("rounding", rounding);
    }

    /** {@code QuantizeMultiplierSmallerThanOneExp}: requires {@code 0 < real < 1} and a shift {@code <= 0}. */
    private static QuantizedMultiplier smallerThanOne(String formula, double real, Rounding rounding) {
        QuantizedMultiplier m = real > 0.0 && real < 1.0 ? QuantizedMultiplier.of(real, rounding) : null;
        if (m == null || m.shift() > 0) {
            throw new IllegalArgumentException(formula + " = " + real + ", expected in (0, 1) with a shift <= 0"
                    + " (TFLite's Prepare aborts otherwise)");
        }
        return m;
    }

    private static FullyConnectedQuantization.ActivationRange range(FusedActivation activation, float outScale,
            int outZeroPoint) {
        FullyConnectedQuantization.ActivationRange range =
                FullyConnectedQuantization.activationRange(activation, outScale, outZeroPoint, INT8_MIN, INT8_MAX);
        try {
            Validate.int8ActivationRange("activationMin", range.min(), "activationMax", range.max());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("outScale = " + outScale + " and outZeroPoint = " + outZeroPoint
                    + " give the " + activation + " clamp [" + range.min() + ", " + range.max()
                    + "], expected within [-128, 127]", e);
        }
        return range;
    }
}
