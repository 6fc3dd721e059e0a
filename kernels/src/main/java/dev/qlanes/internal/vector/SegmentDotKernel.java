package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.BYTES_HALF;
import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.SHORTS;
import static dev.qlanes.internal.vector.WideningDotKernel.HIGH_WEIGHT;
import static dev.qlanes.internal.vector.WideningDotKernel.SPLIT_RESIDUE;
import static dev.qlanes.internal.vector.RowRangeDotKernel.BATCH_TILE;
import static dev.qlanes.internal.vector.RowRangeDotKernel.packedIndex;
import static dev.qlanes.internal.vector.WideningDotKernel.splitBias;

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
 * {@link RowRangeDotKernel}, so that neither loop's profile mixes segment and array accesses. The arithmetic and the
 * loop shape are {@link RowRangeDotKernel}'s (activations widened once, rows in tiles of {@link #ROW_TILE},
 * {@link WideningDotKernel}'s biased split); only the weight loads differ. Same exact, wrapping int32 results.
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
    /** Rows whose tiles interleave, as in {@link RowRangeDotKernel#dots}. */
    static final int ROW_GROUP = RowRangeDotKernel.ROW_GROUP;
    /** Byte order of the loads; irrelevant for bytes but required by the API. */
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    public void dots(MemorySegment weights, long weightsOffset, int cols, int rowFrom, int rowTo, short[] xw,
            int[] dots, int dotsOffset) {
        // the row order of RowRangeDotKernel.dots: tiles of rows a quarter group apart, so each stream runs on
        for (int g = rowFrom; g < rowTo; g += ROW_GROUP) {
            int n = Math.min(ROW_GROUP, rowTo - g);
            int quarter = n / ROW_TILE;
            int out = dotsOffset + g - rowFrom;
            for (int i = 0; i < quarter; i++) {
                rowTile(weights, weightsOffset + (long) (g + i) * cols, (long) quarter * cols, cols, xw, dots, out + i,
                        quarter);
            }
            for (int r = ROW_TILE * quarter; r < n; r++) {
                dots[out + r] = dot(weights, weightsOffset + (long) (g + r) * cols, xw, 0, cols);
            }
        }
    }

    /** One segment row's 16 bytes from {@code offset}, widened to 16 bits. */
    private static ShortVector widen(MemorySegment w, long offset) {
        return (ShortVector) ByteVector.fromMemorySegment(BYTES_HALF, w, offset, ORDER)
                .convertShape(VectorOperators.B2S, SHORTS, 0);
    }

    private void rowTile(MemorySegment w, long m0, long span, int cols, short[] xw, int[] dots, int out,
            int outStride) {
        long m1 = m0 + span;
        long m2 = m1 + span;
        long m3 = m2 + span;
        ShortVector bias = splitBias();
        IntVector sums0 = IntVector.zero(INTS);
        IntVector sums1 = IntVector.zero(INTS);
        IntVector sums2 = IntVector.zero(INTS);
        IntVector sums3 = IntVector.zero(INTS);
        IntVector highs0 = IntVector.zero(INTS);
        IntVector highs1 = IntVector.zero(INTS);
        IntVector highs2 = IntVector.zero(INTS);
        IntVector highs3 = IntVector.zero(INTS);
        int c = 0;
        for (int bound = cols - 2 * STEP; c <= bound; c += 2 * STEP) {
            ShortVector x0 = ShortVector.fromArray(SHORTS, xw, c);
            ShortVector x1 = ShortVector.fromArray(SHORTS, xw, c + STEP);
            IntVector y0 = widen(w, m0 + c).mul(x0).add(widen(w, m0 + c + STEP).mul(x1)).add(bias)
                    .reinterpretAsInts();
            IntVector y1 = widen(w, m1 + c).mul(x0).add(widen(w, m1 + c + STEP).mul(x1)).add(bias)
                    .reinterpretAsInts();
            IntVector y2 = widen(w, m2 + c).mul(x0).add(widen(w, m2 + c + STEP).mul(x1)).add(bias)
                    .reinterpretAsInts();
            IntVector y3 = widen(w, m3 + c).mul(x0).add(widen(w, m3 + c + STEP).mul(x1)).add(bias)
                    .reinterpretAsInts();
            sums0 = sums0.add(y0);
            sums1 = sums1.add(y1);
            sums2 = sums2.add(y2);
            sums3 = sums3.add(y3);
            highs0 = highs0.add(y0.lanewise(VectorOperators.ASHR, 16));
            highs1 = highs1.add(y1.lanewise(VectorOperators.ASHR, 16));
            highs2 = highs2.add(y2.lanewise(VectorOperators.ASHR, 16));
            highs3 = highs3.add(y3.lanewise(VectorOperators.ASHR, 16));
        }
        int lanes = c / (2 * STEP) * INTS.length();
        int s0 = sums0.sub(highs0.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD) - SPLIT_RESIDUE * lanes;
        int s1 = sums1.sub(highs1.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD) - SPLIT_RESIDUE * lanes;
        int s2 = sums2.sub(highs2.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD) - SPLIT_RESIDUE * lanes;
        int s3 = sums3.sub(highs3.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD) - SPLIT_RESIDUE * lanes;
        if (c < cols) { // fewer than two steps left: row by row (a separate call keeps this loop's registers free)
            s0 += dot(w, m0 + c, xw, c, cols);
            s1 += dot(w, m1 + c, xw, c, cols);
            s2 += dot(w, m2 + c, xw, c, cols);
            s3 += dot(w, m3 + c, xw, c, cols);
        }
        dots[out] = s0;
        dots[out + outStride] = s1;
        dots[out + 2 * outStride] = s2;
        dots[out + 3 * outStride] = s3;
    }

    @Override
    public void dots4(MemorySegment w, long weightsOffset, int cols, int rowFrom, int rowTo, short[] packed,
            int[] dots, int dotsOffset, int dotsStride) {
        ShortVector bias = splitBias();
        for (int r = rowFrom; r < rowTo; r++) {
            long m = weightsOffset + (long) r * cols;
            IntVector sums0 = IntVector.zero(INTS);
            IntVector sums1 = IntVector.zero(INTS);
            IntVector sums2 = IntVector.zero(INTS);
            IntVector sums3 = IntVector.zero(INTS);
            IntVector highs0 = IntVector.zero(INTS);
            IntVector highs1 = IntVector.zero(INTS);
            IntVector highs2 = IntVector.zero(INTS);
            IntVector highs3 = IntVector.zero(INTS);
            int c = 0;
            for (int bound = cols - 2 * STEP; c <= bound; c += 2 * STEP) {
                ShortVector w0 = widen(w, m + c);
                ShortVector w1 = widen(w, m + c + STEP);
                int p = BATCH_TILE * c; // packedIndex(c, 0): c is a multiple of STEP
                IntVector y0 = w0.mul(ShortVector.fromArray(SHORTS, packed, p))
                        .add(w1.mul(ShortVector.fromArray(SHORTS, packed, p + 4 * STEP))).add(bias).reinterpretAsInts();
                IntVector y1 = w0.mul(ShortVector.fromArray(SHORTS, packed, p + STEP))
                        .add(w1.mul(ShortVector.fromArray(SHORTS, packed, p + 5 * STEP))).add(bias).reinterpretAsInts();
                IntVector y2 = w0.mul(ShortVector.fromArray(SHORTS, packed, p + 2 * STEP))
                        .add(w1.mul(ShortVector.fromArray(SHORTS, packed, p + 6 * STEP))).add(bias).reinterpretAsInts();
                IntVector y3 = w0.mul(ShortVector.fromArray(SHORTS, packed, p + 3 * STEP))
                        .add(w1.mul(ShortVector.fromArray(SHORTS, packed, p + 7 * STEP))).add(bias).reinterpretAsInts();
                sums0 = sums0.add(y0);
                sums1 = sums1.add(y1);
                sums2 = sums2.add(y2);
                sums3 = sums3.add(y3);
                highs0 = highs0.add(y0.lanewise(VectorOperators.ASHR, 16));
                highs1 = highs1.add(y1.lanewise(VectorOperators.ASHR, 16));
                highs2 = highs2.add(y2.lanewise(VectorOperators.ASHR, 16));
                highs3 = highs3.add(y3.lanewise(VectorOperators.ASHR, 16));
            }
            int lanes = c / (2 * STEP) * INTS.length();
            int out = dotsOffset + r - rowFrom;
            dots[out] = sums0.sub(highs0.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD) - SPLIT_RESIDUE * lanes;
            dots[out + dotsStride] = sums1.sub(highs1.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD)
                    - SPLIT_RESIDUE * lanes;
            dots[out + 2 * dotsStride] = sums2.sub(highs2.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD)
                    - SPLIT_RESIDUE * lanes;
            dots[out + 3 * dotsStride] = sums3.sub(highs3.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD)
                    - SPLIT_RESIDUE * lanes;
            if (c < cols) { // fewer than two column blocks left
                for (int k = 0; k < BATCH_TILE; k++) {
                    dots[out + k * dotsStride] += packedTail(w, m, c, cols, packed, k);
                }
            }
        }
    }

    /** {@code Σ w[m + c] · x_k[c]} for {@code from <= c < to} from a packed buffer; int32, wrapping. */
    private static int packedTail(MemorySegment w, long m, int from, int to, short[] packed, int k) {
        int sum = 0;
        int c = from;
        if (to - c >= STEP) { // one whole block: from is a multiple of STEP
            IntVector y = widen(w, m + c).mul(ShortVector.fromArray(SHORTS, packed, packedIndex(c, k)))
                    .add(splitBias()).reinterpretAsInts();
            sum = y.sub(y.lanewise(VectorOperators.ASHR, 16).mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD)
                    - SPLIT_RESIDUE * INTS.length();
            c += STEP;
        }
        for (; c < to; c++) {
            sum += w.get(ValueLayout.JAVA_BYTE, m + c) * packed[packedIndex(c, k)];
        }
        return sum;
    }

    /** {@code Σ w[m + (c - from)] · xw[c]} for {@code from <= c < to}; int32, wrapping. */
    private int dot(MemorySegment w, long m, short[] xw, int from, int to) {
        ShortVector bias = splitBias();
        IntVector sums = IntVector.zero(INTS);
        IntVector highs = IntVector.zero(INTS);
        int splits = 0;
        int c = from;
        for (int bound = to - 2 * STEP; c <= bound; c += 2 * STEP, splits++) {
            IntVector y = widen(w, m + c - from).mul(ShortVector.fromArray(SHORTS, xw, c))
                    .add(widen(w, m + c - from + STEP).mul(ShortVector.fromArray(SHORTS, xw, c + STEP)))
                    .add(bias).reinterpretAsInts();
            sums = sums.add(y);
            highs = highs.add(y.lanewise(VectorOperators.ASHR, 16));
        }
        for (int bound = to - STEP; c <= bound; c += STEP, splits++) {
            IntVector y = widen(w, m + c - from).mul(ShortVector.fromArray(SHORTS, xw, c)).add(bias)
                    .reinterpretAsInts();
            sums = sums.add(y);
            highs = highs.add(y.lanewise(VectorOperators.ASHR, 16));
        }
        int sum = sums.sub(highs.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD)
                - SPLIT_RESIDUE * (splits * INTS.length());
        for (; c < to; c++) {
            sum += w.get(ValueLayout.JAVA_BYTE, m + c - from) * xw[c];
        }
        return sum;
    }

    @Override
    public void rowSums(MemorySegment weights, long weightsOffset, int rows, int cols, int[] sums) {
        ShortVector bias = splitBias();
        for (int r = 0; r < rows; r++) {
            long offset = weightsOffset + (long) r * cols;
            IntVector rowSums = IntVector.zero(INTS);
            IntVector highs = IntVector.zero(INTS);
            int c = 0;
            for (int bound = BYTES_HALF.loopBound(cols); c < bound; c += STEP) {
                IntVector y = widen(weights, offset + c).add(bias).reinterpretAsInts();
                rowSums = rowSums.add(y);
                highs = highs.add(y.lanewise(VectorOperators.ASHR, 16));
            }
            int sum = rowSums.sub(highs.mul(HIGH_WEIGHT)).reduceLanes(VectorOperators.ADD)
                    - SPLIT_RESIDUE * (c / STEP * INTS.length());
            for (; c < cols; c++) {
                sum += weights.get(ValueLayout.JAVA_BYTE, offset + c);
            }
            sums[r] = sum;
        }
    }
}
