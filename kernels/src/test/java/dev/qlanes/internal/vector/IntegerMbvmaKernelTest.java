package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.Fixtures.VECTOR;

import dev.qlanes.internal.vector.Fixtures.Bytes;
import dev.qlanes.reference.PortableTensorUtils;
import dev.qlanes.reference.QuantizedMultiplier;
import dev.qlanes.reference.Rounding;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Full-integer kernels (docs/semantics.md §3.6–§3.8): MBVMA with int8 and int16 outputs, both
 * {@code MatrixBatchVectorMultiply} forms and the sparse 1x16 product, in both rounding modes, equal the
 * reference element for element, canaries included.
 */
class IntegerMbvmaKernelTest {

    /** Real multipliers typical of FC layers, plus the extremes QuantizeMultiplier can produce. */
    private static QuantizedMultiplier multiplier(SplittableRandom random, int i) {
        return switch (i % 5) {
            case 0 -> new QuantizedMultiplier(Integer.MAX_VALUE, -31 + random.nextInt(8));
            case 1 -> new QuantizedMultiplier(1 << 30, random.nextInt(3)); // left shifts that may wrap
            case 2 -> new QuantizedMultiplier(0, 0);
            default -> QuantizedMultiplier.of(Math.pow(2, -random.nextInt(20)) * (0.5 + random.nextDouble()));
        };
    }

    private static int[] randomInts(SplittableRandom random, int n, int bound) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextInt(2 * bound) - bound;
        }
        return a;
    }

    @TestFactory
    List<DynamicTest> accumulateMatchesReference() {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (int cols : Fixtures.columns(ArrayDotLoops.STEP)) {
            for (int rows : Fixtures.rows()) {
                int batch = Fixtures.batches()[i % Fixtures.batches().length];
                Bytes weights = Bytes.values()[i % Bytes.values().length];
                Rounding rounding = Rounding.values()[(i / 2) % 2];
                boolean int16 = i % 2 == 1;
                long seed = Fixtures.SEED + 2000 + i;
                int variant = i++;
                tests.add(DynamicTest.dynamicTest(rows + "x" + cols + " b" + batch + " " + weights + " " + rounding
                        + (int16 ? " int16" : " int8"), () -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    byte[] w = weights.fill(random, rows * cols);
                    byte[] input = Bytes.UNIFORM.fill(random, batch * cols);
                    int[] bias = randomInts(random, rows, 1 << 20);
                    QuantizedMultiplier q = multiplier(random, variant);
                    int zp = random.nextInt(256) - 128;
                    String where = Fixtures.kernelId("integer MBVMA " + q + " zp " + zp) + ", case seed " + seed;
                    if (int16) {
                        short[] initial = new short[batch * rows + Fixtures.CANARY_PADDING];
                        for (int k = 0; k < initial.length; k++) {
                            initial[k] = (short) random.nextInt(1 << 16);
                        }
                        short[] expected = initial.clone();
                        short[] actual = initial.clone();
                        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(input, bias, w, q.multiplier(),
                                q.shift(), batch, cols, rows, zp, expected, rounding);
                        VECTOR.matrixBatchVectorMultiplyAccumulate(input, bias, w, q.multiplier(), q.shift(), batch,
                                cols, rows, zp, actual, rounding);
                        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, where);
                    } else {
                        byte[] initial = Fixtures.padded(Bytes.UNIFORM.fill(random, batch * rows));
                        byte[] expected = initial.clone();
                        byte[] actual = initial.clone();
                        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(input, bias, w, q.multiplier(),
                                q.shift(), batch, cols, rows, zp, expected, rounding);
                        VECTOR.matrixBatchVectorMultiplyAccumulate(input, bias, w, q.multiplier(), q.shift(), batch,
                                cols, rows, zp, actual, rounding);
                        Fixtures.assertSameBytes(expected, actual, rows, where, idx -> ", raw accumulator "
                                + (bias[idx % rows] + Fixtures.rawDot(w, idx % rows, input, idx / rows, cols)));
                    }
                }));
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> multiplyMatchesReference() {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (int cols : Fixtures.columns(ArrayDotLoops.STEP)) {
            for (int rows : Fixtures.rows()) {
                int batch = Fixtures.batches()[i % Fixtures.batches().length];
                Bytes weights = Bytes.values()[i % Bytes.values().length];
                Rounding rounding = Rounding.values()[(i / 2) % 2];
                boolean hidden16 = i % 2 == 1;
                long seed = Fixtures.SEED + 3000 + i;
                int variant = i++;
                tests.add(DynamicTest.dynamicTest(rows + "x" + cols + " b" + batch + " " + weights
                        + (hidden16 ? " int16 hidden" : " int8 input " + rounding), () -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    byte[] w = weights.fill(random, rows * cols);
                    byte[] expected = Fixtures.padded(new byte[batch * rows]);
                    byte[] actual = expected.clone();
                    int zp = random.nextInt(256) - 128;
                    String where;
                    if (hidden16) {
                        short[] hidden = new short[batch * cols];
                        for (int k = 0; k < hidden.length; k++) {
                            hidden[k] = variant % 3 == 0 ? (k % 2 == 0 ? Short.MIN_VALUE : Short.MAX_VALUE)
                                    : (short) random.nextInt(1 << 16);
                        }
                        int[] bias = randomInts(random, rows, Integer.MAX_VALUE / 2);
                        QuantizedMultiplier q = QuantizedMultiplier.of(Math.pow(2, -10 - random.nextInt(21))
                                * (0.5 + random.nextDouble()));
                        int multiplier = variant % 4 == 1 ? 0x7FFF8000 : q.multiplier(); // the 15-bit saturation
                        where = Fixtures.kernelId("MBVM int16 " + multiplier + "," + q.shift()) + ", case seed " + seed;
                        PortableTensorUtils.matrixBatchVectorMultiply(hidden, w, multiplier, q.shift(), bias, batch,
                                cols, rows, zp, expected);
                        VECTOR.matrixBatchVectorMultiply(hidden, w, multiplier, q.shift(), bias, batch, cols, rows, zp,
                                actual);
                    } else {
                        byte[] input = Bytes.UNIFORM.fill(random, batch * cols);
                        int inputZp = random.nextInt(256) - 128;
                        QuantizedMultiplier q = multiplier(random, variant);
                        where = Fixtures.kernelId("MBVM int8 " + q + " " + rounding) + ", case seed " + seed;
                        PortableTensorUtils.matrixBatchVectorMultiply(input, inputZp, w, q.multiplier(), q.shift(),
                                batch, cols, rows, expected, (byte) zp, rounding);
                        VECTOR.matrixBatchVectorMultiply(input, inputZp, w, q.multiplier(), q.shift(), batch, cols,
                                rows, actual, (byte) zp, rounding);
                    }
                    Fixtures.assertSameBytes(expected, actual, rows, where);
                }));
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> sparse1x16MatchesReference() {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (int blocks : new int[] {1, 2, 3, 5, 16}) {
            for (int rows : Fixtures.rows()) {
                int batch = Fixtures.batches()[i % Fixtures.batches().length];
                Bytes profile = Bytes.values()[i % Bytes.values().length];
                boolean perChannel = i % 2 == 0;
                Rounding rounding = Rounding.values()[(i / 2) % 2];
                long seed = Fixtures.SEED + 4000 + i;
                int variant = i++;
                tests.add(DynamicTest.dynamicTest(rows + "x" + blocks * 16 + " b" + batch + " " + profile + " "
                        + rounding + (perChannel ? " per-channel" : ""), () -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    int cols = blocks * 16;
                    int[] segments = new int[rows + 1];
                    List<Integer> indices = new ArrayList<>();
                    for (int r = 0; r < rows; r++) {
                        int count = random.nextInt(blocks + 1);
                        for (int k = 0; k < count; k++) {
                            indices.add(random.nextInt(blocks)); // repeats and any order are allowed
                        }
                        segments[r + 1] = segments[r] + count;
                    }
                    int[] index = indices.stream().mapToInt(Integer::intValue).toArray();
                    byte[] matrix = profile.fill(random, index.length * 16);
                    byte[] vector = Bytes.UNIFORM.fill(random, batch * cols);
                    int[] bias = variant % 3 == 0 ? null : randomInts(random, rows, 1 << 16);
                    QuantizedMultiplier q = multiplier(random, variant);
                    int[] pcm = null;
                    int[] pcs = null;
                    if (perChannel) {
                        pcm = new int[rows];
                        pcs = new int[rows];
                        for (int r = 0; r < rows; r++) {
                            QuantizedMultiplier c = multiplier(random, variant + r);
                            pcm[r] = c.multiplier();
                            pcs[r] = c.shift();
                        }
                    }
                    int min = -128 + random.nextInt(100);
                    int max = min + random.nextInt(127 - min + 1);
                    int inputOffset = random.nextInt(256) - 128;
                    int outputOffset = random.nextInt(256) - 128;
                    byte[] expected = Fixtures.padded(Bytes.UNIFORM.fill(random, batch * rows));
                    byte[] actual = expected.clone();
                    PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(matrix, segments, index, rows,
                            cols, vector, bias, batch, inputOffset, q.multiplier(), q.shift(), pcm, pcs, outputOffset,
                            min, max, expected, rounding);
                    VECTOR.sparseMatrixBatchVectorMultiplyAccumulate1x16(matrix, segments, index, rows, cols, vector,
                            bias, batch, inputOffset, q.multiplier(), q.shift(), pcm, pcs, outputOffset, min, max,
                            actual, rounding);
                    Fixtures.assertSameBytes(expected, actual, rows, Fixtures.kernelId("sparse 1x16") + ", case seed "
                            + seed);
                }));
            }
        }
        return tests;
    }

    /**
     * The int8 output passes alone ({@link IntegerRequantizer#toInt8}, {@link IntegerRequantizer#toInt8Accumulate}:
     * vector steps, then a scalar tail) against their scalar definition
     * {@code out = (byte) clamp(acc + (accumulate ? out : 0), min, max)}, at every length up to three byte vectors and
     * a tail, at unaligned offsets, with sums that wrap in int32 and clamp ranges narrower
     * than int8; bytes outside the range written stay untouched.
     */
    @Test
    void int8OutputPassMatchesScalar() {
        SplittableRandom random = new SplittableRandom(Fixtures.SEED + 5000);
        int checked = 0;
        for (int n = 0; n <= 3 * IntLanes.STEP + 3; n++) {
            for (boolean accumulate : new boolean[] {false, true}) {
                int accOff = random.nextInt(5);
                int outOff = random.nextInt(5);
                int[] acc = new int[accOff + n];
                for (int k = 0; k < acc.length; k++) {
                    acc[k] = switch (random.nextInt(4)) {
                        case 0 -> random.nextInt(512) - 256;
                        case 1 -> Integer.MAX_VALUE - random.nextInt(100); // + a positive output wraps
                        case 2 -> Integer.MIN_VALUE + random.nextInt(100); // + a negative output wraps
                        default -> random.nextInt();
                    };
                }
                boolean narrower = !accumulate && random.nextBoolean(); // toInt8Accumulate clamps to int8
                int min = narrower ? -128 + random.nextInt(100) : Byte.MIN_VALUE;
                int max = narrower ? min + random.nextInt(127 - min + 1) : Byte.MAX_VALUE;
                byte[] expected = Bytes.UNIFORM.fill(random, outOff + n + Fixtures.CANARY_PADDING);
                byte[] actual = expected.clone();
                for (int i = 0; i < n; i++) {
                    int y = acc[accOff + i] + (accumulate ? expected[outOff + i] : 0);
                    expected[outOff + i] = (byte) Math.min(max, Math.max(min, y));
                }
                if (accumulate) {
                    IntegerRequantizer.toInt8Accumulate(acc, accOff, n, actual, outOff);
                } else {
                    IntegerRequantizer.toInt8(acc, accOff, n, min, max, actual, outOff);
                }
                Assertions.assertArrayEquals(expected, actual, Fixtures.kernelId("int8 output pass") + " n " + n
                        + (accumulate ? " accumulating" : "") + " clamp [" + min + ", " + max + "]");
                checked++;
            }
        }
        Assertions.assertTrue(checked > 2 * IntLanes.STEP, "cases checked: " + checked);
    }
}
