package dev.qlanes.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** C++ float primitives (docs/semantics.md §0.2, §6.1, §8): std::round, x86 float-to-int, fabs, std::max/min. */
class CppMathTest {
    private static final int MIN = Integer.MIN_VALUE;

    private static void assertBits(float expected, float actual, String what) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                () -> what + ": expected " + Oracle.bits(expected) + " but was " + Oracle.bits(actual));
    }

    private static void assertBits(double expected, double actual, String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                () -> what + ": expected " + expected + " but was " + actual);
    }

    @Test
    void roundFloatTiesAwayFromZero() {
        assertBits(1.0f, CppMath.round(0.5f), "0.5");
        assertBits(-1.0f, CppMath.round(-0.5f), "-0.5");    // Math.round gives 0
        assertBits(3.0f, CppMath.round(2.5f), "2.5");       // Math.rint gives 2
        assertBits(-3.0f, CppMath.round(-2.5f), "-2.5");    // Math.round gives -2
        assertBits(0.0f, CppMath.round(0.49999997f), "0.49999997f"); // Math.round(float) was 1 in old JDKs
        assertBits(-0.0f, CppMath.round(-0.49999997f), "-0.49999997f");
        assertBits(-0.0f, CppMath.round(-0.0f), "-0.0");
        assertBits(-0.0f, CppMath.round(-0.25f), "-0.25 keeps its sign");
        assertBits(0.0f, CppMath.round(0.0f), "0.0");
        assertBits(8388609.0f, CppMath.round(8388609.0f), "2^23 + 1");
        assertBits(8388608.0f, CppMath.round(8388607.5f), "2^23 - 0.5");
        assertBits(-126.0f, CppMath.round(-125.5f), "-125.5");
        assertBits(Float.POSITIVE_INFINITY, CppMath.round(Float.POSITIVE_INFINITY), "+Inf");
        assertBits(Float.NEGATIVE_INFINITY, CppMath.round(Float.NEGATIVE_INFINITY), "-Inf");
        assertBits(Float.MAX_VALUE, CppMath.round(Float.MAX_VALUE), "MAX_VALUE");
        assertBits(0.0f, CppMath.round(Float.MIN_VALUE), "MIN_VALUE");
        assertTrue(Float.isNaN(CppMath.round(Float.NaN)));
    }

    @Test
    void roundDoubleTiesAwayFromZero() {
        assertBits(1.0, CppMath.round(0.5), "0.5");
        assertBits(-1.0, CppMath.round(-0.5), "-0.5");
        assertBits(3.0, CppMath.round(2.5), "2.5");
        assertBits(-27.0, CppMath.round(-26.5), "-26.5");
        assertBits(0.0, CppMath.round(0.49999999999999994), "largest double below 0.5");
        assertBits(-0.0, CppMath.round(-0.49999999999999994), "-(largest double below 0.5)");
        assertBits(4503599627370497.0, CppMath.round(4503599627370497.0), "2^52 + 1");
        assertBits(4503599627370496.0, CppMath.round(4503599627370495.5), "2^52 - 0.5");
        assertBits(-0.0, CppMath.round(-0.0), "-0.0");
        assertBits(Double.NEGATIVE_INFINITY, CppMath.round(Double.NEGATIVE_INFINITY), "-Inf");
        assertTrue(Double.isNaN(CppMath.round(Double.NaN)));
    }

    @Test
    void truncToIntFollowsX86() {
        assertEquals(2, CppMath.truncToInt(2.9f));
        assertEquals(-2, CppMath.truncToInt(-2.9f));
        assertEquals(0, CppMath.truncToInt(-0.5f));
        assertEquals(MIN, CppMath.truncToInt(Float.NaN));
        assertEquals(MIN, CppMath.truncToInt(Float.POSITIVE_INFINITY));
        assertEquals(MIN, CppMath.truncToInt(Float.NEGATIVE_INFINITY));
        assertEquals(MIN, CppMath.truncToInt(2.14748365E9f));          // 2^31: out of range
        assertEquals(MIN, CppMath.truncToInt(-2.14748365E9f));         // -2^31: in range, exactly INT32_MIN
        assertEquals(2147483520, CppMath.truncToInt(2.1474835E9f));    // largest float below 2^31
        assertEquals(MIN, CppMath.truncToInt(-2.1474839E9f));          // below -2^31
        assertEquals(MIN, CppMath.truncToInt(1e20f));
        assertEquals(MIN, CppMath.truncToInt(-1e20f));

        assertEquals(Integer.MAX_VALUE, CppMath.truncToInt(2147483647.0));
        assertEquals(Integer.MAX_VALUE, CppMath.truncToInt(2147483647.9));
        assertEquals(MIN, CppMath.truncToInt(2147483648.0));
        assertEquals(MIN, CppMath.truncToInt(-2147483648.0));
        assertEquals(MIN, CppMath.truncToInt(-2147483648.9));          // truncates to -2^31, in range
        assertEquals(MIN, CppMath.truncToInt(-2147483649.0));
        assertEquals(-2147483647, CppMath.truncToInt(-2147483647.5));
        assertEquals(MIN, CppMath.truncToInt(Double.NaN));
        assertEquals(MIN, CppMath.truncToInt(Double.POSITIVE_INFINITY));
        assertEquals(-5, CppMath.truncToInt(-5.999));
    }

    @Test
    void fabsClearsTheSignBitAlsoOfNaN() {
        assertBits(0.0f, CppMath.fabs(-0.0f), "-0.0");
        assertBits(3.5f, CppMath.fabs(-3.5f), "-3.5");
        assertBits(Float.POSITIVE_INFINITY, CppMath.fabs(Float.NEGATIVE_INFINITY), "-Inf");
        float negativeNaN = Float.intBitsToFloat(0xFFC00001);
        assertEquals(0x7FC00001, Float.floatToRawIntBits(CppMath.fabs(negativeNaN)), "payload kept, sign cleared");
    }

    @Test
    void stdMaxMinReturnFirstArgumentOnNaNAndEqualZeros() {
        float nan = Float.NaN;
        assertTrue(Float.isNaN(CppMath.stdMax(nan, 1.0f)));
        assertBits(1.0f, CppMath.stdMax(1.0f, nan), "max(1, NaN)");
        assertBits(0.0f, CppMath.stdMax(0.0f, -0.0f), "max(0, -0)");
        assertBits(-0.0f, CppMath.stdMax(-0.0f, 0.0f), "max(-0, 0)");   // Math.max gives +0
        assertBits(2.0f, CppMath.stdMax(1.0f, 2.0f), "max(1, 2)");
        assertBits(2.0f, CppMath.stdMax(2.0f, 1.0f), "max(2, 1)");
        assertTrue(Float.isNaN(CppMath.stdMin(nan, 1.0f)));
        assertBits(1.0f, CppMath.stdMin(1.0f, nan), "min(1, NaN)");
        assertBits(0.0f, CppMath.stdMin(0.0f, -0.0f), "min(0, -0)");    // Math.min gives -0
        assertBits(-0.0f, CppMath.stdMin(-0.0f, 0.0f), "min(-0, 0)");
        assertBits(1.0f, CppMath.stdMin(1.0f, 2.0f), "min(1, 2)");
        assertBits(1.0f, CppMath.stdMin(2.0f, 1.0f), "min(2, 1)");
    }

    @Test
    void randomRoundAndTruncMatchExactArithmetic() {
        long seed = 0xF10A7L;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 30_000; i++) {
            float f = switch (i % 3) {
                case 0 -> Float.intBitsToFloat(rnd.nextInt());
                case 1 -> (rnd.nextInt(-600, 600) + (rnd.nextInt(5) - 2) * 0.25f) * (rnd.nextBoolean() ? 1 : 0.5f);
                default -> (float) rnd.nextDouble(-3e9, 3e9);
            };
            if (!Float.isNaN(f)) {
                float e = Oracle.rnd(f);
                float a = CppMath.round(f);
                if (Float.floatToRawIntBits(e) != Float.floatToRawIntBits(a)) {
                    fail("seed " + seed + " case " + i + ": round(" + Oracle.bits(f) + ") expected " + Oracle.bits(e)
                            + " but was " + Oracle.bits(a));
                }
                double d = f * 1.0000001;
                if (Double.doubleToRawLongBits(Oracle.rnd(d)) != Double.doubleToRawLongBits(CppMath.round(d))) {
                    fail("seed " + seed + " case " + i + ": round(" + d + ") expected " + Oracle.rnd(d) + " but was "
                            + CppMath.round(d));
                }
            }
            String where = "seed " + seed + " case " + i + ": truncToInt(";
            assertEquals(Oracle.truncI32(f), CppMath.truncToInt(f), where + f + ")");
            double d = (double) f * 1.5;
            assertEquals(Oracle.truncI32(d), CppMath.truncToInt(d), where + d + ")");
        }
    }
}
