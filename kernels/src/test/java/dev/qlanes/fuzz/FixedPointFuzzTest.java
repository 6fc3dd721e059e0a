package dev.qlanes.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.qlanes.reference.FixedPoint;
import dev.qlanes.reference.QuantizedMultiplier;
import dev.qlanes.reference.Rounding;
import java.math.BigInteger;
import java.util.Set;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the fixed-point requantization primitives ({@link FixedPoint}) and of TFLite's
 * {@code QuantizeMultiplier} ({@link QuantizedMultiplier#of}) against exact {@link BigInteger} arithmetic written
 * from docs/semantics.md §1.1–§1.5, not from the code under test ({@code docs/fuzzing.md}):
 * <ul>
 *   <li>SRDHM: {@code floor((a·b + 2^30) / 2^31)} (nearest, ties up), {@code INT32_MIN²} saturating;</li>
 *   <li>RDBPOT: {@code sign(x) · floor((|x| + 2^(e−1)) / 2^e)} (nearest, ties away from zero);</li>
 *   <li>MBQM, double rounding: the two above composed, after a wrapping left shift; the result is also within 1 of
 *       the exact {@code x·M·2^shift / 2^31} when nothing wraps;</li>
 *   <li>MBQM, single rounding: {@code floor((x·M + 2^(T−1)) / 2^T)}, {@code T = 31 − shift}, narrowed mod 2^32;</li>
 *   <li>MBQM with an int64 accumulator: {@code M16 = min(32767, floor((M + 2^15) / 2^16))}, then
 *       {@code floor((x·M16 + 2^(T−1)) mod 2^64 / 2^T)}, {@code T = 15 − shift}, narrowed mod 2^32;</li>
 *   <li>{@code QuantizeMultiplier(d)}: decoded from the double's bits, {@code d = m·2^k} with a 53-bit {@code m}, so
 *       {@code frexp} gives {@code q = m / 2^53} and {@code M = round(m / 2^22)} (ties away from zero, sign kept),
 *       renormalized at {@code 2^31}, flushed below shift −31, saturated above 30 in single rounding.</li>
 * </ul>
 * Out-of-range shifts and exponents, negative int64-form multipliers, non-finite reals and null roundings must be
 * rejected with the documented {@link IllegalArgumentException} or {@link NullPointerException} naming the argument.
 */
class FixedPointFuzzTest {
    static final Outcomes OUTCOMES = new Outcomes("FixedPointFuzzTest.arithmetic");
    private static final Set<Class<? extends RuntimeException>> IAE = Set.of(IllegalArgumentException.class);
    private static final Set<Class<? extends RuntimeException>> NPE = Set.of(NullPointerException.class);
    private static final BigInteger TWO = BigInteger.TWO;
    /** Each function succeeds, and each documented rejection happens, at least once. */
    private static final List<String> REQUIRED = List.of("saturatingRoundingDoublingHighMul ok",
            "roundingDivideByPOT ok", "roundingDivideByPOT IllegalArgumentException",
            "multiplyByQuantizedMultiplier(int32) ok", "multiplyByQuantizedMultiplier(int32) IllegalArgumentException",
            "multiplyByQuantizedMultiplier(int32, Rounding) ok",
            "multiplyByQuantizedMultiplier(int32, Rounding) IllegalArgumentException",
            "multiplyByQuantizedMultiplier(int32, Rounding) NullPointerException",
            "multiplyByQuantizedMultiplier(int64) ok", "multiplyByQuantizedMultiplier(int64) IllegalArgumentException",
            "int64FormSignificand ok", "QuantizedMultiplier.of(double) ok", "QuantizedMultiplier.of(double, Rounding) ok",
            "QuantizedMultiplier.of IllegalArgumentException", "QuantizedMultiplier.of NullPointerException");
    private static final long[] SPECIAL_LONGS = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, (1L << 47) - 1, -(1L << 47),
        Integer.MIN_VALUE, Integer.MAX_VALUE, 1L << 32};

    @FuzzTest(maxDuration = "60s")
    void arithmetic(FuzzedDataProvider data) {
        OUTCOMES.input(data);
        Args a = new Args(data);
        switch (data.consumeInt(0, 6)) {
            case 0 -> srdhm(a.anyInt(), a.anyInt());
            case 1 -> rdbpot(a.anyInt(), a.oneIn(8) ? data.consumeInt() : data.consumeInt(-2, 33));
            case 2 -> mbqm(a.anyInt(), a.multiplier(), a.shift(), null, false);
            case 3 -> mbqm(a.anyInt(), a.multiplier(), a.shift(), a.oneIn(16) ? null
                    : data.consumeBoolean() ? Rounding.DOUBLE_ROUNDING : Rounding.SINGLE_ROUNDING, true);
            case 4 -> mbqm64(a.oneIn(4) ? data.pickValue(SPECIAL_LONGS) : a.oneIn(3) ? data.consumeLong()
                    : data.consumeLong(-(1L << 47), (1L << 47) - 1), a.oneIn(8) ? a.anyInt()
                    : data.consumeInt(0, Integer.MAX_VALUE), a.oneIn(8) ? data.consumeInt() : data.consumeInt(-33, 9));
            case 5 -> significand(data.consumeInt(0, Integer.MAX_VALUE));
            default -> quantizeMultiplier(realMultiplier(a), data.consumeInt(0, 15));
        }
    }

    @AfterAll
    static void report() {
        OUTCOMES.finish("dev/qlanes/fuzz/FixedPointFuzzTestInputs/arithmetic", REQUIRED, new FixedPointFuzzTest()::arithmetic);
    }

    private static void srdhm(int x, int y) {
        int expected = x == Integer.MIN_VALUE && y == Integer.MIN_VALUE ? Integer.MAX_VALUE : srdhmExact(x, y);
        int actual = FixedPoint.saturatingRoundingDoublingHighMul(x, y);
        expect("saturatingRoundingDoublingHighMul(" + x + ", " + y + ")", expected, actual);
    }

    /** {@code a·b / 2^31} to nearest, ties toward +infinity; fits int32 except for {@code INT32_MIN²}. */
    private static int srdhmExact(int x, int y) {
        BigInteger p = BigInteger.valueOf(x).multiply(BigInteger.valueOf(y)).add(TWO.pow(30));
        return floorDivPow2(p, 31).intValueExact();
    }

    private static void rdbpot(int x, int exponent) {
        String call = "roundingDivideByPOT(" + x + ", " + exponent + ")";
        if (exponent < 0 || exponent > 31) {
            expectRejection(call, IAE, "exponent", () -> FixedPoint.roundingDivideByPOT(x, exponent));
            return;
        }
        expect(call, rdbpotExact(x, exponent), FixedPoint.roundingDivideByPOT(x, exponent));
    }

    /** {@code x / 2^e} to nearest, ties away from zero. */
    private static int rdbpotExact(int x, int e) {
        if (e == 0) {
            return x;
        }
        BigInteger magnitude = BigInteger.valueOf(x).abs().add(TWO.pow(e - 1));
        BigInteger q = floorDivPow2(magnitude, e);
        return (x < 0 ? q.negate() : q).intValueExact();
    }

    private static void mbqm(int x, int multiplier, int shift, Rounding rounding, boolean explicit) {
        String call = "multiplyByQuantizedMultiplier(" + x + ", " + multiplier + ", " + shift
                + (explicit ? ", " + rounding : "") + ")";
        Rounding mode = explicit ? rounding : Rounding.DOUBLE_ROUNDING;
        java.util.function.IntSupplier f = explicit
                ? () -> FixedPoint.multiplyByQuantizedMultiplier(x, multiplier, shift, rounding)
                : () -> FixedPoint.multiplyByQuantizedMultiplier(x, multiplier, shift);
        if (mode == null) {
            expectRejection(call, NPE, "rounding", f);
            return;
        }
        if (shift < FixedPoint.MIN_SHIFT || shift > FixedPoint.MAX_SHIFT) {
            expectRejection(call, IAE, "shift", f);
            return;
        }
        int expected;
        if (mode == Rounding.SINGLE_ROUNDING) {
            int t = 31 - shift;
            BigInteger p = BigInteger.valueOf(x).multiply(BigInteger.valueOf(multiplier)).add(TWO.pow(t - 1));
            expected = floorDivPow2(p, t).intValue(); // narrowing mod 2^32, like the C++ cast
        } else {
            int shifted = x * (1 << Math.max(shift, 0)); // wraps, as the int32 multiplication in C++ does
            int high = shifted == Integer.MIN_VALUE && multiplier == Integer.MIN_VALUE ? Integer.MAX_VALUE
                    : srdhmExact(shifted, multiplier);
            expected = rdbpotExact(high, Math.max(-shift, 0));
            boolean wraps = (long) x << Math.max(shift, 0) != shifted
                    || (shifted == Integer.MIN_VALUE && multiplier == Integer.MIN_VALUE);
            if (!wraps) {
                // Two roundings, each by at most half a unit: within 1 of the exact product.
                int t = 31 - shift;
                BigInteger exact = BigInteger.valueOf(x).multiply(BigInteger.valueOf(multiplier));
                BigInteger error = BigInteger.valueOf(expected).shiftLeft(t).subtract(exact).abs();
                if (error.compareTo(TWO.pow(t)) > 0) {
                    throw new AssertionError(call + ": the composed oracle gives " + expected + ", more than 1 from "
                            + exact + " / 2^" + t);
                }
            }
        }
        expect(call, expected, f.getAsInt());
    }

    private static void mbqm64(long x, int multiplier, int shift) {
        String call = "multiplyByQuantizedMultiplier(" + x + "L, " + multiplier + ", " + shift + ")";
        boolean badMultiplier = multiplier < 0;
        boolean badShift = shift < FixedPoint.MIN_SHIFT || shift > FixedPoint.MAX_SHIFT_INT64;
        if (badMultiplier || badShift) {
            expectRejection(call, IAE, badMultiplier && badShift ? "quantizedMultiplier shift"
                    : badMultiplier ? "quantizedMultiplier" : "shift",
                    () -> FixedPoint.multiplyByQuantizedMultiplier(x, multiplier, shift));
            return;
        }
        int t = 15 - shift;
        BigInteger sum = BigInteger.valueOf(x).multiply(BigInteger.valueOf(significandExact(multiplier)))
                .add(TWO.pow(t - 1));
        long wrapped = sum.longValue(); // the low 64 bits: int64 arithmetic wraps
        int expected = floorDivPow2(BigInteger.valueOf(wrapped), t).intValue();
        expect(call, expected, FixedPoint.multiplyByQuantizedMultiplier(x, multiplier, shift));
    }

    private static void significand(int multiplier) {
        expect("int64FormSignificand(" + multiplier + ")", significandExact(multiplier),
                FixedPoint.int64FormSignificand(multiplier));
    }

    /** The 15-bit significand: {@code M / 2^16} rounded half up, at most 32767. */
    private static int significandExact(int multiplier) {
        return (int) Math.min(32767, floorDivPow2(BigInteger.valueOf(multiplier).add(TWO.pow(15)), 16).longValueExact());
    }

    /**
     * A real multiplier: any double (NaN, infinities, subnormals), a power of two, or one whose significand is
     * within 2^23 units of the last place of rounding up to 1 (the renormalization) or of a rounding tie.
     */
    private static double realMultiplier(Args a) {
        FuzzedDataProvider d = a.data;
        return switch (d.consumeInt(0, 4)) {
            case 0 -> d.consumeDouble();
            case 1 -> Math.scalb(d.consumeBoolean() ? 1.0 : -1.0, d.consumeInt(-1080, 1030));
            case 2, 3 -> {
                long m = d.consumeInt(0, 3) == 0 ? (1L << 53) - 1 - d.consumeInt(0, 1 << 23)
                        : (d.consumeLong(1L << 30, (1L << 31) - 1) << 22) | (1L << 21); // a tie, before any nudge
                m += d.consumeInt(-2, 2);
                m = Math.max(1L << 52, Math.min(m, (1L << 53) - 1));
                double v = Math.scalb((double) m, d.consumeInt(-90, 40) - 53);
                yield d.consumeBoolean() ? -v : v;
            }
            default -> d.consumeRegularDouble(-4.0, 4.0);
        };
    }

    private static void quantizeMultiplier(double real, int mode) {
        boolean defaultForm = mode < 6;
        Rounding rounding = defaultForm ? Rounding.DOUBLE_ROUNDING : mode == 15 ? null
                : mode < 11 ? Rounding.DOUBLE_ROUNDING : Rounding.SINGLE_ROUNDING;
        String call = "QuantizedMultiplier.of(" + real + (defaultForm ? "" : ", " + rounding) + ")";
        java.util.function.Supplier<QuantizedMultiplier> f = defaultForm ? () -> QuantizedMultiplier.of(real)
                : () -> QuantizedMultiplier.of(real, rounding);
        if (rounding == null) {
            expectRejection(call, NPE, "rounding", () -> f.get().multiplier());
            return;
        }
        if (!Double.isFinite(real)) {
            expectRejection(call, IAE, "realMultiplier", () -> f.get().multiplier());
            return;
        }
        QuantizedMultiplier expected = quantizeMultiplierExact(real, rounding);
        QuantizedMultiplier actual = f.get();
        if (!expected.equals(actual)) {
            throw new AssertionError(call + " = " + actual + ", expected " + expected + " (bits 0x"
                    + Long.toHexString(Double.doubleToRawLongBits(real)) + ")");
        }
        OUTCOMES.count(defaultForm ? "QuantizedMultiplier.of(double)" : "QuantizedMultiplier.of(double, Rounding)",
                Outcomes.OK);
    }

    /** {@code QuantizeMultiplier} from the double's bits (see the class comment). */
    private static QuantizedMultiplier quantizeMultiplierExact(double real, Rounding rounding) {
        long bits = Double.doubleToRawLongBits(real);
        int biased = (int) (bits >>> 52) & 0x7ff;
        if (biased == 0) {
            return new QuantizedMultiplier(0, 0); // zero or subnormal: frexp's exponent is below -1021, flushed
        }
        long m = (bits & ((1L << 52) - 1)) | (1L << 52);
        int e = biased - 1022; // real = (m / 2^53) · 2^e, with 0.5 <= m / 2^53 < 1
        long fixed = (m + (1L << 21)) >> 22; // |q| · 2^31 = m / 2^22, rounded half away from zero
        boolean negative = bits < 0;
        if (!negative && fixed == 1L << 31) {
            fixed = 1L << 30; // TFLite renormalizes only q_fixed == 2^31; -2^31 stays (it fits int32)
            e++;
        }
        if (e < -31) {
            return new QuantizedMultiplier(0, 0);
        }
        if (rounding == Rounding.SINGLE_ROUNDING && e > 30) {
            return new QuantizedMultiplier(Integer.MAX_VALUE, 30);
        }
        return new QuantizedMultiplier((int) (negative ? -fixed : fixed), e);
    }

    private static BigInteger floorDivPow2(BigInteger v, int e) {
        return v.shiftRight(e); // BigInteger's shift rounds toward negative infinity
    }

    private static void expect(String call, int expected, int actual) {
        if (expected != actual) {
            throw new AssertionError(call + " = " + actual + ", expected " + expected);
        }
        OUTCOMES.count(entry(call), Outcomes.OK);
    }

    /**
     * The entry point a call string is counted under: the method name, with the overload told apart by its
     * arguments (an int64 {@code x} is written with an {@code L}, an explicit rounding by its name).
     */
    private static String entry(String call) {
        String name = call.substring(0, call.indexOf('('));
        if (call.startsWith("multiplyByQuantizedMultiplier")) {
            return name + (call.contains("L,") ? "(int64)" : call.contains("ROUNDING") || call.endsWith("null)")
                    ? "(int32, Rounding)" : "(int32)");
        }
        return name;
    }

    private static void expectRejection(String call, Set<Class<? extends RuntimeException>> documented, String names,
            java.util.function.IntSupplier f) {
        int value;
        try {
            value = f.getAsInt();
        } catch (RuntimeException e) {
            OUTCOMES.rejected(entry(call), e, documented, names.split(" "));
            return;
        }
        throw new AssertionError(call + " returned " + value + " instead of throwing " + documented);
    }
}
