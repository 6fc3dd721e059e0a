package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.LONGS;
import static org.junit.jupiter.api.Assertions.fail;

import dev.qlanes.reference.FixedPoint;
import dev.qlanes.reference.Rounding;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import jdk.incubator.vector.LongVector;
import org.junit.jupiter.api.Test;

/**
 * The fixed-point arithmetic production runs, lane by lane against the scalar {@link FixedPoint} (gemmlowp-style):
 * {@link IntegerRequantizer#requantizeInPlace} (both roundings, per-channel multipliers and shifts so that every lane
 * has its own, and per tensor) on edge values (0, ±1, powers of two ±1, INT32_MIN/MAX and neighbours, exact ties)
 * crossed with each other, then random values; and {@link VectorFixedPoint}'s int64 form, which the LSTM projection
 * uses. Every lane of every vector is compared. The arrays are one vector plus a scalar tail long, so both the lane
 * loop and its tail run.
 */
class RequantizerLaneTest {

    private static final int LANES = INTS.length();
    private static final int RANDOM_VECTORS = Fixtures.SMALL ? 2_000 : 50_000;

    /** gemmlowp-style edge values. */
    static int[] edges() {
        List<Integer> values = new ArrayList<>(List.of(0, 1, -1, 2, -2, 3, -3, Integer.MIN_VALUE,
                Integer.MIN_VALUE + 1, Integer.MAX_VALUE, Integer.MAX_VALUE - 1, 1 << 30, -(1 << 30), (1 << 30) + 1,
                (1 << 30) - 1, 0x7FFF0000, 0x7FFF8000, 12345, -12345));
        for (int e = 1; e < 31; e += 3) {
            values.add((1 << e) + 1);
            values.add((1 << e) - 1);
            values.add(-(1 << e));
            values.add((1 << e) + (1 << (e - 1))); // x.5 after dividing by 2^e: a tie
            values.add(-((1 << e) + (1 << (e - 1))));
        }
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void compare(String op, int[] x, int[] y, int[] s, int[] actual, int[] expected) {
        for (int l = 0; l < expected.length; l++) {
            if (actual[l] != expected[l]) {
                fail(op + " lane " + l + " @ " + VectorShapes.BITS + "-bit: x=" + x[l] + " y=" + y[l] + " shift=" + s[l]
                        + ": expected " + expected[l] + ", got " + actual[l]);
            }
        }
    }

    /** {@code requantizeInPlace} on one vector's worth of (x, multiplier, shift) lanes plus one tail lane. */
    private static void checkLanes(int[] x, int[] m, int[] shift, int[] unused) {
        int n = LANES + 1;
        int[] xs = java.util.Arrays.copyOf(x, n);
        int[] ms = java.util.Arrays.copyOf(m, n);
        int[] ss = java.util.Arrays.copyOf(shift, n);
        xs[LANES] = x[0]; // the tail lane repeats lane 0's operands
        ms[LANES] = m[0];
        ss[LANES] = shift[0];
        int zeroPoint = 3;
        for (Rounding rounding : Rounding.values()) {
            int[] expected = new int[n];
            for (int l = 0; l < n; l++) {
                expected[l] = FixedPoint.multiplyByQuantizedMultiplier(xs[l], ms[l], ss[l], rounding) + zeroPoint;
            }
            int[] actual = xs.clone();
            IntegerRequantizer.requantizeInPlace(actual, 0, n, null, 0, 0, 0, ms, ss, 0, rounding, zeroPoint);
            compare("per-channel " + rounding, xs, ms, ss, actual, expected);
            for (int l = 0; l < n; l++) {
                expected[l] = FixedPoint.multiplyByQuantizedMultiplier(xs[l], m[0], shift[0], rounding) + zeroPoint;
            }
            actual = xs.clone();
            IntegerRequantizer.requantizeInPlace(actual, 0, n, null, 0, m[0], shift[0], null, null, 0, rounding,
                    zeroPoint);
            compare("per-tensor " + rounding, xs, ms, ss, actual, expected);
            int[] bias = new int[n + 2]; // from offset 2: the lanes' operands in reverse, so sums also wrap
            for (int l = 0; l < n; l++) {
                bias[2 + l] = xs[n - 1 - l];
                expected[l] = FixedPoint.multiplyByQuantizedMultiplier(xs[l] + bias[2 + l], ms[l], ss[l], rounding)
                        + zeroPoint;
            }
            actual = xs.clone();
            IntegerRequantizer.requantizeInPlace(actual, 0, n, bias, 2, 0, 0, ms, ss, 0, rounding, zeroPoint);
            compare("per-channel with bias " + rounding, xs, ms, ss, actual, expected);
        }
    }

    @Test
    void edgeValuesCrossed() {
        int[] edges = edges();
        int[] x = new int[LANES];
        int[] m = new int[LANES];
        int[] shift = new int[LANES];
        int[] exponent = new int[LANES];
        int k = 0;
        for (int a : edges) {
            for (int b : edges) {
                int l = k % LANES;
                x[l] = a;
                m[l] = b;
                shift[l] = (k % 62) - 31; // every shift in [-31, 30]
                exponent[l] = k % 32;     // every exponent in [0, 31]
                if (l == LANES - 1) {
                    checkLanes(x, m, shift, exponent);
                }
                k++;
            }
        }
    }

    @Test
    void randomValues() {
        SplittableRandom random = new SplittableRandom(Fixtures.SEED);
        int[] x = new int[LANES];
        int[] m = new int[LANES];
        int[] shift = new int[LANES];
        int[] exponent = new int[LANES];
        for (int v = 0; v < RANDOM_VECTORS; v++) {
            for (int l = 0; l < LANES; l++) {
                x[l] = random.nextInt(4) == 0 ? random.nextInt(1 << 16) - (1 << 15) : random.nextInt();
                m[l] = random.nextInt(3) == 0 ? random.nextInt() : (1 << 30) + random.nextInt(1 << 30);
                shift[l] = random.nextInt(62) - 31;
                exponent[l] = random.nextInt(32);
            }
            checkLanes(x, m, shift, exponent);
        }
    }

    @Test
    void int64FormLaneByLane() {
        SplittableRandom random = new SplittableRandom(Fixtures.SEED + 1);
        int lanes = LONGS.length();
        long[] x = new long[lanes];
        long[] actual = new long[lanes];
        for (int v = 0; v < RANDOM_VECTORS; v++) {
            int m = v % 7 == 0 ? 0x7FFF0000 + random.nextInt(0x10000) : random.nextInt(Integer.MAX_VALUE);
            int shift = random.nextInt(39) - 31; // [-31, 7]
            for (int l = 0; l < lanes; l++) {
                x[l] = v % 5 == 0 ? ((l & 1) == 0 ? -(1L << 47) : (1L << 47) - 1)
                        : random.nextLong(-(1L << 47), 1L << 47);
            }
            VectorFixedPoint.multiplyByQuantizedMultiplier(LongVector.fromArray(LONGS, x, 0), m, shift)
                    .intoArray(actual, 0);
            for (int l = 0; l < lanes; l++) {
                long expected = FixedPoint.multiplyByQuantizedMultiplier(x[l], m, shift);
                if (actual[l] != expected) {
                    fail("MBQM int64 lane " + l + ": x=" + x[l] + " m=" + m + " shift=" + shift + ": expected "
                            + expected + ", got " + actual[l]);
                }
            }
        }
    }
}
