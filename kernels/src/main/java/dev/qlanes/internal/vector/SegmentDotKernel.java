package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.BYTES_HALF;
import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.SHORTS;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Exact int8 row-by-vector dot products with the matrix in a {@link MemorySegment} (native, memory-mapped, or
 * heap), loaded with {@link ByteVector#fromMemorySegment}, and the activations in a heap array. Row offsets are
 * {@code long}, so matrices beyond 2 GiB work. Only segment weights come here: heap {@code byte[]} weights go to
 * {@link RowRangeDotKernel}, so that neither loop's profile mixes segment and array accesses. The arithmetic is
 * {@link WideningDotKernel}'s: half-width
 * byte vectors widened lane for lane to 16 bits ({@code B2S}), 16-bit products (an int8 product always fits), and
 * adjacent product pairs summed into int lanes ({@code low = (x << 16) >> 16}, {@code high = x >> 16}); rows in
 * tiles of {@link #ROW_TILE}. Same exact, wrapping int32 results.
 *
 * <p>Every loop body is written out in one method, with no helper that takes or returns a vector: a helper that
 * C2 compiles on its own before its caller (as happens during warm-up) is then too big to inline, and every
 * vector crossing that call is boxed, i.e. allocated, on every iteration.
 */
public final class SegmentDotKernel implements SegmentRowKernel {
    SegmentDotKernel() {}

    /**
     * A kernel for native segments and an independent copy of it for memory-mapped ones. The JIT profiles each
     * method's bytecode, and once one loop has read segments of both classes (mapped segments are a subclass of
     * native ones) its compiled code slows down by about 2.5x (measured on AVX2, JDK 25). The copy is this very
     * class defined again as a hidden class: same code, its own profile. If that fails, both kinds share one.
     *
     * @return {@code [native, mapped]}
     */
    static SegmentRowKernel[] perKind() {
        SegmentRowKernel nativeKernel = new SegmentDotKernel();
        try (java.io.InputStream in = SegmentDotKernel.class.getResourceAsStream("SegmentDotKernel.class")) {
            byte[] bytes = java.util.Objects.requireNonNull(in, "SegmentDotKernel.class").readAllBytes();
            Class<?> copy = java.lang.invoke.MethodHandles.lookup().defineHiddenClass(bytes, true).lookupClass();
            java.lang.reflect.Constructor<?> constructor = copy.getDeclaredConstructor();
            return new SegmentRowKernel[] {nativeKernel, (SegmentRowKernel) constructor.newInstance()};
        } catch (java.io.IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
            return new SegmentRowKernel[] {nativeKernel, nativeKernel};
        }
    }

    /** Bytes consumed per vector step. */
    static final int STEP = BYTES_HALF.length();
    /** Rows processed together, each activation chunk widened once for all of them. */
    static final int ROW_TILE = 4;
    /** Byte order of the loads; irrelevant for bytes but required by the API. */
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /**
     * {@code dots[dotsOffset + (r - rowFrom)] = Σ_c w[r][c] · x[xOffset + c]} for {@code rowFrom <= r < rowTo},
     * {@code w[r][c]} at byte {@code weightsOffset + r·cols + c} of {@code weights}; int32, wrapping.
     */
    @Override
    public void dots(MemorySegment weights, long weightsOffset, int cols, int rowFrom, int rowTo, byte[] x,
            int xOffset, int[] dots, int dotsOffset) {
        int r = rowFrom;
        for (; r + ROW_TILE <= rowTo; r += ROW_TILE) {
            rowTile(weights, weightsOffset + (long) r * cols, cols, x, xOffset, dots, dotsOffset + r - rowFrom);
        }
        for (; r < rowTo; r++) {
            dots[dotsOffset + r - rowFrom] = dot(weights, weightsOffset + (long) r * cols, x, xOffset, cols);
        }
    }

    private int dot(MemorySegment w, long offset, byte[] x, int xOffset, int n) {
        IntVector acc = IntVector.zero(INTS);
        int c = 0;
        for (int bound = BYTES_HALF.loopBound(n); c < bound; c += STEP) {
            ShortVector v = (ShortVector) ByteVector.fromArray(BYTES_HALF, x, xOffset + c)
                    .convertShape(VectorOperators.B2S, SHORTS, 0);
            IntVector p = ((ShortVector) ByteVector.fromMemorySegment(BYTES_HALF, w, offset + c, ORDER)
                    .convertShape(VectorOperators.B2S, SHORTS, 0)).mul(v).reinterpretAsInts();
            acc = acc.add(p.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .add(p.lanewise(VectorOperators.ASHR, 16));
        }
        int sum = acc.reduceLanes(VectorOperators.ADD);
        for (; c < n; c++) {
            sum += w.get(ValueLayout.JAVA_BYTE, offset + c) * x[xOffset + c];
        }
        return sum;
    }

    private void rowTile(MemorySegment w, long m0, int cols, byte[] x, int xOffset, int[] dots, int out) {
        long m1 = m0 + cols;
        long m2 = m1 + cols;
        long m3 = m2 + cols;
        IntVector acc0 = IntVector.zero(INTS);
        IntVector acc1 = IntVector.zero(INTS);
        IntVector acc2 = IntVector.zero(INTS);
        IntVector acc3 = IntVector.zero(INTS);
        int c = 0;
        for (int bound = BYTES_HALF.loopBound(cols); c < bound; c += STEP) {
            ShortVector v = (ShortVector) ByteVector.fromArray(BYTES_HALF, x, xOffset + c)
                    .convertShape(VectorOperators.B2S, SHORTS, 0);
            IntVector p0 = ((ShortVector) ByteVector.fromMemorySegment(BYTES_HALF, w, m0 + c, ORDER)
                    .convertShape(VectorOperators.B2S, SHORTS, 0)).mul(v).reinterpretAsInts();
            IntVector p1 = ((ShortVector) ByteVector.fromMemorySegment(BYTES_HALF, w, m1 + c, ORDER)
                    .convertShape(VectorOperators.B2S, SHORTS, 0)).mul(v).reinterpretAsInts();
            IntVector p2 = ((ShortVector) ByteVector.fromMemorySegment(BYTES_HALF, w, m2 + c, ORDER)
                    .convertShape(VectorOperators.B2S, SHORTS, 0)).mul(v).reinterpretAsInts();
            IntVector p3 = ((ShortVector) ByteVector.fromMemorySegment(BYTES_HALF, w, m3 + c, ORDER)
                    .convertShape(VectorOperators.B2S, SHORTS, 0)).mul(v).reinterpretAsInts();
            acc0 = acc0.add(p0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .add(p0.lanewise(VectorOperators.ASHR, 16));
            acc1 = acc1.add(p1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .add(p1.lanewise(VectorOperators.ASHR, 16));
            acc2 = acc2.add(p2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .add(p2.lanewise(VectorOperators.ASHR, 16));
            acc3 = acc3.add(p3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .add(p3.lanewise(VectorOperators.ASHR, 16));
        }
        int s0 = acc0.reduceLanes(VectorOperators.ADD);
        int s1 = acc1.reduceLanes(VectorOperators.ADD);
        int s2 = acc2.reduceLanes(VectorOperators.ADD);
        int s3 = acc3.reduceLanes(VectorOperators.ADD);
        for (; c < cols; c++) {
            int v = x[xOffset + c];
            s0 += w.get(ValueLayout.JAVA_BYTE, m0 + c) * v;
            s1 += w.get(ValueLayout.JAVA_BYTE, m1 + c) * v;
            s2 += w.get(ValueLayout.JAVA_BYTE, m2 + c) * v;
            s3 += w.get(ValueLayout.JAVA_BYTE, m3 + c) * v;
        }
        dots[out] = s0;
        dots[out + 1] = s1;
        dots[out + 2] = s2;
        dots[out + 3] = s3;
    }

    @Override
    public void rowSums(MemorySegment weights, long weightsOffset, int rows, int cols, int[] sums) {
        for (int r = 0; r < rows; r++) {
            long offset = weightsOffset + (long) r * cols;
            IntVector acc = IntVector.zero(INTS);
            int c = 0;
            for (int bound = BYTES_HALF.loopBound(cols); c < bound; c += STEP) {
                IntVector p = ((ShortVector) ByteVector.fromMemorySegment(BYTES_HALF, weights, offset + c, ORDER)
                        .convertShape(VectorOperators.B2S, SHORTS, 0)).reinterpretAsInts();
                acc = acc.add(p.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                        .add(p.lanewise(VectorOperators.ASHR, 16));
            }
            int sum = acc.reduceLanes(VectorOperators.ADD);
            for (; c < cols; c++) {
                sum += weights.get(ValueLayout.JAVA_BYTE, offset + c);
            }
            sums[r] = sum;
        }
    }

    @Override
    public boolean containsMinus128(MemorySegment weights, long offset, long n) {
        long i = 0;
        for (long bound = n - n % STEP; i < bound; i += STEP) {
            if (ByteVector.fromMemorySegment(BYTES_HALF, weights, offset + i, ORDER).eq(Byte.MIN_VALUE).anyTrue()) {
                return true;
            }
        }
        for (; i < n; i++) {
            if (weights.get(ValueLayout.JAVA_BYTE, offset + i) == Byte.MIN_VALUE) {
                return true;
            }
        }
        return false;
    }
}
