package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.DOUBLES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.qlanes.reference.ReferenceIntegerOps;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link DoubleFloatRequantizer} lane by lane against the scalar {@link ReferenceIntegerOps#requantizeInDouble}:
 * edge accumulators (0, ±1, ties after scaling, INT32_MIN/MAX and neighbours) crossed with edge scales (powers of two,
 * the double just below 0.5, scales that push products just below, onto and beyond ±(2^31 − 0.5)), then random
 * values, per tensor and per channel, with bias and zero point, at every length up to three vectors plus a tail, and
 * at offsets, so every lane position and the scalar tail are compared.
 */
class DoubleFloatRequantizerTest {
    private static final int LANES = VectorShapes.INTS.length();
    private static final int RANDOM_ROUNDS = Fixtures.SMALL ? 300 : 5_000;

    static int[] edgeAccumulators() {
        return new int[] {0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 11, -11, 244, -244, 1 << 30, -(1 << 30), (1 << 30) + 1,
            Integer.MAX_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE, Integer.MIN_VALUE + 1, 1431655765,
            -1431655765, 1431655764, 7, -7};
    }

    static double[] edgeScales() {
        return new double[] {0.5, 0.125, 0.25, 1.0, 2.0, 1.5, 1.5 - 0x1p-40, Math.nextDown(0.5), Math.nextUp(0.5),
            1.0 + 0x1p-32, 1.0 + 0x1p-52, 0x1.d1745d1745d17p-3, 0x1.24924926db6dbp+27, 1e-9, 1e6, 1e300, 0.0, -0.5,
            Math.scalb(1.0, -31), 3.0 / 7.0};
    }

    /** Runs the kernel on {@code acc[off .. off+n)} and the scalar form on a copy; compares every element. */
    private static void check(int[] acc, int off, int n, int[] bias, double tensorScale, double[] scales, int zeroPoint,
            String what) {
        int[] actual = acc.clone();
        int[] expected = acc.clone();
        DoubleFloatRequantizer.requantizeInPlace(actual, off, n, bias, 1, tensorScale, scales, 2, zeroPoint);
        for (int i = 0; i < n; i++) {
            int a = acc[off + i] + (bias != null ? bias[1 + i] : 0);
            expected[off + i] = ReferenceIntegerOps.requantizeInDouble(a, scales != null ? scales[2 + i] : tensorScale)
                    + zeroPoint;
        }
        for (int i = 0; i < acc.length; i++) {
            if (actual[i] != expected[i]) {
                int k = i - off;
                boolean inside = k >= 0 && k < n;
                fail(what + " @ " + VectorShapes.BITS + "-bit, element " + i + (inside ? " (lane " + k % LANES
                        + (k >= VectorShapes.INTS.loopBound(n) ? ", scalar tail" : "") + ")" : " (outside the range!)")
                        + ": acc " + acc[i] + (inside && bias != null ? " + bias " + bias[1 + k] : "") + " * "
                        + (inside ? (scales != null ? scales[2 + k] : tensorScale) : 0) + ": expected " + expected[i]
                        + ", got " + actual[i] + ", seed " + Fixtures.SEED);
            }
        }
    }

    @Test
    void edgeValuesCrossedInEveryLane() {
        int[] accs = edgeAccumulators();
        double[] effs = edgeScales();
        int n = accs.length * effs.length;
        int[] acc = new int[n + 3];
        double[] scales = new double[n + 2];
        int k = 0;
        for (int a : accs) {
            for (double e : effs) {
                acc[1 + k] = a;
                scales[2 + k] = e;
                k++;
            }
        }
        check(acc, 1, n, null, 0, scales, 0, "edges per channel");
        check(acc, 1, n, null, 0, scales, -1, "edges per channel, zero point -1 (wraps INT32_MIN)");
        for (double e : effs) {
            check(acc, 1, n, null, e, null, 5, "edges per tensor, eff " + e);
        }
    }

    @Test
    void randomValuesAtEveryLengthAndOffset() {
        SplittableRandom random = new SplittableRandom(Fixtures.SEED + 7);
        int ties = 0;
        int beyond = 0;
        for (int round = 0; round < RANDOM_ROUNDS; round++) {
            int n = random.nextInt(0, 3 * LANES + LANES);
            int off = random.nextInt(0, 3);
            int[] acc = new int[off + n + 2];
            int[] bias = random.nextBoolean() ? new int[n + 1] : null;
            double[] scales = new double[n + 2];
            double tensorScale = scale(random);
            for (int i = 0; i < acc.length; i++) {
                acc[i] = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt();
                    case 1 -> random.nextInt(-4096, 4097);
                    case 2 -> random.nextBoolean() ? Integer.MAX_VALUE - random.nextInt(64)
                            : Integer.MIN_VALUE + random.nextInt(64);
                    default -> random.nextInt(-(1 << 24), 1 << 24);
                };
            }
            for (int i = 0; bias != null && i < bias.length; i++) {
                bias[i] = random.nextInt(8) == 0 ? random.nextInt() : random.nextInt(-1000, 1000);
            }
            for (int i = 0; i < scales.length; i++) {
                scales[i] = scale(random);
            }
            int zeroPoint = random.nextInt(-128, 128);
            boolean perChannel = random.nextBoolean();
            for (int i = 0; i < n; i++) {
                double p = (double) (acc[off + i] + (bias != null ? bias[1 + i] : 0))
                        * (perChannel ? scales[2 + i] : tensorScale);
                ties += Math.abs(p - Math.rint(p)) == 0.5 ? 1 : 0;
                beyond += Math.abs(p) >= 0x1p31 - 0.5 ? 1 : 0;
            }
            check(acc, off, n, bias, tensorScale, perChannel ? scales : null, zeroPoint, "round " + round + ", n " + n);
        }
        assertTrue(ties > RANDOM_ROUNDS / 20, "ties exercised: " + ties);
        assertTrue(beyond > RANDOM_ROUNDS / 20, "products beyond int32 exercised: " + beyond);
    }

    /** Dyadic scales (exact ties), TFLite-like scales, huge and tiny ones. */
    private static double scale(SplittableRandom random) {
        return switch (random.nextInt(5)) {
            case 0 -> Math.scalb(1.0, random.nextInt(-12, 2));
            case 1 -> random.nextInt(1, 64) / 128.0;
            case 2 -> (double) random.nextFloat(1e-3f, 1f) * (double) random.nextFloat(1e-3f, 1f)
                    / (double) random.nextFloat(1e-4f, 10f);
            case 3 -> Math.scalb(random.nextDouble(0.5, 1), random.nextInt(-40, 40));
            default -> Math.nextAfter(random.nextInt(1, 16) / 8.0, random.nextBoolean() ? 0 : 4);
        };
    }

    @Test
    void twoDoubleVectorsPerIntVector() {
        assertEquals(VectorShapes.INTS.length(), 2 * DOUBLES.length());
        assertEquals(VectorShapes.BITS, DOUBLES.vectorBitSize());
    }
}
