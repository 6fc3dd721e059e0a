package dev.qlanes.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * QuantizeMultiplier (docs/semantics.md §1.5): the worked examples, ties, flush-to-zero, renormalization,
 * clamping.
 */
class QuantizedMultiplierTest {
    private static final int P30 = 1 << 30;
    private static final int MAX = Integer.MAX_VALUE;

    private static void assertQm(int multiplier, int shift, QuantizedMultiplier actual, String what) {
        assertEquals(new QuantizedMultiplier(multiplier, shift), actual, what);
    }

    private static void both(double d, int multiplier, int shift) {
        assertQm(multiplier, shift, QuantizedMultiplier.of(d), "of(" + d + ")");
        assertQm(multiplier, shift, QuantizedMultiplier.of(d, Rounding.DOUBLE_ROUNDING), "of(" + d + ", DOUBLE)");
        assertQm(multiplier, shift, QuantizedMultiplier.of(d, Rounding.SINGLE_ROUNDING), "of(" + d + ", SINGLE)");
    }

    @Test
    void zeroGivesZero() {
        both(0.0, 0, 0);
        both(-0.0, 0, 0);
    }

    @Test
    void simpleValues() {
        both(0.5, P30, 0);            // 0.5 * 2^0
        both(1.0, P30, 1);            // 0.5 * 2^1
        both(0.25, P30, -1);
        both(0.75, 3 << 29, 0);       // 0.75 * 2^31 = 1610612736
        both(-0.25, -P30, -1);        // negative significand, same exponent rule
        both(-1.0, -P30, 1);
        both(2.0, P30, 2);
        both(1e-3, 1099511628, -9);   // 1e-3 = 0.512 * 2^-9; 0.512 * 2^31 = 1099511627.776 -> 1099511628
    }

    @Test
    void significandTiesRoundAwayFromZero() {
        // q * 2^31 = 2^30 + 0.5 and 2^30 + 2.5 exactly: ties away (rint would give 2^30 and 2^30 + 2)
        both(0.5 + 0x1p-32, P30 + 1, 0);
        both(-(0.5 + 0x1p-32), -(P30 + 1), 0);
        both(0.5 + 2.5 * 0x1p-31, P30 + 3, 0);
        both(-(0.5 + 2.5 * 0x1p-31), -(P30 + 3), 0);
        both(0.5 + 1.5 * 0x1p-31, P30 + 2, 0);
    }

    @Test
    void workedExamplesNearOneHalfAndTwo() {
        both(0.5 - 1e-10, P30, 0);            // q*2^31 = 2^31 - 0.43 rounds to 2^31 -> renormalized
        both(0.5 - 5e-9, 2147483627, -1);     // 2147483626.525 -> 2147483627
        both(2 - 1e-9, MAX, 1);               // 2147483646.93 -> 2^31 - 1
        both(2 - 1e-11, P30, 2);              // rounds up to 2^31 -> (2^30, 2)
        both(1 - 1e-15, P30, 1);              // the SmallerThanOne wrapper would die; the plain function renormalizes
    }

    @Test
    void negativeSignificandRoundingToMinusOneIsNotRenormalized() {
        // Step 4 only tests Mq == 2^31; a negative q that rounds to -2^31 keeps it (INT32_MIN) and its exponent.
        both(-(2 - 1e-11), Integer.MIN_VALUE, 1);
        both(-(0.5 - 1e-10), Integer.MIN_VALUE, -1);
        // and so, unlike its positive mirror image, a hair below -2^-32 is flushed (exponent -32 < -31)
        both(-Math.nextDown(0x1p-32), 0, 0);
    }

    @Test
    void tinyMultipliersFlushToZero() {
        both(0x1p-32, P30, -31);
        both(0x1p-33, 0, 0);
        both(0.99 * 0x1p-32, 0, 0);
        both(-0x1p-32, -P30, -31);
        both(-0x1p-33, 0, 0);
        // a hair below 2^-32 rounds up in step 4 and survives as (2^30, -31)
        both(Math.nextDown(0x1p-32), P30, -31);
        both(Math.scalb(1.0 - 0x1p-40, -32), P30, -31);
        // subnormals
        both(Double.MIN_VALUE, 0, 0);
        both(Double.MIN_NORMAL / 2, 0, 0);
        both(-Double.MIN_VALUE, 0, 0);
        both(Double.MIN_NORMAL, 0, 0);
    }

    @Test
    void hugeMultipliersClampOnlyInSingleRounding() {
        assertQm(1250000000, 34, QuantizedMultiplier.of(1e10), "1e10 double");
        assertQm(1250000000, 34, QuantizedMultiplier.of(1e10, Rounding.DOUBLE_ROUNDING), "1e10 double");
        assertQm(MAX, 30, QuantizedMultiplier.of(1e10, Rounding.SINGLE_ROUNDING), "1e10 single");
        // 2^30 = 0.5 * 2^31: shift 31 > 30
        assertQm(P30, 31, QuantizedMultiplier.of(0x1p30), "2^30 double");
        assertQm(MAX, 30, QuantizedMultiplier.of(0x1p30, Rounding.SINGLE_ROUNDING), "2^30 single");
        // 2^29 -> (2^30, 30): not clamped in either build
        both(0x1p29, P30, 30);
        // just below 2^30: q*2^31 rounds up to 2^31 -> shift 31 -> clamped in single rounding
        assertQm(P30, 31, QuantizedMultiplier.of(Math.nextDown(0x1p30)), "nextDown(2^30) double");
        assertQm(MAX, 30, QuantizedMultiplier.of(Math.nextDown(0x1p30), Rounding.SINGLE_ROUNDING), "nextDown single");
        // the single-rounding clamp sets the multiplier to 2^31 - 1 whatever the sign (step 6)
        assertQm(-1250000000, 34, QuantizedMultiplier.of(-1e10), "-1e10 double");
        assertQm(MAX, 30, QuantizedMultiplier.of(-1e10, Rounding.SINGLE_ROUNDING), "-1e10 single");
        assertQm(P30, 1024, QuantizedMultiplier.of(0x1p1023), "2^1023 double");
        assertQm(MAX, 30, QuantizedMultiplier.of(Double.MAX_VALUE, Rounding.SINGLE_ROUNDING), "MAX_VALUE single");
    }

    @Test
    void nanAndInfinityAreRejected() {
        for (double d : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> QuantizedMultiplier.of(d));
            for (Rounding r : Rounding.values()) {
                IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                        () -> QuantizedMultiplier.of(d, r));
                Messages.assertContains(ex, String.valueOf(d));
            }
        }
        NullPointerException npe = assertThrows(NullPointerException.class, () -> QuantizedMultiplier.of(0.5, null));
        Messages.assertNamesRounding(npe);
    }

    /** Exact model of §1.5 with BigDecimal: frexp, round half away from zero, renormalize, flush, clamp. */
    static QuantizedMultiplier exact(double d, Rounding r) {
        if (d == 0.0) {
            return new QuantizedMultiplier(0, 0);
        }
        if (Math.abs(d) < 0x1p-34) {
            return new QuantizedMultiplier(0, 0); // frexp exponent <= -33: flushed even after renormalization
        }
        BigDecimal v = new BigDecimal(d);
        int e = Math.getExponent(d) + 1; // frexp exponent of a normal double: 0.5 <= |d| / 2^e < 1
        BigDecimal q = e >= 0 ? v.divide(new BigDecimal(BigInteger.TWO.pow(e)))
                : v.multiply(new BigDecimal(BigInteger.TWO.pow(-e)));
        long mq = q.multiply(new BigDecimal(BigInteger.TWO.pow(31))).setScale(0, RoundingMode.HALF_UP).longValueExact();
        if (mq == (1L << 31)) { // only the positive overflow is renormalized (step 4)
            mq = mq / 2;
            e++;
        }
        if (e < -31) {
            return new QuantizedMultiplier(0, 0);
        }
        if (r == Rounding.SINGLE_ROUNDING && e > 30) {
            return new QuantizedMultiplier(MAX, 30);
        }
        return new QuantizedMultiplier((int) mq, e);
    }

    @Test
    void randomMultipliersMatchExactModel() {
        long seed = 0xC0FFEEL;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
            double d;
            switch (i % 4) {
                case 0 -> d = rnd.nextDouble();
                case 1 -> d = Math.scalb(rnd.nextDouble(0.5, 1.0), rnd.nextInt(-40, 40));
                case 2 -> d = Math.scalb((double) ((1L << 31) + rnd.nextInt(-4, 4)) + (rnd.nextInt(3) - 1) * 0.5,
                        -31 + rnd.nextInt(-35, 35)); // ties and near-renormalization values
                default -> d = Double.longBitsToDouble(rnd.nextLong());
            }
            if (!Double.isFinite(d)) {
                continue;
            }
            if (rnd.nextBoolean()) {
                d = -d;
            }
            for (Rounding r : Rounding.values()) {
                QuantizedMultiplier expected = exact(d, r);
                QuantizedMultiplier actual = QuantizedMultiplier.of(d, r);
                if (!expected.equals(actual)) {
                    fail("seed " + seed + " case " + i + ": of(" + d + " = " + Double.toHexString(d) + ", " + r
                            + ") expected " + expected + " but was " + actual);
                }
            }
        }
    }
}
