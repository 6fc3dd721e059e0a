package dev.qlanes;

import static dev.qlanes.LayerFixtures.SMALL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.qlanes.internal.KernelProvider;
import dev.qlanes.reference.PortableTensorUtils;
import dev.qlanes.reference.Rounding;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every public {@link TensorUtils} method returns exactly what its {@link PortableTensorUtils} twin returns, on
 * random shapes (every vector tail, empty shapes) and values (-128, ±127, NaN, ±Inf, -0.0, subnormals, random
 * accumulator contents), with every array argument compared afterwards (floats by raw bits, NaN as NaN) — outputs longer
 * than the shape included, so a kernel writing past its result fails too. Methods are found by reflection: a
 * public method without an argument generator here fails {@link #everyPublicMethodIsCovered()}.
 *
 * <p>What is compared depends on the fork: {@link #comparesTheImplementationThisForkExpects()} asserts (with the
 * fork's {@code qlanes.test.expect}) and prints which kernels the facade runs. In the reference forks (-Xint, no
 * vector module) the facade runs {@code ReferenceTensorKernels}, so there this test only checks the facade's
 * delegation; the vector kernels are compared in the four vector forks.
 */
class TensorUtilsFacadeTest {
    private static final int ROUNDS = SMALL ? 2 : 6;

    /** Arguments for one call, by method signature ({@link #signature(Method)}); arrays are copied per call. */
    private static final Map<String, Function<Gen, Object[]>> ARGUMENTS = arguments();

    @Test
    void comparesTheImplementationThisForkExpects() {
        Kernels.Info info = ForkExpectation.assertExpectedImplementation();
        String implementation = KernelProvider.tensorKernels().getClass().getName();
        assertEquals(info.vectorized() ? "dev.qlanes.internal.vector.VectorTensorKernels"
                : "dev.qlanes.internal.ReferenceTensorKernels", implementation, info.toString());
        System.out.println("[TensorUtilsFacadeTest] compares " + implementation + " (" + info
                + ") with PortableTensorUtils" + (info.vectorized() ? ""
                        : "; the facade runs the reference in this fork, so this only checks its delegation"));
    }

    @Test
    void everyPublicMethodIsCovered() {
        TreeSet<String> methods = facadeMethods().keySet().stream().collect(Collectors.toCollection(TreeSet::new));
        assertEquals(methods, new TreeSet<>(ARGUMENTS.keySet()), "public TensorUtils methods vs generators here");
        for (Method m : facadeMethods().values()) {
            assertTrue(reference(m) != null, "no PortableTensorUtils twin for " + signature(m));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void everyMethodMatchesTheReference(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Integer> checked = new TreeMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (Map.Entry<String, Method> e : facadeMethods().entrySet()) {
                Gen gen = new Gen(random.split());
                Object[] args = ARGUMENTS.get(e.getKey()).apply(gen);
                compare(e.getValue(), args, "seed " + seed + ", round " + round + ", " + gen.shape);
                checked.merge(e.getKey(), 1, Integer::sum);
            }
        }
        assertEquals(ARGUMENTS.size(), checked.size(), "methods compared: " + checked);
    }

    /** Calls the facade and the reference on copies of {@code args}; compares results and every array argument. */
    private static void compare(Method facade, Object[] args, String where) {
        Object[] expectedArgs = deepCopy(args);
        Object[] actualArgs = deepCopy(args);
        Object expected = invoke(reference(facade), expectedArgs);
        Object actual = invoke(facade, actualArgs);
        String what = signature(facade) + ", " + where;
        assertSame(expected, actual, what + ": return value");
        for (int i = 0; i < args.length; i++) {
            assertSame(expectedArgs[i], actualArgs[i], what + ": argument " + i);
        }
    }

    private static Object invoke(Method m, Object[] args) {
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw new AssertionError(m.getDeclaringClass().getSimpleName() + "." + signature(m) + " threw "
                    + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Equal values; floats by raw bits (so -0.0 differs from 0.0), except that any NaN equals any NaN: which NaN an
     * operation on two NaNs returns is not specified by Java or IEEE 754 (x86 keeps the first operand's, and C2 may
     * commute an addition), and the contract compares NaN-ness, not payloads. Arrays element by element, with the
     * first differing index.
     */
    private static void assertSame(Object expected, Object actual, String what) {
        if (expected instanceof Float f) {
            if (!sameFloat(f, (Float) actual)) {
                fail(what + ": expected " + f + " (0x" + Integer.toHexString(Float.floatToRawIntBits(f)) + "), got "
                        + actual + " (0x" + Integer.toHexString(Float.floatToRawIntBits((Float) actual)) + ")");
            }
        } else if (expected instanceof float[] f) {
            float[] a = (float[]) actual;
            assertEquals(f.length, a.length, what);
            for (int i = 0; i < f.length; i++) {
                if (!sameFloat(f[i], a[i])) {
                    fail(what + ": index " + i + " expected " + f[i] + " (0x"
                            + Integer.toHexString(Float.floatToRawIntBits(f[i])) + "), got " + a[i] + " (0x"
                            + Integer.toHexString(Float.floatToRawIntBits(a[i])) + ")");
                }
            }
        } else if (expected instanceof byte[] b) {
            int i = Arrays.mismatch(b, (byte[]) actual);
            if (i >= 0) {
                fail(what + ": index " + i + " expected " + b[i] + ", got " + ((byte[]) actual)[i]);
            }
        } else if (expected instanceof short[] s) {
            int i = Arrays.mismatch(s, (short[]) actual);
            if (i >= 0) {
                fail(what + ": index " + i + " expected " + s[i] + ", got " + ((short[]) actual)[i]);
            }
        } else if (expected instanceof int[] n) {
            int i = Arrays.mismatch(n, (int[]) actual);
            if (i >= 0) {
                fail(what + ": index " + i + " expected " + n[i] + ", got " + ((int[]) actual)[i]);
            }
        } else {
            assertEquals(expected, actual, what);
        }
    }

    private static boolean sameFloat(float expected, float actual) {
        return Float.floatToRawIntBits(expected) == Float.floatToRawIntBits(actual)
                || (Float.isNaN(expected) && Float.isNaN(actual));
    }

    private static Object[] deepCopy(Object[] args) {
        Object[] copy = args.clone();
        for (int i = 0; i < copy.length; i++) {
            copy[i] = switch (copy[i]) {
                case byte[] b -> b.clone();
                case short[] s -> s.clone();
                case int[] n -> n.clone();
                case float[] f -> f.clone();
                case null, default -> copy[i];
            };
        }
        return copy;
    }

    /** Public static methods of the facade by signature, in a stable order. */
    private static Map<String, Method> facadeMethods() {
        Map<String, Method> methods = new TreeMap<>();
        for (Method m : TensorUtils.class.getMethods()) {
            if (m.getDeclaringClass() == TensorUtils.class && Modifier.isStatic(m.getModifiers())) {
                methods.put(signature(m), m);
            }
        }
        return methods;
    }

    private static Method reference(Method facade) {
        try {
            return PortableTensorUtils.class.getMethod(facade.getName(), facade.getParameterTypes());
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(",", "(", ")"));
    }

    /** Random shapes and values for one call. */
    private static final class Gen {
        final SplittableRandom r;
        String shape = "";

        Gen(SplittableRandom r) {
            this.r = r;
        }

        /** A dimension: mostly small (every tail of every vector width), sometimes 0, sometimes deep. */
        int size() {
            return switch (r.nextInt(12)) {
                case 0 -> 0;
                case 1 -> r.nextInt(200, SMALL ? 300 : 1100);
                default -> r.nextInt(1, 70);
            };
        }

        int batch() {
            return r.nextInt(12) == 0 ? 0 : r.nextInt(1, 7);
        }

        /** Extra elements past what the shape needs: outputs must leave them alone. */
        int extra() {
            return r.nextInt(4);
        }

        byte[] bytes(int n) {
            int profile = r.nextInt(6);
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = switch (profile) {
                    case 0 -> Byte.MIN_VALUE;
                    case 1 -> (i & 1) == 0 ? Byte.MAX_VALUE : Byte.MIN_VALUE;
                    default -> (byte) r.nextInt(256);
                };
            }
            return b;
        }

        short[] shorts(int n) {
            short[] s = new short[n];
            for (int i = 0; i < n; i++) {
                s[i] = r.nextInt(8) == 0 ? (r.nextBoolean() ? Short.MIN_VALUE : Short.MAX_VALUE)
                        : (short) r.nextInt(1 << 16);
            }
            return s;
        }

        int[] ints(int n, int from, int to) {
            int[] v = new int[n];
            for (int i = 0; i < n; i++) {
                v[i] = r.nextInt(from, to);
            }
            return v;
        }

        int[] anyInts(int n) {
            int[] v = new int[n];
            for (int i = 0; i < n; i++) {
                v[i] = r.nextInt();
            }
            return v;
        }

        /** Activations: Gaussian at a random magnitude, sometimes all zero, sometimes with special values. */
        float[] floats(int n) {
            int profile = r.nextInt(8);
            float[] f = new float[n];
            if (profile == 0) {
                return f;
            }
            double scale = Math.pow(10, r.nextInt(-3, 4));
            for (int i = 0; i < n; i++) {
                f[i] = (float) (r.nextGaussian() * scale);
                if (profile == 1 && r.nextInt(5) == 0) {
                    f[i] = LayerFixtures.special(r);
                }
                if (profile == 2 && r.nextInt(3) == 0) {
                    f[i] = r.nextBoolean() ? 0.0f : -0.0f;
                }
            }
            return f;
        }

        float[] positive(int n) {
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                f[i] = (float) Math.pow(10, r.nextDouble(-4, 1));
            }
            return f;
        }

        int multiplier() {
            return r.nextInt(10) == 0 ? r.nextInt(0, 1 << 30) : r.nextInt(1 << 30, Integer.MAX_VALUE);
        }

        /** A shift in TFLite's int32 range [-31, 30], mostly the realistic right shifts. */
        int shift() {
            return r.nextInt(4) == 0 ? r.nextInt(-31, 31) : r.nextInt(-12, 3);
        }

        Rounding rounding() {
            return Rounding.values()[r.nextInt(2)];
        }

        /** [min, max] with -128 <= min <= max <= 127. */
        int[] clamp() {
            int a = r.nextInt(-128, 128);
            int b = r.nextInt(-128, 128);
            return r.nextInt(3) == 0 ? new int[] {-128, 127} : new int[] {Math.min(a, b), Math.max(a, b)};
        }

        Gen shape(String s) {
            shape = s;
            return this;
        }
    }

    private static Map<String, Function<Gen, Object[]>> arguments() {
        Map<String, Function<Gen, Object[]>> m = new TreeMap<>();
        m.put("dotProduct(byte[],byte[],int)", g -> {
            int n = g.size();
            g.shape("length " + n);
            return new Object[] {g.bytes(n + g.extra()), g.bytes(n + g.extra()), n};
        });
        m.put("symmetricQuantizeFloats(float[],int,byte[],float[])", g -> {
            int n = g.size();
            g.shape("size " + n);
            return new Object[] {g.floats(n + g.extra()), n, g.bytes(n + g.extra()),
                g.r.nextInt(4) == 0 ? null : g.floats(2 + g.extra())};
        });
        m.put("symmetricQuantizeFloats(float[],int,byte[],float,float)", g -> {
            int n = g.size();
            float[] values = g.floats(n + g.extra());
            float min = 0;
            float max = 0;
            for (int i = 0; i < n; i++) {
                min = Math.min(min, values[i]);
                max = Math.max(max, values[i]);
            }
            if (g.r.nextInt(3) == 0) { // a range from elsewhere (a calibration, say)
                min = -g.positive(1)[0];
                max = g.positive(1)[0];
            }
            g.shape("size " + n + ", range [" + min + ", " + max + "]");
            return new Object[] {values, n, g.bytes(n + g.extra()), min, max};
        });
        m.put("asymmetricQuantizeFloats(float[],int,byte[],int[])", g -> {
            int n = g.size();
            g.shape("size " + n);
            return new Object[] {g.floats(n + g.extra()), n, g.bytes(n + g.extra()), g.anyInts(1 + g.extra())};
        });
        m.put("batchQuantizeFloats(float[],int,int,byte[],float[],int[],boolean)", g -> {
            int batch = g.batch();
            int n = g.size();
            boolean asymmetric = g.r.nextBoolean();
            g.shape("batch " + batch + ", nData " + n + (asymmetric ? ", asymmetric" : ""));
            return new Object[] {g.floats(batch * n + g.extra()), batch, n, g.bytes(batch * n + g.extra()),
                g.floats(batch + g.extra()), !asymmetric && g.r.nextInt(3) == 0 ? null : g.anyInts(batch + g.extra()),
                asymmetric};
        });
        m.put("matrixBatchVectorMultiplyAccumulate(float[],int,int,float[],int,float[])", g -> {
            int rows = g.size();
            int cols = g.size();
            int batch = g.batch();
            g.shape(batch + "x" + rows + "x" + cols);
            return new Object[] {g.floats(rows * cols + g.extra()), rows, cols, g.floats(batch * cols + g.extra()),
                batch, g.floats(batch * rows + g.extra())};
        });
        m.put("matrixBatchVectorMultiplyAccumulate(byte[],int,int,byte[],float[],int,float[])", g -> {
            int rows = g.size();
            int cols = g.size();
            int batch = g.batch();
            g.shape(batch + "x" + rows + "x" + cols);
            return new Object[] {g.bytes(rows * cols + g.extra()), rows, cols, g.bytes(batch * cols + g.extra()),
                g.positive(batch + g.extra()), batch, g.floats(batch * rows + g.extra())};
        });
        m.put("matrixBatchVectorMultiplyAccumulate(byte[],int,int,byte[],float[],int,float[],float[],int[],int[])",
                g -> {
                    int rows = g.size();
                    int cols = g.size();
                    int batch = g.batch();
                    byte[] matrix = g.bytes(rows * cols + g.extra());
                    boolean perChannel = g.r.nextBoolean();
                    boolean offsets = g.r.nextBoolean();
                    int[] rowSums = null;
                    if (offsets && g.r.nextInt(3) != 0) {
                        rowSums = new int[rows + g.extra()];
                        PortableTensorUtils.reductionSumVector(matrix, rowSums, rows, cols);
                        if (g.r.nextInt(4) == 0) {
                            rowSums = g.anyInts(rowSums.length); // stale cached sums are used as given
                        }
                    }
                    g.shape(batch + "x" + rows + "x" + cols + (perChannel ? ", per-channel" : "")
                            + (offsets ? ", offsets" : "") + (rowSums != null ? ", row sums" : ""));
                    return new Object[] {matrix, rows, cols, g.bytes(batch * cols + g.extra()),
                        g.positive(batch + g.extra()), batch, g.floats(batch * rows + g.extra()),
                        perChannel ? g.positive(rows + g.extra()) : null,
                        offsets ? g.ints(batch + g.extra(), -128, 128) : null, rowSums};
                });
        for (String output : new String[] {"short[]", "byte[]"}) {
            Function<Gen, Object[]> integer = g -> {
                int rows = g.size();
                int cols = g.size();
                int batch = g.batch();
                g.shape(batch + "x" + rows + "x" + cols);
                int n = batch * rows + g.extra();
                return new Object[] {g.bytes(batch * cols + g.extra()), g.ints(rows + g.extra(), -1 << 20, 1 << 20),
                    g.bytes(rows * cols + g.extra()), g.multiplier(), g.shift(), batch, cols, rows,
                    g.r.nextInt(-200, 200), output.equals("short[]") ? g.shorts(n) : g.bytes(n), g.rounding()};
            };
            m.put("matrixBatchVectorMultiplyAccumulate(byte[],int[],byte[],int,int,int,int,int,int," + output
                    + ",Rounding)", integer);
            m.put("matrixBatchVectorMultiplyAccumulate(byte[],int[],byte[],int,int,int,int,int,int," + output + ")",
                    g -> Arrays.copyOf(integer.apply(g), 10));
        }
        Function<Gen, Object[]> int8Gate = g -> {
            int rows = g.size();
            int cols = g.size();
            int batch = g.batch();
            g.shape(batch + "x" + rows + "x" + cols);
            return new Object[] {g.bytes(batch * cols + g.extra()), g.r.nextInt(-128, 128),
                g.bytes(rows * cols + g.extra()), g.multiplier(), g.shift(), batch, cols, rows,
                g.bytes(batch * rows + g.extra()), (byte) g.r.nextInt(256), g.rounding()};
        };
        m.put("matrixBatchVectorMultiply(byte[],int,byte[],int,int,int,int,int,byte[],byte,Rounding)", int8Gate);
        m.put("matrixBatchVectorMultiply(byte[],int,byte[],int,int,int,int,int,byte[],byte)",
                g -> Arrays.copyOf(int8Gate.apply(g), 10));
        m.put("matrixBatchVectorMultiply(short[],byte[],int,int,int[],int,int,int,int,byte[])", g -> {
            int rows = g.size();
            int cols = g.size();
            int batch = g.batch();
            g.shape(batch + "x" + rows + "x" + cols);
            return new Object[] {g.shorts(batch * cols + g.extra()), g.bytes(rows * cols + g.extra()), g.multiplier(),
                g.r.nextInt(-31, 8), g.anyInts(rows + g.extra()), batch, cols, rows, g.r.nextInt(-200, 200),
                g.bytes(batch * rows + g.extra())};
        });
        Function<Gen, Object[]> sparse = g -> {
            int rows = g.size() % 40;
            int blocksPerRow = g.r.nextInt(0, 7);
            int cols = 16 * blocksPerRow;
            int batch = g.batch();
            int first = g.r.nextInt(4) == 0 ? g.r.nextInt(1, 4) : 0;
            int[] segments = new int[rows + 1 + g.extra()];
            segments[0] = first;
            for (int r = 0; r < rows; r++) {
                segments[r + 1] = segments[r] + (blocksPerRow == 0 ? 0 : g.r.nextInt(0, blocksPerRow + 1));
            }
            int end = segments[rows];
            int[] indices = g.ints(end + g.extra(), 0, Math.max(1, blocksPerRow));
            boolean perChannel = g.r.nextBoolean();
            int[] clamp = g.clamp();
            g.shape(batch + "x" + rows + "x" + cols + ", " + (end - first) + " blocks"
                    + (perChannel ? ", per-channel" : ""));
            return new Object[] {g.bytes(16 * (end - first) + g.extra()), segments, indices, rows, cols,
                g.bytes(batch * cols + g.extra()), g.r.nextBoolean() ? g.ints(rows + g.extra(), -1 << 20, 1 << 20)
                    : null, batch, g.r.nextInt(-128, 128), g.multiplier(), g.shift(),
                perChannel ? g.ints(rows + g.extra(), 1 << 30, Integer.MAX_VALUE) : null,
                perChannel ? g.ints(rows + g.extra(), -12, 3) : null, g.r.nextInt(-128, 128), clamp[0], clamp[1],
                g.bytes(batch * rows + g.extra()), g.rounding()};
        };
        m.put("sparseMatrixBatchVectorMultiplyAccumulate1x16(byte[],int[],int[],int,int,byte[],int[],int,int,int,int,"
                + "int[],int[],int,int,int,byte[],Rounding)", sparse);
        m.put("sparseMatrixBatchVectorMultiplyAccumulate1x16(byte[],int[],int[],int,int,byte[],int[],int,int,int,int,"
                + "int[],int[],int,int,int,byte[])", g -> Arrays.copyOf(sparse.apply(g), 17));
        m.put("sparseMatrixBatchVectorMultiplyAccumulate(byte[],byte[],int,int,byte[],float[],int,float[],float[])",
                g -> {
                    int rows = g.size() % 40;
                    int blocksPerRow = g.r.nextInt(0, 7);
                    int cols = 16 * blocksPerRow;
                    int batch = g.batch();
                    byte[] ledger = new byte[rows * (blocksPerRow + 1) + g.extra()];
                    int pos = 0;
                    int blocks = 0;
                    for (int r = 0; r < rows; r++) {
                        int count = blocksPerRow == 0 ? 0 : g.r.nextInt(0, blocksPerRow + 1);
                        ledger[pos++] = (byte) count;
                        for (int i = 0; i < count; i++) {
                            ledger[pos++] = (byte) g.r.nextInt(blocksPerRow);
                        }
                        blocks += count;
                    }
                    boolean perChannel = g.r.nextBoolean();
                    g.shape(batch + "x" + rows + "x" + cols + ", " + blocks + " blocks"
                            + (perChannel ? ", per-channel" : ""));
                    return new Object[] {g.bytes(16 * blocks + g.extra()), ledger, rows, cols,
                        g.bytes(batch * cols + g.extra()), g.positive(batch + g.extra()), batch,
                        g.floats(batch * rows + g.extra()), perChannel ? g.positive(rows + g.extra()) : null};
                });
        m.put("reductionSumVector(byte[],int[],int,int)", g -> {
            int outputs = g.size();
            int n = g.size();
            g.shape(outputs + " sums of " + n);
            return new Object[] {g.bytes(outputs * n + g.extra()), g.anyInts(outputs + g.extra()), outputs, n};
        });
        m.put("matrixScalarMultiplyAccumulate(byte[],int,int,int,int[])", g -> {
            int rows = g.size();
            int cols = g.size();
            g.shape(rows + "x" + cols);
            return new Object[] {g.bytes(rows * cols + g.extra()), g.r.nextInt(), rows, cols,
                g.anyInts(rows + g.extra())};
        });
        m.put("vectorScalarMultiply(byte[],int,float,float[])", g -> {
            int n = g.size();
            g.shape("size " + n);
            return new Object[] {g.bytes(n + g.extra()), n, g.floats(1)[0], g.floats(n + g.extra())};
        });
        m.put("isZeroVector(float[],int)", g -> {
            int n = g.size();
            float[] v = new float[n + g.extra()];
            if (n > 0 && g.r.nextBoolean()) { // one non-zero element anywhere, often in a vector tail
                v[g.r.nextInt(n)] = g.r.nextBoolean() ? Float.NaN : Float.MIN_VALUE;
            }
            if (n > 0 && g.r.nextInt(3) == 0) {
                v[g.r.nextInt(n)] = -0.0f;
            }
            g.shape("size " + n);
            return new Object[] {v, n};
        });
        return m;
    }

    @Test
    void rejectsBadArgumentsLikeTheReferenceAndLeavesOutputsUntouched() {
        float[] result = new float[4];
        Arrays.fill(result, 7.0f);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> TensorUtils.matrixBatchVectorMultiplyAccumulate(new byte[3], 2, 2, new byte[4],
                        new float[2], 2, result));
        assertEquals("matrix.length = 3, expected >= 4 (mRows * mCols)", e.getMessage());
        assertArrayEquals(new float[] {7, 7, 7, 7}, result);
    }
}
