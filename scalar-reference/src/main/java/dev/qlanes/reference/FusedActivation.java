package dev.qlanes.reference;

/**
 * The fused activations of FULLY_CONNECTED that have exact semantics (docs/semantics.md §1.6, §4.1 step 7).
 * TANH and SIGMOID go through Eigen in TFLite and are not bit-specified, so they are not offered.
 */
public enum FusedActivation {
    /** No activation: the output as computed. */
    NONE,
    /** {@code max(0, x)}. */
    RELU,
    /** {@code max(-1, min(x, 1))}. */
    RELU_N1_TO_1,
    /** {@code max(0, min(x, 6))}. */
    RELU6;

    /**
     * The activation on a float output, with C++ {@code std::max/std::min} semantics: NaN becomes 0 under
     * RELU and RELU6, and -1 under RELU_N1_TO_1 (§6 item 14), unlike Java's {@code Math.max}.
     */
    public float apply(float x) {
        return switch (this) {
            case NONE -> x;
            case RELU -> CppMath.stdMax(0.0f, x);
            case RELU_N1_TO_1 -> CppMath.stdMax(-1.0f, CppMath.stdMin(x, 1.0f));
            case RELU6 -> CppMath.stdMax(0.0f, CppMath.stdMin(x, 6.0f));
        };
    }
}
