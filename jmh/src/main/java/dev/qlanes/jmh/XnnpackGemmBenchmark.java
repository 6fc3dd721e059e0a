package dev.qlanes.jmh;

import dev.qlanes.HybridFullyConnected;
import dev.qlanes.PreparedWeights;
import dev.qlanes.QuantizedFullyConnected;
import dev.qlanes.jmh.peers.OutputMismatch;
import dev.qlanes.jmh.peers.Xnnpack;
import dev.qlanes.jmh.peers.XnnpackFullyConnected;
import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.ReferenceFloatFullyConnected;
import dev.qlanes.reference.ReferenceHybridFullyConnected;
import dev.qlanes.reference.ReferenceQuantizedFullyConnected;
import dev.qlanes.reference.Rounding;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole int8 FULLY_CONNECTED layer, single-threaded, in qlanes and in XNNPACK (Debian's {@code libxnnpack0} through
 * FFM, {@link XnnpackFullyConnected}) on the same operands: qlanes' {@link QuantizedFullyConnected} (int8 in/out) and
 * {@link HybridFullyConnected} (float in/out, inputs quantized per row), XNNPACK's {@code fully_connected_nc_qs8}
 * (int8 in/out) and {@code fully_connected_nc_f32} (the float layer on the dequantized weights). Weights are
 * per-tensor, since this XNNPACK has no per-channel fully-connected operator.
 *
 * <p>qlanes' outputs are checked bit for bit against the reference twins in {@code @Setup}. XNNPACK is not exact
 * (it requantizes in float with round-half-to-even, and sums floats in its own order with FMA): its {@code @Setup}
 * counts how many outputs differ from TFLite's reference ({@link ReferenceQuantizedFullyConnected}, fixed point with
 * double rounding; {@link ReferenceFloatFullyConnected}) and by how much, prints that, and fails only beyond a bound
 * that a wrong binding would break ({@link #QS8_MAX_DIFFERENCE}, {@link #F32_MAX_RELATIVE_DIFFERENCE}).
 * {@link XnnpackMismatchTable} prints the same numbers for every shape without timing anything.
 *
 * <p>XNNPACK's benchmarks run on their own native buffers, filled once: a call is one {@code xnn_run_operator}. Where
 * XNNPACK is not installed they fail in {@code @Setup} with the reason (JMH goes on with the others), as the
 * native anchor does without a C compiler.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class XnnpackGemmBenchmark {

    /** XNNPACK's float requantization and TFLite's fixed point each land within one step of the exact value. */
    static final int QS8_MAX_DIFFERENCE = 1;
    /** Float GEMMs in another order differ by rounding only: far below this, relative to the largest output. */
    static final double F32_MAX_RELATIVE_DIFFERENCE = 1e-4;

    /** The int8 layer's input and output quantization: a zero point on each side, as a real model has. */
    static final float INPUT_SCALE = 0.05f;
    static final int INPUT_ZERO_POINT = -3;
    static final float OUTPUT_SCALE = 0.5f;
    static final int OUTPUT_ZERO_POINT = 2;
    /**
     * A uniform int8 input times uniform int8 weights sums to a standard deviation of about {@code 74·73·√cols}; the
     * effective scale {@code 1/(TARGET_SPREAD·√cols)} maps that to about ±43 steps, so that the outputs use the int8
     * range without saturating often (saturated outputs would hide requantization differences).
     */
    static final double TARGET_SPREAD = 128.0;
    /** int32 bias of the int8 layer: uniform in {@code ±BIAS_RANGE}, a few output steps either way. */
    static final int BIAS_RANGE = 1 << 16;

    /** The operands every implementation shares; what each one must return is computed by whoever needs it. */
    @State(Scope.Benchmark)
    public static class Operands {
        @Param({"1x1024x1024", "16x1024x1024", "64x1024x1024", "256x1024x1024", "1x4096x1024", "16x4096x1024",
                "64x4096x1024"})
        String fcShape;

        int batch;
        int rows;
        int cols;
        /** {@code [rows × cols]}, symmetric, one scale. */
        byte[] weights;
        float weightScale;
        int[] int32Bias;
        float[] floatBias;
        /** {@code [batch × cols]}. */
        byte[] int8Input;
        /** {@code [batch × cols]}. */
        float[] floatInput;

        @Setup
        public void setUp() {
            Shape s = Shape.parse(fcShape);
            batch = s.batch();
            rows = s.rows();
            cols = s.cols();
            SplittableRandom random = new SplittableRandom(Data.SEED);
            weights = Data.weights(random, rows * cols);
            weightScale = (float) (OUTPUT_SCALE / INPUT_SCALE / (TARGET_SPREAD * Math.sqrt(cols)));
            int32Bias = new int[rows];
            for (int r = 0; r < rows; r++) {
                int32Bias[r] = random.nextInt(-BIAS_RANGE, BIAS_RANGE + 1);
            }
            floatBias = Data.floats(random, rows, 0.1);
            int8Input = Data.int8(random, batch * cols);
            floatInput = Data.floats(random, batch * cols, 1.0);
        }

        PreparedWeights preparedWeights() {
            return PreparedWeights.perTensor(weights, rows, cols, weightScale);
        }

        /** TFLite's int8 FULLY_CONNECTED (reference kernel, TFLite's default double rounding). */
        byte[] expectedInt8() {
            byte[] out = new byte[batch * rows];
            ReferenceQuantizedFullyConnected.eval(int8Input, batch, cols, INPUT_SCALE, INPUT_ZERO_POINT, weights,
                    rows, weightScale, null, int32Bias, OUTPUT_SCALE, OUTPUT_ZERO_POINT, FusedActivation.NONE,
                    Rounding.DOUBLE_ROUNDING, out);
            return out;
        }

        /** TFLite's hybrid FULLY_CONNECTED, asymmetric inputs. */
        float[] expectedHybrid() {
            float[] out = new float[batch * rows];
            ReferenceHybridFullyConnected.eval(floatInput, batch, cols, weights, rows, weightScale, null, floatBias,
                    true, FusedActivation.NONE, out);
            return out;
        }

        /** The float weights the float layer runs on: each int8 weight times the scale. */
        float[] dequantizedWeights() {
            float[] w = new float[weights.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = weights[i] * weightScale;
            }
            return w;
        }

        /** TFLite's float FULLY_CONNECTED (reference kernel) on the dequantized weights. */
        float[] expectedFloat(float[] dequantized) {
            float[] out = new float[batch * rows];
            ReferenceFloatFullyConnected.eval(floatInput, batch, cols, dequantized, rows, floatBias,
                    FusedActivation.NONE, out);
            return out;
        }
    }

    /** qlanes' int8 layer on one thread. */
    @State(Scope.Benchmark)
    public static class QlanesFullInteger {
        QuantizedFullyConnected layer;
        byte[] output;

        @Setup
        public void setUp(Operands o) {
            layer = QuantizedFullyConnected.builder(o.preparedWeights()).input(INPUT_SCALE, INPUT_ZERO_POINT)
                    .output(OUTPUT_SCALE, OUTPUT_ZERO_POINT).bias(o.int32Bias).parallelism(1).build();
            output = new byte[o.batch * o.rows];
            check(o);
        }

        /** Throws {@link IllegalStateException} unless the layer's output equals the reference. */
        void check(Operands o) {
            layer.eval(o.int8Input, o.batch, output);
            Checks.equal("qlanes QuantizedFullyConnected " + o.fcShape, o.expectedInt8(), output);
        }
    }

    @Benchmark
    public byte[] qlanesFullInteger(Operands o, QlanesFullInteger q) {
        q.layer.eval(o.int8Input, o.batch, q.output);
        return q.output;
    }

    /** qlanes' hybrid layer on one thread, asymmetric inputs, workspaces sized for the batch. */
    @State(Scope.Benchmark)
    public static class QlanesHybrid {
        HybridFullyConnected layer;
        float[] output;

        @Setup
        public void setUp(Operands o) {
            layer = HybridFullyConnected.builder(o.preparedWeights()).bias(o.floatBias).asymmetricInputs(true)
                    .activation(FusedActivation.NONE).parallelism(1).expectedBatch(o.batch).build();
            output = new float[o.batch * o.rows];
            check(o);
        }

        /** Throws {@link IllegalStateException} unless the layer's output equals the reference by raw bits. */
        void check(Operands o) {
            layer.eval(o.floatInput, o.batch, output);
            Checks.sameBits("qlanes HybridFullyConnected " + o.fcShape, o.expectedHybrid(), output);
        }
    }

    @Benchmark
    public float[] qlanesHybrid(Operands o, QlanesHybrid q) {
        q.layer.eval(o.floatInput, o.batch, q.output);
        return q.output;
    }

    /** XNNPACK's int8 operator, input written once; its distance from TFLite's reference in {@link #mismatch}. */
    @State(Scope.Benchmark)
    public static class XnnpackQs8 {
        XnnpackFullyConnected op;
        OutputMismatch mismatch;

        @Setup
        public void setUp(Operands o) {
            requireXnnpack();
            op = XnnpackFullyConnected.qs8(o.weights, o.rows, o.cols, o.int32Bias, INPUT_SCALE, INPUT_ZERO_POINT,
                    o.weightScale, OUTPUT_SCALE, OUTPUT_ZERO_POINT, o.batch);
            byte[] out = new byte[o.batch * o.rows];
            op.run(o.int8Input, out);
            mismatch = OutputMismatch.of(o.expectedInt8(), out);
            System.out.println("[xnnpack] qs8 " + o.fcShape + " vs TFLite reference (fixed point, double rounding): "
                    + mismatch);
            if (mismatch.largestDifference() > QS8_MAX_DIFFERENCE) {
                throw new IllegalStateException("XNNPACK qs8 " + o.fcShape + " is further from the reference than "
                        + "requantization explains (> " + QS8_MAX_DIFFERENCE + "): " + mismatch);
            }
        }

        @TearDown
        public void tearDown() {
            op.close();
        }
    }

    @Benchmark
    public MemorySegment xnnpackQs8(XnnpackQs8 x) {
        x.op.run();
        return x.op.output();
    }

    /** XNNPACK's float operator on the dequantized weights, input written once. */
    @State(Scope.Benchmark)
    public static class XnnpackF32 {
        XnnpackFullyConnected op;
        OutputMismatch mismatch;

        @Setup
        public void setUp(Operands o) {
            requireXnnpack();
            float[] w = o.dequantizedWeights();
            op = XnnpackFullyConnected.f32(w, o.rows, o.cols, o.floatBias, o.batch);
            float[] out = new float[o.batch * o.rows];
            op.run(o.floatInput, out);
            float[] expected = o.expectedFloat(w);
            mismatch = OutputMismatch.of(expected, out);
            System.out.println("[xnnpack] f32 " + o.fcShape + " vs TFLite reference loop: " + mismatch);
            double bound = F32_MAX_RELATIVE_DIFFERENCE * largestMagnitude(expected);
            if (!(mismatch.largestDifference() <= bound)) {
                throw new IllegalStateException("XNNPACK f32 " + o.fcShape + " is further from the reference than "
                        + "summation order explains (> " + bound + "): " + mismatch);
            }
        }

        @TearDown
        public void tearDown() {
            op.close();
        }
    }

    @Benchmark
    public MemorySegment xnnpackF32(XnnpackF32 x) {
        x.op.run();
        return x.op.output();
    }

    static void requireXnnpack() {
        if (!Xnnpack.available()) {
            throw new IllegalStateException("XNNPACK peer skipped: " + Xnnpack.unavailableReason());
        }
    }

    static double largestMagnitude(float[] a) {
        double m = 0;
        for (float f : a) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }
}
