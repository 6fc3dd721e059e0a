package dev.qlanes.jmh;

import dev.qlanes.HybridFullyConnected;
import dev.qlanes.PreparedWeights;
import dev.qlanes.QuantizedFullyConnected;
import dev.qlanes.internal.DotRows;
import dev.qlanes.internal.Int8RowKernel;
import dev.qlanes.internal.KernelProvider;
import dev.qlanes.internal.LayerKernels;
import dev.qlanes.internal.vector.VectorFloatQuantizer;
import dev.qlanes.internal.vector.VectorShapes;
import dev.qlanes.reference.InputQuantizer;
import dev.qlanes.reference.QuantizedFullyConnectedParameters;
import dev.qlanes.reference.Rounding;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Small layers at batch 1 (the shapes of MLPerf Tiny's ToyCar autoencoder: 640 → 128 → 128 → 8 → 128 → 640), where a
 * call's fixed costs weigh most: the hybrid and int8 layers (heap weights, one thread, as {@link LayerBenchmark})
 * beside {@link #dotProducts}, the exact int8 dot products of the same weights and a pre-widened activation row and
 * nothing else, which every call of either layer must do (or, for an int8 layer with a single-row kernel, the
 * faster {@link #int8RowDots}). A layer's time minus that floor is its per-call overhead: input quantization (hybrid),
 * widening, bias and requantization (or scaling), validation, workspace and dispatch.
 *
 * <p>{@link #hybridInputFloor} is less input work than any exact hybrid call does, and {@link #hybridFloor} less than
 * any does in all (that input work, the dot products, one multiply per output), so {@code (floor - dots) / floor} is
 * the smallest overhead a hybrid layer can have. {@link #quantizedOutputFloor} does the same for the int8 layer's general
 * path: less than it does with these per-channel parameters in all (the input widened, the dot products, an
 * output stage short of the exact one), so {@code (floor - dots) / floor} is the smallest overhead an int8 layer can
 * have on its general path; a layer with a single-row kernel ({@code LayerKernels.int8Row}: a few outputs) skips the
 * widening and the array of dot products, so it may beat that floor. {@link #int8RowDots} is the dot products as the
 * int8 layer computes them at batch 1: its single-row kernel's where it has one. {@link #quantizedExactStage} is the
 * int8 layer less its call: its single-row kernel, or the input widened, the dot products and the layers' own exact
 * output stage; bit for bit the layer's output, with no checks, workspace or dispatch; it tells the output stage's
 * share of the overhead from the call's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class SmallLayerBenchmark {

    // Fallback for a bare JMH command line: the registry's cases (kernel-cases.txt), BenchmarkParamsTest.
    @Param({"1x128x640", "1x128x128", "1x8x128", "1x128x8", "1x640x128"})
    String smallShape;

    /** Floats per vector at the kernels' width, as the layers use. */
    private static final VectorSpecies<Float> FLOATS = GemmFloorBenchmark.FLOATS;
    /** One byte per float lane: the quantized values of one float vector. */
    private static final VectorSpecies<Byte> BYTES_QUARTER = GemmFloorBenchmark.BYTES_QUARTER;
    /** Ints, longs and the bytes of one int vector at the kernels' width, as the int8 layers use. */
    private static final VectorSpecies<Integer> INTS = VectorShapes.INTS;
    private static final VectorSpecies<Long> LONGS = VectorShapes.LONGS;
    private static final VectorSpecies<Byte> BYTES_FOR_INTS = VectorShapes.BYTES_FOR_INTS;
    /** Half of the floor's Q31 shift: round half up, the least rounding an exact requantization has to do. */
    static final long FLOOR_ROUNDING = 1L << 30;

    private HybridFullyConnected hybrid;
    private byte[] quantizedInput;
    private final float[] rowScale = new float[1];
    private final float[] extremes = new float[2];
    private QuantizedFullyConnected quantized;
    private float[] floatInput;
    private float[] floatOutput;
    /** The weights' per-channel scales, which {@link #hybridFloor} multiplies each dot product by. */
    private float[] weightScales;
    private byte[] int8Input;
    private byte[] int8Output;
    /** The layers' own loops for these weights ({@code LayerKernels.rows}): short rows take the transposed kernel. */
    private DotRows loops;
    /** {@link #int8Input} widened; {@link #quantizedOutputFloor} widens it again into the same array, same values. */
    private short[] widened;
    private int[] dots;
    private int rows;
    /** The int8 layer's output stage and its parameters, for {@link #quantizedExactStage}. */
    private LayerKernels stage;
    private int[] effectiveBias;
    private int[] multipliers;
    private int[] shifts;
    /** {@code max(0, -shift)} per channel: the right shifts {@link #quantizedOutputFloor} rounds at. */
    private int[] rightShifts;
    private int outputOffset;
    /**
     * The int8 layer's single-row kernel for these weights and parameters ({@code LayerKernels.int8Row}, as the layer
     * builds it), or null where the layer has none and takes the general path.
     */
    private Int8RowKernel rowKernel;

    @Setup
    public void setUp() {
        Shape s = Shape.parse(smallShape);
        LayerData data = new LayerData(s);
        PreparedWeights weights = PreparedWeights.perChannel(data.weights, s.rows(), s.cols(), data.scales);
        hybrid = LayerData.hybrid(weights, data.bias).build();
        quantized = LayerData.quantized(weights).build();
        floatInput = data.floatInput;
        floatOutput = new float[s.rows()];
        weightScales = data.scales;
        int8Input = data.int8Input;
        int8Output = new byte[s.rows()];
        rows = s.rows();
        stage = KernelProvider.layerKernels(); // the layers' choice, for their loops and their output stage
        loops = stage.rows(data.weights, 0, s.rows(), s.cols());
        widened = new short[s.cols()];
        loops.widen(int8Input, 0, widened);
        dots = new int[s.rows()];
        quantizedInput = new byte[s.cols()];
        QuantizedFullyConnectedParameters parameters = quantized.parameters();
        multipliers = parameters.multipliers(); // copies: taken once here, not in the timed call
        shifts = parameters.shifts();
        rightShifts = new int[rows];
        for (int r = 0; r < rows; r++) {
            rightShifts[r] = Math.max(0, -shifts[r]);
        }
        outputOffset = parameters.outputOffset();
        effectiveBias = new int[rows]; // no bias: the input offset times each row's sum, as the layer folds it
        loops.rowSums(effectiveBias);
        for (int r = 0; r < rows; r++) {
            effectiveBias[r] *= parameters.inputOffset();
        }

        rowKernel = stage.int8Row(weights.asSegment(), rows, s.cols(), effectiveBias,
                multipliers, shifts, parameters.perChannel(), outputOffset, parameters.activationMin(),
                parameters.activationMax());
        if (rowKernel != null) {
            int[] kernelDots = new int[rows];
            rowKernel.dots(int8Input, 0, kernelDots);
            Checks.equal("single-row kernel dots " + s, Checks.referenceDots(data.weights, s.rows(), s.cols(),
                    int8Input, 1), kernelDots);
        }

        byte[] staged = new byte[rows];
        Arrays.fill(staged, (byte) 0x5A); // a stage that wrote nothing would leave this
        exactStage(loops, stage, int8Input, new short[s.cols()], new int[rows], rows, effectiveBias, multipliers,
                shifts, outputOffset, staged);
        Checks.equal("general exact stage " + s, data.expectedQuantized(), staged);
        if (rowKernel != null) {
            Arrays.fill(staged, (byte) 0x5A);
            rowKernel.apply(int8Input, 0, staged, 0);
            Checks.equal("single-row kernel " + s, data.expectedQuantized(), staged);
        }
        hybrid.eval(floatInput, 1, floatOutput);
        Checks.sameBits("HybridFullyConnected " + s, data.expectedHybrid(), floatOutput);
        quantized.eval(int8Input, 1, int8Output);
        Checks.equal("QuantizedFullyConnected " + s, data.expectedQuantized(), int8Output);
        loops.dots(0, rows, widened, dots, 0);
        Checks.equal("dot products " + s, Checks.referenceDots(data.weights, s.rows(), s.cols(), int8Input, 1), dots);
    }

    @Benchmark
    public float[] hybridLayer() {
        hybrid.eval(floatInput, 1, floatOutput);
        return floatOutput;
    }

    @Benchmark
    public byte[] quantizedLayer() {
        quantized.eval(int8Input, 1, int8Output);
        return int8Output;
    }

    @Benchmark
    public int[] dotProducts() {
        loops.dots(0, rows, widened, dots, 0);
        return dots;
    }

    /**
     * The dot products as the int8 layer computes them at batch 1: its single-row kernel's, from the int8 row, where
     * the layer has one; elsewhere {@link #dotProducts}' loops over the pre-widened row.
     */
    @Benchmark
    public int[] int8RowDots() {
        if (rowKernel != null) {
            rowKernel.dots(int8Input, 0, dots);
        } else {
            loops.dots(0, rows, widened, dots, 0);
        }
        return dots;
    }

    @Benchmark
    public byte[] quantizedExactStage() {
        if (rowKernel != null) {
            rowKernel.apply(int8Input, 0, int8Output, 0);
        } else {
            exactStage(loops, stage, int8Input, widened, dots, rows, effectiveBias, multipliers, shifts, outputOffset,
                    int8Output);
        }
        return int8Output;
    }

    @Benchmark
    public byte[] hybridInputFloor() {
        rowScale[0] = inputFloor(floatInput, floatInput.length, quantizedInput, extremes);
        return quantizedInput;
    }

    @Benchmark
    public float[] hybridFloor() {
        hybridWholeFloor(loops, floatInput, quantizedInput, extremes, widened, dots, rows, weightScales, floatOutput);
        return floatOutput;
    }

    @Benchmark
    public byte[] quantizedOutputFloor() {
        outputFloor(loops, int8Input, widened, dots, rows, effectiveBias, multipliers, rightShifts, outputOffset,
                int8Output);
        return int8Output;
    }

    /**
     * Less than the int8 layer's general path does with per-channel parameters: the input row widened ({@code xw}, scratch of
     * {@code cols}), the dot products ({@code dots}, scratch of {@code rows}), then per output the folded bias
     * ({@code bias}: the input offset times the row's weight sum, which this layer's nonzero input zero point makes
     * every exact call add), a 64-bit multiply by the channel's Q31 multiplier ({@code multipliers}), a rounding
     * constant and a shift by 31, then a rounding constant and an arithmetic shift by the channel's right shift
     * ({@code rights}, {@code max(0, -shift)}), the zero point, clamp to int8 and narrowing:
     * {@code t = (int) (((dot_r + bias_r) · M_r + 2^30) >> 31)},
     * {@code out[r] = clamp(((t + (2^right_r >> 1)) >> right_r) + zeroPoint)}. The first rounding is TFLite's own
     * ({@code SRDHM} rounds ties up: docs/semantics.md); the second rounds ties up where TFLite's {@code RDBPOT}
     * rounds them away from zero. Left out: that sign correction, the left shift of positive shifts, {@code SRDHM}'s
     * saturation (unreachable with a positive multiplier), validation, workspace and dispatch. An int vector at a
     * time: one half of it widened to 64-bit lanes when only that half is live, else both halves as lane pairs in
     * place (the requantizer's form), shifted logically by 31 where only the low 32 bits are kept (one instruction on
     * AVX2, as in the requantizer). Whole vectors load and store unmasked, as the layers do; a partial last one is masked where
     * masked byte stores are instructions ({@code VectorShapes.MASKED_TAILS}), else narrowed one by one, so that no
     * width pays for an emulated store.
     */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE) // compiled on its own, like a library call
    static void outputFloor(DotRows loops, byte[] x, short[] xw, int[] dots, int rows, int[] bias, int[] multipliers,
            int[] rights, int zeroPoint, byte[] out) {
        loops.widen(x, 0, xw);
        loops.dots(0, rows, xw, dots, 0);
        IntVector one = IntVector.broadcast(INTS, 1);
        for (int i = 0; i < rows; i += INTS.length()) {
            boolean whole = i + INTS.length() <= rows;
            VectorMask<Integer> live = INTS.indexInRange(i, rows);
            IntVector acc = whole ? IntVector.fromArray(INTS, dots, i).add(IntVector.fromArray(INTS, bias, i))
                    : IntVector.fromArray(INTS, dots, i, live).add(IntVector.fromArray(INTS, bias, i, live));
            IntVector m = whole ? IntVector.fromArray(INTS, multipliers, i)
                    : IntVector.fromArray(INTS, multipliers, i, live);
            IntVector right = whole ? IntVector.fromArray(INTS, rights, i) : IntVector.fromArray(INTS, rights, i, live);
            IntVector t;
            if (rows - i <= LONGS.length()) { // one half live: widen it, the least work
                t = (IntVector) ((LongVector) acc.convert(VectorOperators.I2L, 0))
                        .mul((LongVector) m.convert(VectorOperators.I2L, 0)).add(FLOOR_ROUNDING)
                        .lanewise(VectorOperators.LSHR, 31).convert(VectorOperators.L2I, 0);
            } else { // both halves: lane pairs in place, as the requantizer does (cheaper than convert part 1)
                LongVector pairs = acc.reinterpretAsLongs();
                LongVector m64 = m.reinterpretAsLongs(); // multipliers are positive: zero-extending sign-extends
                LongVector even = pairs.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.ASHR, 32)
                        .mul(m64.and(0xFFFF_FFFFL)).add(FLOOR_ROUNDING).lanewise(VectorOperators.LSHR, 31);
                LongVector odd = pairs.lanewise(VectorOperators.ASHR, 32).mul(m64.lanewise(VectorOperators.LSHR, 32))
                        .add(FLOOR_ROUNDING).lanewise(VectorOperators.LSHR, 31);
                t = odd.lanewise(VectorOperators.LSHL, 32).or(even.and(0xFFFF_FFFFL)).reinterpretAsInts();
            }
            IntVector y = t.add(one.lanewise(VectorOperators.LSHL, right).lanewise(VectorOperators.ASHR, 1))
                    .lanewise(VectorOperators.ASHR, right).add(zeroPoint).max(Byte.MIN_VALUE).min(Byte.MAX_VALUE);
            ByteVector narrowed = (ByteVector) y.convertShape(VectorOperators.I2B, BYTES_FOR_INTS, 0);
            if (whole && BYTES_FOR_INTS.length() == INTS.length()) {
                narrowed.intoArray(out, i);
            } else if (VectorShapes.MASKED_TAILS) {
                narrowed.intoArray(out, i, BYTES_FOR_INTS.indexInRange(i, rows));
            } else { // through the dots' own lanes, one by one, as the layers' output stage does
                y.intoArray(dots, i, live);
                for (int j = i, end = Math.min(rows, i + INTS.length()); j < end; j++) {
                    out[j] = (byte) dots[j];
                }
            }
        }
    }

    /**
     * The int8 layer at batch 1 less its call: the input row widened ({@code xw}), the dot products ({@code dots}),
     * then the layers' exact output stage ({@code LayerKernels.requantize}: bias, double rounding, zero point, clamp,
     * narrowing) with the layer's per-channel multipliers, shifts, output offset and {@code effectiveBias}, no
     * activation (the full int8 range).
     */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE) // compiled on its own, like a library call
    static void exactStage(DotRows loops, LayerKernels stage, byte[] x, short[] xw, int[] dots, int rows,
            int[] effectiveBias, int[] multipliers, int[] shifts, int outputOffset, byte[] out) {
        loops.widen(x, 0, xw);
        loops.dots(0, rows, xw, dots, 0);
        stage.requantize(dots, 0, rows, 0, effectiveBias, multipliers, shifts, true, outputOffset, Byte.MIN_VALUE,
                Byte.MAX_VALUE, Rounding.DOUBLE_ROUNDING, out, 0);
    }

    /**
     * Less than any exact asymmetric row quantization (docs/semantics.md §2.2) does: the layers' own min/max scan
     * ({@code VectorFloatQuantizer.minMax}, on integer keys), the row's scale and zero point with TFLite's double
     * divisions, then one multiply, add, conversion and narrowing per value, without the rounding rule or NaN
     * handling. {@code extremes} is scratch for the scan, two floats. Returns the scale.
     */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE) // compiled on its own, like a library call
    static float inputFloor(float[] x, int n, byte[] out, float[] extremes) {
        return looseQuantization(x, n, out, extremes);
    }

    /**
     * Less than any exact hybrid call does in all: {@link #inputFloor}'s quantization of the row {@code x} into
     * {@code q}, those bytes widened ({@code xw}), the dot products ({@code dots}), then per output one conversion to
     * float and one multiply by the weights' scale ({@code scales}), stored. No zero-point term, no bias, no product of
     * the row's scale with the weights', no rounding rule, validation, workspace or dispatch. {@code (floor - dots) /
     * floor} is the least overhead a hybrid layer can have: unlike the input floor alone, it counts the outputs too,
     * which decide the 8→128 layer.
     */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE) // compiled on its own, like a library call
    static void hybridWholeFloor(DotRows loops, float[] x, byte[] q, float[] extremes, short[] xw, int[] dots, int rows,
            float[] scales, float[] out) {
        looseQuantization(x, x.length, q, extremes);
        loops.widen(q, 0, xw);
        loops.dots(0, rows, xw, dots, 0);
        int r = 0;
        for (int bound = FLOATS.loopBound(rows); r < bound; r += FLOATS.length()) {
            ((FloatVector) IntVector.fromArray(INTS, dots, r).convert(VectorOperators.I2F, 0))
                    .mul(FloatVector.fromArray(FLOATS, scales, r)).intoArray(out, r);
        }
        for (; r < rows; r++) {
            out[r] = dots[r] * scales[r];
        }
    }

    /** The body of {@link #inputFloor}, inlined into both floors (it passes no vector). */
    private static float looseQuantization(float[] x, int n, byte[] out, float[] extremes) {
        VectorFloatQuantizer.minMax(x, 0, n, extremes);
        double rmin = InputQuantizer.asymmetricRangeMin(extremes[0]);
        double rmax = InputQuantizer.asymmetricRangeMax(extremes[1]);
        double scale = InputQuantizer.asymmetricScale(rmin, rmax);
        float zero = InputQuantizer.asymmetricZeroPoint(rmin, rmax, scale);
        float inverse = InputQuantizer.asymmetricInverse((float) scale);
        int bound = FLOATS.loopBound(n);
        for (int i = 0; i < bound; i += FLOATS.length()) {
            ((ByteVector) FloatVector.fromArray(FLOATS, x, i).mul(inverse).add(zero)
                    .convertShape(VectorOperators.F2B, BYTES_QUARTER, 0)).intoArray(out, i);
        }
        for (int i = bound; i < n; i++) {
            out[i] = (byte) (int) (x[i] * inverse + zero);
        }
        return (float) scale;
    }
}
