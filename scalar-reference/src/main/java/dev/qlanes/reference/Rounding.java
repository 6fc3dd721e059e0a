package dev.qlanes.reference;

/**
 * The two ways TFLite builds can apply a fixed-point multiplier (docs/semantics.md §1.3). The mode is a
 * compile-time macro in TFLite ({@code TFLITE_SINGLE_ROUNDING}); here it is an argument.
 */
public enum Rounding {
    /**
     * TFLite's default build: {@code RDBPOT(SRDHM(x << left, M), right)}. The first rounding is
     * ties-up, the second ties-away-from-zero, so the result is not always the correctly rounded product.
     */
    DOUBLE_ROUNDING,
    /**
     * {@code TFLITE_SINGLE_ROUNDING=1}, which is also what ruy's ARM64 kernels compute: one 64-bit
     * product rounded once, ties toward +infinity.
     */
    SINGLE_ROUNDING
}
