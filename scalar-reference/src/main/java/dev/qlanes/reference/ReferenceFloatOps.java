package dev.qlanes.reference;

import dev.qlanes.reference.internal.Check;

/**
 * TFLite's float32 element-wise operators as {@code BuiltinRefOpResolver} registers them (the
 * {@code kReference} kernels, or the only kernel where the operator has no reference variant), for a
 * graph runner that must reproduce TFLite's reference interpreter: RELU, RELU_N1_TO_1, RELU6, LOGISTIC, TANH,
 * SOFTMAX, ADD and MUL. Each method names the TFLite function it mirrors. All arithmetic is IEEE float32 in
 * the order the C++ evaluates it (Java float arithmetic is strict IEEE, as x86-64 SSE is), without FMA.
 *
 * <p>The three RELUs are all clamps, but not the same clamp: TFLite implements each with a different
 * expression, and they disagree on NaN and {@code -0.0f} (see each method). LOGISTIC, TANH and SOFTMAX
 * call {@code expf}/{@code tanhf}; here those are {@link CppMath#expf} and {@link CppMath#tanhf}, nearly
 * correctly rounded, which glibc's are not: LOGISTIC and SOFTMAX can differ from a glibc build in the last bit
 * on about one element in 10 000, TANH on a few percent of inputs below 1 in magnitude. These three operators
 * are the only ones in this class that are not bit-exact by construction.
 *
 * <p>Arguments are validated before anything is written. Unary operators and softmax may write in place
 * ({@code out == in}); ADD and MUL may write into an input that is not broadcast.
 */
public final class ReferenceFloatOps {
    private ReferenceFloatOps() {}

    /** {@code reference_ops::Logistic<float>} clamps its argument to this magnitude before {@code expf}. */
    private static final float LOGISTIC_INPUT_LIMIT = 100.0f;

    /**
     * RELU: {@code out[i] = (in[i] < 0) ? 0 : in[i]}. TFLite's {@code Register_RELU} has no reference variant;
     * its float path is {@code optimized_ops::Relu}, Eigen's {@code cwiseMax(0.0f)}, which on x86 (SSE/AVX
     * {@code maxps} with the operands ordered as {@code std::max}) keeps NaN and {@code -0.0f} as they are.
     * (ARM NEON's {@code fmax} would turn {@code -0.0f} into {@code +0.0f}.)
     *
     * @param n number of elements, {@code >= 0}
     */
    public static void relu(float[] in, float[] out, int n) {
        unary(in, out, n);
        for (int i = 0; i < n; i++) {
            float x = in[i];
            out[i] = x < 0.0f ? 0.0f : x;
        }
    }

    /**
     * RELU_N1_TO_1: {@code out[i] = in[i] > 1 ? 1 : in[i] < -1 ? -1 : in[i]} ({@code reference_ops::Relu1},
     * which {@code optimized_ops} re-exports): NaN and {@code -0.0f} pass through.
     */
    public static void reluN1To1(float[] in, float[] out, int n) {
        unary(in, out, n);
        for (int i = 0; i < n; i++) {
            float x = in[i];
            out[i] = x > 1.0f ? 1.0f : x < -1.0f ? -1.0f : x;
        }
    }

    /**
     * RELU6: {@code out[i] = std::min(std::max(0.f, in[i]), 6.f)}, the loop written inline in TFLite's
     * {@code Relu6Eval}. With the constant first, {@code std::max(0.f, x) = (0 < x) ? x : 0}, so NaN becomes
     * {@code 0.0f} and {@code -0.0f} becomes {@code +0.0f}, unlike {@link #relu} and {@link #reluN1To1}.
     */
    public static void relu6(float[] in, float[] out, int n) {
        unary(in, out, n);
        for (int i = 0; i < n; i++) {
            out[i] = CppMath.stdMin(CppMath.stdMax(0.0f, in[i]), 6.0f);
        }
    }

    /**
     * LOGISTIC ({@code reference_ops::Logistic<float>}, what {@code Register_LOGISTIC_REF} runs):
     * {@code c = isnan(x) ? x : std::max(-100.f, std::min(100.f, x))}, then
     * {@code out = 1.0f / (1.0f + expf(-c))} in float. So {@code -Inf → 0}, {@code +Inf → 1}, NaN → NaN, and
     * inputs below about -88.7 give {@code 1 / (1 + Inf) = 0}. The default (optimized) kernel uses Eigen's
     * rational approximation instead and gives other bits.
     */
    public static void logistic(float[] in, float[] out, int n) {
        unary(in, out, n);
        for (int i = 0; i < n; i++) {
            float x = in[i];
            float clamped = Float.isNaN(x) ? x
                    : CppMath.stdMax(-LOGISTIC_INPUT_LIMIT, CppMath.stdMin(LOGISTIC_INPUT_LIMIT, x));
            out[i] = 1.0f / (1.0f + CppMath.expf(-clamped));
        }
    }

    /**
     * TANH ({@code reference_ops::Tanh}, what {@code Register_TANH_REF} runs): {@code out = tanhf(in)},
     * here {@link CppMath#tanhf}. The default (optimized) kernel uses Eigen's approximation instead.
     */
    public static void tanh(float[] in, float[] out, int n) {
        unary(in, out, n);
        for (int i = 0; i < n; i++) {
            out[i] = CppMath.tanhf(in[i]);
        }
    }

    /**
     * SOFTMAX over the last dimension ({@code reference_ops::Softmax} for float, what
     * {@code Register_SOFTMAX_REF} runs), for each of the {@code outer} rows of {@code depth} elements:
     * <ol>
     *   <li>{@code max = -FLT_MAX}, then {@code max = std::max(max, x)} over the row: NaN elements are
     *       skipped, and a row of {@code -Inf} keeps {@code max = -FLT_MAX};</li>
     *   <li>{@code e = expf((x - max) * beta)} in float, stored in {@code out}, and {@code sum += e} in float,
     *       in column order from {@code 0.0f};</li>
     *   <li>{@code out = e / sum}.</li>
     * </ol>
     * Consequences kept as TFLite has them: a NaN or {@code +Inf} element makes the whole row NaN; a row of
     * {@code -Inf} is {@code 0 / 0 = NaN}; {@code beta = 0} gives {@code 1 / depth}.
     *
     * @param outer number of rows (the product of all but the last dimension), {@code >= 0}
     * @param depth size of the last dimension, {@code >= 0}
     * @param out   {@code outer * depth} elements; may be {@code in}
     */
    public static void softmax(float[] in, int outer, int depth, float beta, float[] out) {
        Check.nonNegative("outer", outer);
        Check.nonNegative("depth", depth);
        long n = (long) outer * depth;
        Check.array("in", in, n, "outer * depth");
        Check.array("out", out, n, "outer * depth");
        for (int i = 0; i < outer; i++) {
            int row = i * depth;
            float max = -Float.MAX_VALUE;
            for (int c = 0; c < depth; c++) {
                max = CppMath.stdMax(max, in[row + c]);
            }
            float sum = 0.0f;
            for (int c = 0; c < depth; c++) {
                float e = CppMath.expf((in[row + c] - max) * beta);
                out[row + c] = e;
                sum += e;
            }
            for (int c = 0; c < depth; c++) {
                out[row + c] = out[row + c] / sum;
            }
        }
    }

    /**
     * ADD with broadcasting ({@code reference_ops::Add} for equal shapes, {@code BroadcastAdd6DSlow} otherwise,
     * what {@code Register_ADD_REF} runs): {@code out = act(a + b)} with the float fused activation of
     * {@link FloatActivationRange} (NONE clamps {@code ±Inf} to {@code ±FLT_MAX}; NaN passes).
     * Shapes broadcast NumPy-style, aligned at the last dimension; {@code outShape} must be the broadcast
     * shape (leading 1s may differ), as TFLite's {@code Prepare} makes it.
     *
     * @param shapeA  dimensions of {@code a}, each {@code >= 0}; {@code {}} is a scalar
     * @param outShape the broadcast shape of {@code shapeA} and {@code shapeB}
     * @throws IllegalArgumentException if the shapes do not broadcast or {@code outShape} is not their broadcast
     */
    public static void add(float[] a, int[] shapeA, float[] b, int[] shapeB, float[] out, int[] outShape,
            FusedActivation activation) {
        FloatActivationRange range = binary(a, shapeA, b, shapeB, out, outShape, activation);
        Broadcast.forEach(shapeA, shapeB, outShape, (o, ia, ib) -> out[o] = range.apply(a[ia] + b[ib]));
    }

    /**
     * MUL with broadcasting ({@code reference_ops::Mul} for equal shapes, {@code BroadcastMul6DSlow} otherwise,
     * what {@code Register_MUL_REF} runs): {@code out = act(a * b)}; shapes and activation as in
     * {@link #add}.
     */
    public static void mul(float[] a, int[] shapeA, float[] b, int[] shapeB, float[] out, int[] outShape,
            FusedActivation activation) {
        FloatActivationRange range = binary(a, shapeA, b, shapeB, out, outShape, activation);
        Broadcast.forEach(shapeA, shapeB, outShape, (o, ia, ib) -> out[o] = range.apply(a[ia] * b[ib]));
    }

    private static void unary(float[] in, float[] out, int n) {
        Check.nonNegative("n", n);
        Check.array("in", in, n, "n");
        Check.array("out", out, n, "n");
    }

    private static FloatActivationRange binary(float[] a, int[] shapeA, float[] b, int[] shapeB, float[] out,
            int[] outShape, FusedActivation activation) {
        Broadcast.check("a", Check.notNull("a", a).length, shapeA, "b", Check.notNull("b", b).length, shapeB,
                "out", Check.notNull("out", out).length, outShape);
        return FloatActivationRange.of(activation);
    }
}
