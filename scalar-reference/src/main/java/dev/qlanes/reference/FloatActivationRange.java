package dev.qlanes.reference;

import dev.qlanes.reference.internal.Check;

/**
 * The clamp that TFLite's float kernels (FULLY_CONNECTED, ADD, MUL) apply for a fused activation: the bounds of
 * {@code CalculateActivationRange<float>} ({@code kernel_util.h}) and the clamp of
 * {@code ActivationFunctionWithMinMax} ({@code internal/common.h}), {@code std::min(std::max(x, min), max)}.
 *
 * <p>This is not {@link FusedActivation#apply(float)}, which is the hybrid FULLY_CONNECTED's
 * {@code std::max(0, x)} form. Two consequences of the float kernels' form, both unlike what a Java reader
 * might expect:
 * <ul>
 *   <li>NONE is a clamp to {@code [-FLT_MAX, FLT_MAX]} ({@code numeric_limits<float>::lowest()} and
 *       {@code max()}), so {@code ±Infinity} becomes {@code ±Float.MAX_VALUE}; RELU's upper bound is
 *       {@code FLT_MAX} too, so {@code +Infinity} becomes {@code Float.MAX_VALUE}.</li>
 *   <li>{@code std::max(x, min) = (x < min) ? min : x} and {@code std::min(x, max) = (max < x) ? max : x} return
 *       {@code x} when it is NaN, so NaN passes through every activation, and {@code -0.0f} passes RELU and
 *       RELU6 unchanged ({@code -0.0f < 0.0f} is false).</li>
 * </ul>
 *
 * @param min the lower bound: {@code -FLT_MAX} (NONE), 0 (RELU, RELU6) or -1 (RELU_N1_TO_1)
 * @param max the upper bound: {@code FLT_MAX} (NONE, RELU), 6 (RELU6) or 1 (RELU_N1_TO_1)
 */
public record FloatActivationRange(float min, float max) {
    // One instance per activation, so that the operations using them allocate nothing per call.
    private static final FloatActivationRange NONE = new FloatActivationRange(-Float.MAX_VALUE, Float.MAX_VALUE);
    private static final FloatActivationRange RELU = new FloatActivationRange(0.0f, Float.MAX_VALUE);
    private static final FloatActivationRange RELU_N1_TO_1 = new FloatActivationRange(-1.0f, 1.0f);
    private static final FloatActivationRange RELU6 = new FloatActivationRange(0.0f, 6.0f);

    /** {@code CalculateActivationRange<float>(activation)}. */
    public static FloatActivationRange of(FusedActivation activation) {
        Check.notNull("activation", activation);
        return switch (activation) {
            case NONE -> NONE;
            case RELU -> RELU;
            case RELU_N1_TO_1 -> RELU_N1_TO_1;
            case RELU6 -> RELU6;
        };
    }

    /** {@code ActivationFunctionWithMinMax(x, min, max) = std::min(std::max(x, min), max)}, NaN passing through. */
    public float apply(float x) {
        return CppMath.stdMin(CppMath.stdMax(x, min), max);
    }
}
