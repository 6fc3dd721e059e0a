package dev.qlanes.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.qlanes.TensorUtils;
import dev.qlanes.reference.PortableTensorUtils;
import dev.qlanes.reference.Rounding;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of every {@link TensorUtils} method (all 22 overloads) against its twin in
 * {@link PortableTensorUtils} ({@code docs/fuzzing.md}). The fuzzer's data picks the method and its arguments
 * ({@link Args}: small shapes, sometimes negative, huge or overflowing sizes, short or null arrays, special floats,
 * inputs that are the same array where both are only read). Each call runs on the facade and, on copies of the same
 * arguments, on the reference. Allowed outcomes:
 * <ul>
 *   <li>both succeed, with the same result and every array equal afterwards, bit for bit (floats by raw bits, any
 *       NaN equal to any NaN: NaN bit patterns are not portable, docs/semantics.md §6.11);</li>
 *   <li>both throw the same exception, with the same message, of a class the facade documents
 *       ({@link NullPointerException}, {@link IllegalArgumentException}, {@link IndexOutOfBoundsException}), whose
 *       message names one of the method's parameters; and the facade left every array, inputs and outputs, exactly
 *       as it was.</li>
 * </ul>
 * Anything else, an {@code ArrayIndexOutOfBoundsException} or an {@code Error} included, is a finding.
 */
class TensorUtilsFuzzTest {
    static final Outcomes OUTCOMES = new Outcomes("TensorUtilsFuzzTest.tensorUtils");
    private static final Set<Class<? extends RuntimeException>> DOCUMENTED = Set.of(NullPointerException.class,
            IllegalArgumentException.class, IndexOutOfBoundsException.class);
    /** Sparse formats store 16-column blocks. */
    private static final int BLOCK = 16;
    /** The 22 overloads as the outcomes name them. */
    private static final List<String> METHODS = List.of("dotProduct", "symmetricQuantizeFloats(minMax)",
            "symmetricQuantizeFloats(min, max)", "asymmetricQuantizeFloats", "batchQuantizeFloats",
            "matrixBatchVectorMultiplyAccumulate(float)", "matrixBatchVectorMultiplyAccumulate(hybrid)",
            "matrixBatchVectorMultiplyAccumulate(hybrid, 10 args)", "matrixBatchVectorMultiplyAccumulate(int16)",
            "matrixBatchVectorMultiplyAccumulate(int16, rounding)", "matrixBatchVectorMultiplyAccumulate(int8)",
            "matrixBatchVectorMultiplyAccumulate(int8, rounding)", "matrixBatchVectorMultiply(int8)",
            "matrixBatchVectorMultiply(int8, rounding)", "matrixBatchVectorMultiply(int16)",
            "sparseMatrixBatchVectorMultiplyAccumulate1x16", "sparseMatrixBatchVectorMultiplyAccumulate1x16(rounding)",
            "sparseMatrixBatchVectorMultiplyAccumulate(ledger)", "reductionSumVector", "matrixScalarMultiplyAccumulate",
            "vectorScalarMultiply", "isZeroVector");
    /** Each overload succeeds and rejects a null array, a negative size and a short array, at least once. */
    private static final List<String> REQUIRED = METHODS.stream().flatMap(m -> Stream.of(Outcomes.OK,
            "NullPointerException", "IllegalArgumentException", "IndexOutOfBoundsException").map(o -> m + " " + o))
            .toList();

    @FuzzTest(maxDuration = "60s")
    void tensorUtils(FuzzedDataProvider data) {
        OUTCOMES.input(data);
        call(new Args(data), data.consumeInt(0, 21)).check();
    }

    @AfterAll
    static void report() {
        OUTCOMES.finish("dev/qlanes/fuzz/TensorUtilsFuzzTestInputs/tensorUtils", REQUIRED, new TensorUtilsFuzzTest()::tensorUtils);
    }

    /**
     * One call: the method, its parameter names (which a rejection's message must mention), the arguments, and the
     * call on the facade and on the reference, each given its own copy of the arguments.
     */
    private record Call(String method, String[] names, Object[] args, Function<Object[], Object> facade,
            Function<Object[], Object> reference) {

        void check() {
            Object[] before = copy(args);
            Object[] referenceArgs = copy(args);
            Object result = null;
            RuntimeException failure = null;
            try {
                result = facade.apply(args);
            } catch (RuntimeException e) {
                failure = e;
            }
            Object expected = null;
            RuntimeException expectedFailure = null;
            try {
                expected = reference.apply(referenceArgs);
            } catch (RuntimeException e) {
                expectedFailure = e;
            }
            if (failure != null || expectedFailure != null) {
                if (failure == null || expectedFailure == null || failure.getClass() != expectedFailure.getClass()
                        || !String.valueOf(failure.getMessage()).equals(expectedFailure.getMessage())) {
                    AssertionError error = new AssertionError(method + ": TensorUtils "
                            + (failure == null ? "succeeded" : "threw " + failure) + ", the reference "
                            + (expectedFailure == null ? "succeeded" : "threw " + expectedFailure) + "; " + shape());
                    if (failure != null) {
                        error.initCause(failure);
                    }
                    throw error;
                }
                OUTCOMES.rejected(method, failure, DOCUMENTED, names);
                int changed = mismatch(before, args, false);
                if (changed >= 0) {
                    throw new AssertionError(method + " threw " + failure + " but changed argument " + names[changed]
                            + "; " + shape());
                }
                return;
            }
            if (!sameValue(expected, result)) {
                throw new AssertionError(method + " returned " + result + ", the reference " + expected + "; " + shape());
            }
            int differs = mismatch(referenceArgs, args, true);
            if (differs >= 0) {
                throw new AssertionError(method + ": argument " + names[differs] + " differs from the reference's "
                        + detail(referenceArgs[differs], args[differs]) + "; " + shape());
            }
            OUTCOMES.count(method, Outcomes.OK);
        }

        /** The scalar arguments and array lengths, for a finding's message. */
        private String shape() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                sb.append(i == 0 ? "" : ", ").append(names[i]).append('=');
                if (a == null || a instanceof Number || a instanceof Boolean || a instanceof Rounding) {
                    sb.append(a);
                } else {
                    sb.append(a.getClass().getComponentType()).append('[').append(java.lang.reflect.Array.getLength(a))
                            .append(']');
                }
            }
            return sb.toString();
        }
    }

    /** A copy of the arguments in which arrays are cloned, and an array passed twice stays one array. */
    private static Object[] copy(Object[] args) {
        Map<Object, Object> clones = new IdentityHashMap<>();
        Object[] c = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            c[i] = a != null && a.getClass().isArray() ? clones.computeIfAbsent(a, TensorUtilsFuzzTest::cloneArray) : a;
        }
        return c;
    }

    private static Object cloneArray(Object a) {
        return switch (a) {
            case byte[] b -> b.clone();
            case short[] s -> s.clone();
            case int[] i -> i.clone();
            case float[] f -> f.clone();
            default -> throw new AssertionError(a.getClass());
        };
    }

    /**
     * The first argument whose array differs between {@code expected} and {@code actual}, or -1; floats compare
     * NaN-equal when {@code nanEqual}, else by raw bits.
     */
    private static int mismatch(Object[] expected, Object[] actual, boolean nanEqual) {
        for (int i = 0; i < expected.length; i++) {
            Object e = expected[i];
            Object a = actual[i];
            boolean same = switch (e) {
                case null -> a == null;
                case byte[] b -> Arrays.equals(b, (byte[]) a);
                case short[] s -> Arrays.equals(s, (short[]) a);
                case int[] n -> Arrays.equals(n, (int[]) a);
                case float[] f -> nanEqual ? Outcomes.floatMismatch(f, (float[]) a) < 0
                        : Arrays.equals(rawBits(f), rawBits((float[]) a));
                default -> true;
            };
            if (!same) {
                return i;
            }
        }
        return -1;
    }

    private static int[] rawBits(float[] f) {
        int[] bits = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            bits[i] = Float.floatToRawIntBits(f[i]);
        }
        return bits;
    }

    private static String detail(Object expected, Object actual) {
        if (expected instanceof float[] e) {
            int i = Outcomes.floatMismatch(e, (float[]) actual);
            return "at " + i + ": " + Outcomes.describe(((float[]) actual)[i]) + ", expected " + Outcomes.describe(e[i]);
        }
        return Arrays.deepToString(new Object[] {actual}) + ", expected " + Arrays.deepToString(new Object[] {expected});
    }

    private static boolean sameValue(Object expected, Object actual) {
        if (expected instanceof Float e && actual instanceof Float a) {
            return Outcomes.sameFloat(e, a);
        }
        return java.util.Objects.equals(expected, actual);
    }

    private static Rounding rounding(Args a) {
        return a.oneIn(16) ? null : a.data.consumeBoolean() ? Rounding.DOUBLE_ROUNDING : Rounding.SINGLE_ROUNDING;
    }

    private static Call call(Args a, int method) {
        FuzzedDataProvider d = a.data;
        return switch (method) {
            case 0 -> {
                int length = a.size(80);
                byte[] x = a.bytes(length);
                byte[] y = a.oneIn(8) ? x : a.bytes(length);
                yield new Call("dotProduct", names("a b length"), new Object[] {x, y, length},
                        v -> TensorUtils.dotProduct((byte[]) v[0], (byte[]) v[1], (int) v[2]),
                        v -> PortableTensorUtils.dotProduct((byte[]) v[0], (byte[]) v[1], (int) v[2]));
            }
            case 1 -> {
                int size = a.size(300);
                Object[] v0 = {a.floats(size), size, a.bytes(size), a.oneIn(3) ? null : a.floatsOfLength(a.length(2))};
                yield new Call("symmetricQuantizeFloats(minMax)", names("values size quantized minMax"), v0,
                        v -> TensorUtils.symmetricQuantizeFloats((float[]) v[0], (int) v[1], (byte[]) v[2], (float[]) v[3]),
                        v -> PortableTensorUtils.symmetricQuantizeFloats((float[]) v[0], (int) v[1], (byte[]) v[2],
                                (float[]) v[3]));
            }
            case 2 -> {
                int size = a.size(300);
                Object[] v0 = {a.floats(size), size, a.bytes(size), a.anyFloat(), a.anyFloat()};
                yield new Call("symmetricQuantizeFloats(min, max)", names("values size quantized min max"), v0,
                        v -> TensorUtils.symmetricQuantizeFloats((float[]) v[0], (int) v[1], (byte[]) v[2], (float) v[3],
                                (float) v[4]),
                        v -> PortableTensorUtils.symmetricQuantizeFloats((float[]) v[0], (int) v[1], (byte[]) v[2],
                                (float) v[3], (float) v[4]));
            }
            case 3 -> {
                int size = a.size(300);
                Object[] v0 = {a.floats(size), size, a.bytes(size), a.ints(1)};
                yield new Call("asymmetricQuantizeFloats", names("values size quantized offset"), v0,
                        v -> TensorUtils.asymmetricQuantizeFloats((float[]) v[0], (int) v[1], (byte[]) v[2], (int[]) v[3]),
                        v -> PortableTensorUtils.asymmetricQuantizeFloats((float[]) v[0], (int) v[1], (byte[]) v[2],
                                (int[]) v[3]));
            }
            case 4 -> {
                int[] s = a.sizes(6, 100);
                int batch = s[0];
                int n = s[1];
                long total = (long) batch * n;
                Object[] v0 = {a.floats(total), batch, n, a.bytes(total), a.floats(batch),
                    a.oneIn(4) ? null : a.ints(batch), d.consumeBoolean()};
                yield new Call("batchQuantizeFloats", names("floatData nBatch nData quantized scalingFactors zeroPoints "
                        + "doAsymmetric"), v0,
                        v -> {
                            TensorUtils.batchQuantizeFloats((float[]) v[0], (int) v[1], (int) v[2], (byte[]) v[3],
                                    (float[]) v[4], (int[]) v[5], (boolean) v[6]);
                            return null;
                        },
                        v -> {
                            PortableTensorUtils.batchQuantizeFloats((float[]) v[0], (int) v[1], (int) v[2], (byte[]) v[3],
                                    (float[]) v[4], (int[]) v[5], (boolean) v[6]);
                            return null;
                        });
            }
            case 5 -> {
                int[] s = a.sizes(33, 70, 5);
                int rows = s[0];
                int cols = s[1];
                int batch = s[2];
                Object[] v0 = {a.floats((long) rows * cols), rows, cols, a.floats((long) batch * cols), batch,
                    a.floats((long) batch * rows)};
                yield new Call("matrixBatchVectorMultiplyAccumulate(float)", names("matrix mRows mCols vector nBatch "
                        + "result"), v0,
                        v -> {
                            TensorUtils.matrixBatchVectorMultiplyAccumulate((float[]) v[0], (int) v[1], (int) v[2],
                                    (float[]) v[3], (int) v[4], (float[]) v[5]);
                            return null;
                        },
                        v -> {
                            PortableTensorUtils.matrixBatchVectorMultiplyAccumulate((float[]) v[0], (int) v[1], (int) v[2],
                                    (float[]) v[3], (int) v[4], (float[]) v[5]);
                            return null;
                        });
            }
            case 6, 7 -> hybrid(a, method == 7);
            case 8, 9, 10, 11 -> integerAccumulate(a, method >= 10, (method & 1) == 1);
            case 12, 13 -> {
                int[] s = a.sizes(5, 70, 33);
                int batch = s[0];
                int nInput = s[1];
                int nCell = s[2];
                Object[] v0 = {a.bytes((long) batch * nInput), a.zeroPoint(), a.bytes((long) nCell * nInput),
                    a.multiplier(), a.shift(), batch, nInput, nCell, a.bytes((long) batch * nCell),
                    (byte) d.consumeInt(-128, 127), method == 13 ? rounding(a) : Rounding.DOUBLE_ROUNDING};
                boolean explicit = method == 13;
                yield new Call("matrixBatchVectorMultiply(int8" + (explicit ? ", rounding)" : ")"),
                        names("input inputZeroPoint inputToGateWeights inputToGateEffectiveScaleA "
                                + "inputToGateEffectiveScaleB nBatch nInput nCell gateOutput gateOutputZp rounding"), v0,
                        v -> {
                            if (explicit) {
                                TensorUtils.matrixBatchVectorMultiply((byte[]) v[0], (int) v[1], (byte[]) v[2], (int) v[3],
                                        (int) v[4], (int) v[5], (int) v[6], (int) v[7], (byte[]) v[8], (byte) v[9],
                                        (Rounding) v[10]);
                            } else {
                                TensorUtils.matrixBatchVectorMultiply((byte[]) v[0], (int) v[1], (byte[]) v[2], (int) v[3],
                                        (int) v[4], (int) v[5], (int) v[6], (int) v[7], (byte[]) v[8], (byte) v[9]);
                            }
                            return null;
                        },
                        v -> {
                            PortableTensorUtils.matrixBatchVectorMultiply((byte[]) v[0], (int) v[1], (byte[]) v[2],
                                    (int) v[3], (int) v[4], (int) v[5], (int) v[6], (int) v[7], (byte[]) v[8], (byte) v[9],
                                    (Rounding) v[10]);
                            return null;
                        });
            }
            case 14 -> {
                int[] s = a.sizes(5, 70, 33);
                int batch = s[0];
                int nHidden = s[1];
                int nOutput = s[2];
                int multiplier = d.consumeBoolean() ? d.consumeInt(0, Integer.MAX_VALUE) : a.anyInt();
                int shift = a.oneIn(16) ? d.consumeInt() : d.consumeInt(-33, 9);
                Object[] v0 = {a.shorts((long) batch * nHidden), a.bytes((long) nOutput * nHidden), multiplier, shift,
                    a.ints(nOutput), batch, nHidden, nOutput, d.consumeInt(-200, 200), a.bytes((long) batch * nOutput)};
                yield new Call("matrixBatchVectorMultiply(int16)", names("hidden hiddenToOutputWeights "
                        + "projEffectiveScaleA projEffectiveScaleB gateBias nBatch nHidden nOutput outputZp projOutput"), v0,
                        v -> {
                            TensorUtils.matrixBatchVectorMultiply((short[]) v[0], (byte[]) v[1], (int) v[2], (int) v[3],
                                    (int[]) v[4], (int) v[5], (int) v[6], (int) v[7], (int) v[8], (byte[]) v[9]);
                            return null;
                        },
                        v -> {
                            PortableTensorUtils.matrixBatchVectorMultiply((short[]) v[0], (byte[]) v[1], (int) v[2],
                                    (int) v[3], (int[]) v[4], (int) v[5], (int) v[6], (int) v[7], (int) v[8],
                                    (byte[]) v[9]);
                            return null;
                        });
            }
            case 15, 16 -> sparse1x16(a, method == 16);
            case 17 -> sparseLedger(a);
            case 18 -> {
                int[] s = a.sizes(40, 80);
                int outputSize = s[0];
                int reductionSize = s[1];
                Object[] v0 = {a.bytes((long) outputSize * reductionSize), a.ints(outputSize), outputSize, reductionSize};
                yield new Call("reductionSumVector", names("input output outputSize reductionSize"), v0,
                        v -> {
                            TensorUtils.reductionSumVector((byte[]) v[0], (int[]) v[1], (int) v[2], (int) v[3]);
                            return null;
                        },
                        v -> {
                            PortableTensorUtils.reductionSumVector((byte[]) v[0], (int[]) v[1], (int) v[2], (int) v[3]);
                            return null;
                        });
            }
            case 19 -> {
                int[] s = a.sizes(40, 80);
                int nRow = s[0];
                int nCol = s[1];
                Object[] v0 = {a.bytes((long) nRow * nCol), a.anyInt(), nRow, nCol, a.ints(nRow)};
                yield new Call("matrixScalarMultiplyAccumulate", names("matrix scalar nRow nCol output"), v0,
                        v -> {
                            TensorUtils.matrixScalarMultiplyAccumulate((byte[]) v[0], (int) v[1], (int) v[2], (int) v[3],
                                    (int[]) v[4]);
                            return null;
                        },
                        v -> {
                            PortableTensorUtils.matrixScalarMultiplyAccumulate((byte[]) v[0], (int) v[1], (int) v[2],
                                    (int) v[3], (int[]) v[4]);
                            return null;
                        });
            }
            case 20 -> {
                int size = a.size(300);
                Object[] v0 = {a.bytes(size), size, a.anyFloat(), a.floats(size)};
                yield new Call("vectorScalarMultiply", names("vector vSize scale result"), v0,
                        v -> {
                            TensorUtils.vectorScalarMultiply((byte[]) v[0], (int) v[1], (float) v[2], (float[]) v[3]);
                            return null;
                        },
                        v -> {
                            PortableTensorUtils.vectorScalarMultiply((byte[]) v[0], (int) v[1], (float) v[2],
                                    (float[]) v[3]);
                            return null;
                        });
            }
            default -> {
                int size = a.size(300);
                Object[] v0 = {a.floats(size), size};
                yield new Call("isZeroVector", names("vector vSize"), v0,
                        v -> TensorUtils.isZeroVector((float[]) v[0], (int) v[1]),
                        v -> PortableTensorUtils.isZeroVector((float[]) v[0], (int) v[1]));
            }
        };
    }

    private static String[] names(String spaceSeparated) {
        return spaceSeparated.split(" ");
    }

    /** The two hybrid overloads; the ten-argument one with per-channel scales, zero points and row sums. */
    private static Call hybrid(Args a, boolean full) {
        int[] s = a.sizes(33, 70, 5);
        int rows = s[0];
        int cols = s[1];
        int batch = s[2];
        byte[] matrix = a.bytes((long) rows * cols);
        // The matrix doubles as the vectors now and then: both are only read.
        byte[] vectors = a.oneIn(10) ? matrix : a.bytes((long) batch * cols);
        float[] perChannel = full && !a.oneIn(3) ? a.floats(rows) : null;
        int[] offsets = full && !a.oneIn(3) ? a.ints(batch) : null;
        int[] rowSums = full && !a.oneIn(3) ? a.ints(rows) : null;
        Object[] v0 = {matrix, rows, cols, vectors, a.floats(batch), batch, a.floats((long) batch * rows), perChannel,
            offsets, rowSums};
        return new Call("matrixBatchVectorMultiplyAccumulate(hybrid" + (full ? ", 10 args)" : ")"),
                names("matrix mRows mCols vectors scalingFactors nBatch result perChannelScale inputOffset rowSums"), v0,
                v -> {
                    if (full) {
                        TensorUtils.matrixBatchVectorMultiplyAccumulate((byte[]) v[0], (int) v[1], (int) v[2],
                                (byte[]) v[3], (float[]) v[4], (int) v[5], (float[]) v[6], (float[]) v[7], (int[]) v[8],
                                (int[]) v[9]);
                    } else {
                        TensorUtils.matrixBatchVectorMultiplyAccumulate((byte[]) v[0], (int) v[1], (int) v[2],
                                (byte[]) v[3], (float[]) v[4], (int) v[5], (float[]) v[6]);
                    }
                    return null;
                },
                v -> {
                    PortableTensorUtils.matrixBatchVectorMultiplyAccumulate((byte[]) v[0], (int) v[1], (int) v[2],
                            (byte[]) v[3], (float[]) v[4], (int) v[5], (float[]) v[6], (float[]) v[7], (int[]) v[8],
                            (int[]) v[9]);
                    return null;
                });
    }

    /** The four full-integer accumulate overloads: int16 or int8 output, default or explicit rounding. */
    private static Call integerAccumulate(Args a, boolean int8, boolean explicit) {
        int[] s = a.sizes(5, 70, 33);
        int batch = s[0];
        int nInput = s[1];
        int nOutput = s[2];
        long outputs = (long) batch * nOutput;
        Object output = int8 ? a.bytes(outputs) : a.shorts(outputs);
        Object[] v0 = {a.bytes((long) batch * nInput), a.ints(nOutput), a.bytes((long) nOutput * nInput), a.multiplier(),
            a.shift(), batch, nInput, nOutput, a.data.consumeInt(-40000, 40000), output,
            explicit ? rounding(a) : Rounding.DOUBLE_ROUNDING};
        return new Call("matrixBatchVectorMultiplyAccumulate(" + (int8 ? "int8" : "int16")
                + (explicit ? ", rounding)" : ")"), names("input bias inputToGateWeights multiplier shift nBatch nInput "
                + "nOutput outputZp output rounding"), v0,
                v -> {
                    if (int8 && explicit) {
                        TensorUtils.matrixBatchVectorMultiplyAccumulate((byte[]) v[0], (int[]) v[1], (byte[]) v[2],
                                (int) v[3], (int) v[4], (int) v[5], (int) v[6], (int) v[7], (int) v[8], (byte[]) v[9],
                                (Rounding) v[10]);
                    } else if (int8) {
                        TensorUtils.matrixBatchVectorMultiplyAccumulate((byte[]) v[0], (int[]) v[1], (byte[]) v[2],
                                (int) v[3], (int) v[4], (int) v[5], (int) v[6], (int) v[7], (int) v[8], (byte[]) v[9]);
                    } else if (explicit) {
                        TensorUtils.matrixBatchVectorMultiplyAccumulate((byte[]) v[0], (int[]) v[1], (byte[]) v[2],
                                (int) v[3], (int) v[4], (int) v[5], (int) v[6], (int) v[7], (int) v[8], (short[]) v[9],
                                (Rounding) v[10]);
                    } else {
                        TensorUtils.matrixBatchVectorMultiplyAccumulate((byte[]) v[0], (int[]) v[1], (byte[]) v[2],
                                (int) v[3], (int) v[4], (int) v[5], (int) v[6], (int) v[7], (int) v[8], (short[]) v[9]);
                    }
                    return null;
                },
                v -> {
                    if (int8) {
                        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate((byte[]) v[0], (int[]) v[1],
                                (byte[]) v[2], (int) v[3], (int) v[4], (int) v[5], (int) v[6], (int) v[7], (int) v[8],
                                (byte[]) v[9], (Rounding) v[10]);
                    } else {
                        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate((byte[]) v[0], (int[]) v[1],
                                (byte[]) v[2], (int) v[3], (int) v[4], (int) v[5], (int) v[6], (int) v[7], (int) v[8],
                                (short[]) v[9], (Rounding) v[10]);
                    }
                    return null;
                });
    }

    /**
     * The 1x16 CSR product: mostly a well-formed structure (non-decreasing segments, block indices in range, a
     * matrix of exactly the listed blocks) so that the product is reached, with one in five inputs corrupted in one
     * place.
     */
    private static Call sparse1x16(Args a, boolean explicit) {
        FuzzedDataProvider d = a.data;
        int[] s = a.sizes(12, 4, 80, 4);
        int rows = s[0];
        int blocksPerRow = Math.clamp(s[1], 0, 4);
        int cols = a.oneIn(12) ? s[2] : BLOCK * blocksPerRow;
        int batch = s[3];
        int first = a.oneIn(6) ? d.consumeInt(0, 3) : 0;
        int[] segments = null;
        int[] indices = null;
        byte[] matrix;
        if (rows >= 0 && rows <= 64) {
            segments = new int[rows + 1];
            segments[0] = first;
            for (int r = 0; r < rows; r++) {
                segments[r + 1] = segments[r] + d.consumeInt(0, blocksPerRow);
            }
            int end = segments[rows];
            indices = new int[end];
            for (int i = first; i < end; i++) {
                indices[i] = d.consumeInt(0, Math.max(0, blocksPerRow - 1));
            }
            matrix = a.bytesOfLength(BLOCK * (end - first));
            switch (a.oneIn(5) ? d.consumeInt(0, 5) : -1) {
                case 0 -> segments[d.consumeInt(0, rows)] = a.anyInt();
                case 1 -> indices = end > 0 ? Arrays.copyOf(indices, d.consumeInt(0, end - 1)) : null;
                case 2 -> {
                    if (end > 0) {
                        indices[d.consumeInt(0, end - 1)] = a.anyInt();
                    }
                }
                case 3 -> matrix = a.bytes(matrix.length);
                case 4 -> segments = a.oneIn(2) ? null : Arrays.copyOf(segments, rows);
                case 5 -> indices = null;
                default -> { }
            }
        } else {
            segments = a.ints(8);
            indices = a.ints(8);
            matrix = a.bytes(64);
        }
        int[] perChannelScale = a.oneIn(2) ? null : a.ints(rows);
        int[] perChannelShift = null;
        if (!a.oneIn(2)) {
            perChannelShift = a.ints(rows);
            if (perChannelShift != null && !a.oneIn(6)) {
                for (int i = 0; i < perChannelShift.length; i++) {
                    perChannelShift[i] = d.consumeInt(-31, 30);
                }
            }
        }
        int min = a.oneIn(12) ? a.anyInt() : d.consumeInt(-128, 127);
        int max = a.oneIn(12) ? a.anyInt() : d.consumeInt(Math.min(min, 127), 127);
        Object[] v0 = {matrix, segments, indices, rows, cols, a.bytes((long) batch * cols), a.oneIn(3) ? null
                : a.ints(rows), batch, a.oneIn(4) ? a.anyInt() : d.consumeInt(-128, 127), a.multiplier(), a.shift(),
            perChannelScale, perChannelShift, d.consumeInt(-300, 300), min, max, a.bytes((long) batch * rows),
            explicit ? rounding(a) : Rounding.DOUBLE_ROUNDING};
        return new Call("sparseMatrixBatchVectorMultiplyAccumulate1x16" + (explicit ? "(rounding)" : ""),
                names("matrix segments indices mRows mCols vector biasVector nBatch inputOffset outputMultiplier "
                        + "outputShift perChannelScale perChannelShift outputOffset outputActivationMin "
                        + "outputActivationMax result rounding"), v0,
                v -> {
                    if (explicit) {
                        TensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16((byte[]) v[0], (int[]) v[1],
                                (int[]) v[2], (int) v[3], (int) v[4], (byte[]) v[5], (int[]) v[6], (int) v[7], (int) v[8],
                                (int) v[9], (int) v[10], (int[]) v[11], (int[]) v[12], (int) v[13], (int) v[14],
                                (int) v[15], (byte[]) v[16], (Rounding) v[17]);
                    } else {
                        TensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16((byte[]) v[0], (int[]) v[1],
                                (int[]) v[2], (int) v[3], (int) v[4], (byte[]) v[5], (int[]) v[6], (int) v[7], (int) v[8],
                                (int) v[9], (int) v[10], (int[]) v[11], (int[]) v[12], (int) v[13], (int) v[14],
                                (int) v[15], (byte[]) v[16]);
                    }
                    return null;
                },
                v -> {
                    PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16((byte[]) v[0], (int[]) v[1],
                            (int[]) v[2], (int) v[3], (int) v[4], (byte[]) v[5], (int[]) v[6], (int) v[7], (int) v[8],
                            (int) v[9], (int) v[10], (int[]) v[11], (int[]) v[12], (int) v[13], (int) v[14],
                            (int) v[15], (byte[]) v[16], (Rounding) v[17]);
                    return null;
                });
    }

    /** The hybrid ledger format: mostly a well-formed ledger, one in five corrupted or cut short. */
    private static Call sparseLedger(Args a) {
        FuzzedDataProvider d = a.data;
        int[] s = a.sizes(12, 4, 80, 4);
        int rows = s[0];
        int blocksPerRow = Math.clamp(s[1], 0, 4);
        int cols = a.oneIn(12) ? s[2] : BLOCK * blocksPerRow;
        int batch = s[3];
        byte[] ledger;
        byte[] matrix;
        if (rows >= 0 && rows <= 64) {
            byte[] l = new byte[rows * (blocksPerRow + 1)];
            int pos = 0;
            int blocks = 0;
            for (int r = 0; r < rows; r++) {
                int count = d.consumeInt(0, blocksPerRow);
                l[pos++] = (byte) count;
                for (int i = 0; i < count; i++) {
                    l[pos++] = (byte) d.consumeInt(0, blocksPerRow - 1);
                }
                blocks += count;
            }
            ledger = Arrays.copyOf(l, pos);
            matrix = a.bytesOfLength(BLOCK * blocks);
            switch (a.oneIn(5) ? d.consumeInt(0, 3) : -1) {
                case 0 -> {
                    if (pos > 0) {
                        ledger[d.consumeInt(0, pos - 1)] = d.consumeByte();
                    }
                }
                case 1 -> ledger = Arrays.copyOf(ledger, d.consumeInt(0, Math.max(0, pos - 1)));
                case 2 -> matrix = a.bytes(matrix.length);
                case 3 -> ledger = null;
                default -> { }
            }
        } else {
            ledger = a.bytes(8);
            matrix = a.bytes(64);
        }
        Object[] v0 = {matrix, ledger, rows, cols, a.bytes((long) batch * cols), a.floats(batch), batch,
            a.floats((long) batch * rows), a.oneIn(2) ? null : a.floats(rows)};
        return new Call("sparseMatrixBatchVectorMultiplyAccumulate(ledger)", names("matrix ledger mRows mCols vectors "
                + "scalingFactors nBatch result perChannelScale"), v0,
                v -> {
                    TensorUtils.sparseMatrixBatchVectorMultiplyAccumulate((byte[]) v[0], (byte[]) v[1], (int) v[2],
                            (int) v[3], (byte[]) v[4], (float[]) v[5], (int) v[6], (float[]) v[7], (float[]) v[8]);
                    return null;
                },
                v -> {
                    PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate((byte[]) v[0], (byte[]) v[1],
                            (int) v[2], (int) v[3], (byte[]) v[4], (float[]) v[5], (int) v[6], (float[]) v[7],
                            (float[]) v[8]);
                    return null;
                });
    }
}
